/**
 * Pure formatting for the explorer (no DOM): the table's schema from its metaData JSON, a display
 * string for each canonical value (see src/core/schema/types.ts: long -> bigint, timestamps ->
 * bigint microseconds, dates -> days, decimals -> {unscaled, scale}, binary -> Uint8Array), file
 * rows with their record counts, and byte sizes. The browser test formats the rows it reads in
 * Node with these same functions to compare them with what the page shows.
 */

/** A schema type as it appears in the Delta schema JSON. */
export type SchemaType = string | { type: string; [k: string]: unknown };

/** One top-level field of the schema. */
export interface SchemaField {
  name: string;
  type: SchemaType;
  nullable: boolean;
}

/** The top-level fields of a Delta schemaString. */
export function schemaFields(schemaString: string | undefined): SchemaField[] {
  if (typeof schemaString !== "string") return [];
  const parsed = JSON.parse(schemaString) as { fields?: Array<{ name: string; type: SchemaType; nullable?: boolean }> };
  return (parsed.fields ?? []).map((f) => ({ name: f.name, type: f.type, nullable: f.nullable !== false }));
}

/** A short type label: `long`, `decimal(10,2)`, `struct<a: int, ...>`, `array<string>`, `map<k, v>`. */
export function typeLabel(type: SchemaType): string {
  if (typeof type === "string") return type;
  switch (type.type) {
    case "struct": {
      const fields = (type["fields"] as Array<{ name: string; type: SchemaType }> | undefined) ?? [];
      return `struct<${fields.map((f) => `${f.name}: ${typeLabel(f.type)}`).join(", ")}>`;
    }
    case "array":
      return `array<${typeLabel(type["elementType"] as SchemaType)}>`;
    case "map":
      return `map<${typeLabel(type["keyType"] as SchemaType)}, ${typeLabel(type["valueType"] as SchemaType)}>`;
    default:
      return type.type;
  }
}

const MS_PER_DAY = 86_400_000;

/** A display string of one canonical value of the given schema type (`null` for null). */
export function formatCell(value: unknown, type: SchemaType): string {
  if (value === null || value === undefined) return "null";
  const name = typeof type === "string" ? type : type.type;
  if (name === "timestamp" || name === "timestamp_ntz") {
    if (typeof value === "bigint" || typeof value === "number") return formatMicros(BigInt(value), name === "timestamp");
  }
  if (name === "date" && typeof value === "number") return new Date(value * MS_PER_DAY).toISOString().slice(0, 10);
  if (typeof type !== "string") return JSON.stringify(toJson(value));
  return scalarText(value);
}

/** Microseconds since the epoch as ISO text (with a Z for UTC timestamps). */
function formatMicros(micros: bigint, utc: boolean): string {
  const ms = micros / 1000n;
  const rest = micros % 1000n;
  const iso = new Date(Number(ms)).toISOString();
  const text = rest === 0n ? iso : `${iso.slice(0, -1)}${String(rest < 0n ? -rest : rest).padStart(3, "0")}Z`;
  return utc ? text : text.slice(0, -1);
}

function scalarText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return String(value);
  if (value instanceof Uint8Array) return `0x${[...value].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
  if (isDecimal(value)) return decimalText(value.unscaled, value.scale);
  return JSON.stringify(toJson(value));
}

function isDecimal(value: unknown): value is { unscaled: bigint; scale: number } {
  return typeof value === "object" && value !== null && typeof (value as { unscaled?: unknown }).unscaled === "bigint";
}

/** An unscaled integer and a scale as decimal text (12345, 2 -> "123.45"). */
export function decimalText(unscaled: bigint, scale: number): string {
  if (scale <= 0) return String(unscaled * 10n ** BigInt(-scale));
  const negative = unscaled < 0n;
  const digits = String(negative ? -unscaled : unscaled).padStart(scale + 1, "0");
  return `${negative ? "-" : ""}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** Nested values (structs, lists, maps) as JSON-safe data. */
function toJson(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) return scalarText(value);
  if (isDecimal(value)) return decimalText(value.unscaled, value.scale);
  if (Array.isArray(value)) return value.map(toJson);
  if (value instanceof Map) return [...value].map(([k, v]) => [toJson(k), toJson(v)]);
  if (typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  return value;
}

/** The record count in an add action's stats, when present. */
export function numRecordsOf(add: { stats?: string | null; statsParsed?: Record<string, unknown> | null }): number | undefined {
  const parsed = add.statsParsed?.["numRecords"];
  if (typeof parsed === "number" || typeof parsed === "bigint") return Number(parsed);
  if (typeof add.stats !== "string") return undefined;
  try {
    const n = (JSON.parse(add.stats) as { numRecords?: unknown }).numRecords;
    return typeof n === "number" ? n : undefined;
  } catch {
    return undefined;
  }
}

/** Partition values as `a=1, b=x` (null shown as `null`). */
export function partitionText(values: Record<string, string | null>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}=${v === null ? "null" : v}`)
    .join(", ");
}

/** Bytes as B / KiB / MiB with one decimal. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(1)} GiB`;
}
