/**
 * The CLI `scan` command: plan (columns, --where) then stream rows out in one of the formats of
 * DESIGN.md: ndjson, json, csv (values in the JSON value encoding; nested values as JSON text),
 * arrow (an IPC stream) and parquet. Output is written batch by batch, never the whole table.
 */
import { RecordBatchStreamWriter } from "apache-arrow";
import { InvalidInputError } from "../../core/errors.js";
import type { ObjectStore } from "../../core/storage/object-store.js";
import { planScan } from "../../core/scan/plan.js";
import { scanBatches, outputSchema } from "../../core/scan/execute.js";
import { batchRows, formatRowJson, type JsonValue } from "../../core/scan/rows.js";
import { intFlag, stringFlag, type ParsedArgs } from "./args.js";
import type { Output } from "./output.js";
import { snapshotFromFlags } from "./read-commands.js";

const FORMATS = ["ndjson", "json", "csv", "arrow", "parquet"] as const;
type Format = (typeof FORMATS)[number];

/** `scan`: rows of a snapshot, projected and filtered. */
export async function scanCommand(store: ObjectStore, flags: ParsedArgs["flags"], out: Output): Promise<void> {
  const format = (stringFlag(flags, "format") ?? "ndjson") as Format;
  if (!FORMATS.includes(format)) throw new InvalidInputError(`unknown --format ${format}; use one of ${FORMATS.join(", ")}`);
  const snapshot = await snapshotFromFlags(store, flags);
  const columns = stringFlag(flags, "columns")
    ?.split(",")
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
  const plan = planScan(snapshot, { columns, where: stringFlag(flags, "where"), timeZone: stringFlag(flags, "time-zone") });
  const batches = scanBatches(plan, { store, limit: intFlag(flags, "limit") });
  const fields = plan.outputFields;
  if (format === "arrow") {
    const writer = new RecordBatchStreamWriter();
    writer.reset(undefined, outputSchema(plan));
    const flush = async (): Promise<void> => {
      const bytes = writer.toUint8Array(true);
      if (bytes.byteLength > 0) await out.write(bytes);
    };
    for await (const b of batches) {
      writer.write(b);
      await flush();
    }
    writer.finish();
    await flush();
    return;
  }
  if (format === "parquet") {
    throw new InvalidInputError("--format parquet needs the Parquet writer, which is not built yet; use arrow, ndjson, json or csv");
  }
  if (format === "csv") await out.write(`${fields.map((f) => csvCell(f.name)).join(",")}\n`);
  if (format === "json") await out.write("[");
  let first = true;
  for await (const b of batches) {
    const lines: string[] = [];
    for (const row of batchRows(b, fields)) {
      const json = formatRowJson(row, fields);
      if (format === "csv") lines.push(fields.map((f) => csvValue(json[f.name] ?? null)).join(","));
      else lines.push(JSON.stringify(json));
    }
    if (lines.length === 0) continue;
    if (format === "json") {
      await out.write(`${first ? "\n" : ",\n"}${lines.join(",\n")}`);
      first = false;
    } else await out.write(`${lines.join("\n")}\n`);
  }
  if (format === "json") await out.write(first ? "]\n" : "\n]\n");
}

function csvValue(v: JsonValue): string {
  if (v === null) return "";
  if (typeof v === "string") return csvCell(v);
  if (typeof v === "object") return csvCell(JSON.stringify(v));
  return String(v);
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) || s.length === 0 ? `"${s.replace(/"/g, '""')}"` : s;
}
