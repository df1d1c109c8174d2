/**
 * The CLI's write-side commands (DESIGN.md "CLI"): `write` (input file -> one commit, with modes,
 * partitioning, replaceWhere and schema evolution), `checkpoint`, `vacuum` and `optimize`. Each
 * prints one JSON object describing what it did.
 */
import { InvalidInputError } from "../../core/errors.js";
import type { ObjectStore } from "../../core/storage/object-store.js";
import { parseSchema } from "../../core/schema/schema-json.js";
import { openTableIfExists } from "../../core/table/open.js";
import { writeTable, type WriteMode } from "../../core/write/write-table.js";
import { createCheckpoint } from "../../core/write/checkpoint-write.js";
import { vacuum } from "../../core/write/vacuum.js";
import { optimize } from "../../core/write/optimize.js";
import { PARQUET_COMPRESSIONS, type ParquetCompression } from "../../core/parquet/writer.js";
import { intFlag, stringFlag, type ParsedArgs } from "./args.js";
import { inputFormat, readInput } from "./input.js";
import type { Output } from "./output.js";

const json = (out: Output, v: unknown) => out.write(`${JSON.stringify(v, null, 2)}\n`);

/** `write`: one commit from an input file. */
export async function writeCommand(store: ObjectStore, flags: ParsedArgs["flags"], out: Output): Promise<void> {
  const file = stringFlag(flags, "input");
  if (file === undefined) throw new InvalidInputError("write needs --input FILE");
  const format = inputFormat(file, stringFlag(flags, "format"));
  const mode = (stringFlag(flags, "mode") ?? "error") as WriteMode;
  const schemaMode = stringFlag(flags, "schema-mode");
  if (schemaMode !== undefined && schemaMode !== "merge" && schemaMode !== "overwrite") throw new InvalidInputError("--schema-mode must be merge or overwrite");
  const compression = stringFlag(flags, "compression");
  if (compression !== undefined && !(PARQUET_COMPRESSIONS as readonly string[]).includes(compression)) {
    throw new InvalidInputError(`--compression must be one of ${PARQUET_COMPRESSIONS.join(", ")}`);
  }
  const existing = await openTableIfExists({ store });
  const tableSchema = existing && schemaMode !== "overwrite" ? parseSchema(existing.metadata.schemaString) : undefined;
  const properties = Object.fromEntries(((flags.property as string[] | undefined) ?? []).map((p) => splitPair(p, "--property")));
  const result = await writeTable({
    store,
    snapshot: existing ?? null, // just loaded (or found absent): the write does not replay the log again
    data: readInput(file, format, tableSchema, { maxLineBytes: positiveFlag(flags, "max-line-bytes"), maxFieldBytes: positiveFlag(flags, "max-field-bytes") }),
    mode,
    partitionBy: list(stringFlag(flags, "partition-by")),
    replaceWhere: stringFlag(flags, "replace-where"),
    schemaMode: schemaMode as "merge" | "overwrite" | undefined,
    configuration: Object.keys(properties).length > 0 ? properties : undefined,
    name: stringFlag(flags, "name"),
    description: stringFlag(flags, "description"),
    compression: compression as ParquetCompression | undefined,
  });
  await json(out, { status: result.status, version: result.version, files: result.files.length, rows: result.rows, bytes: result.bytes, removedFiles: result.removedFiles });
}

/** `checkpoint`: write a checkpoint of the latest (or given) version. */
export async function checkpointCommand(store: ObjectStore, flags: ParsedArgs["flags"], out: Output): Promise<void> {
  const info = await createCheckpoint({ store, version: intFlag(flags, "version") });
  await json(out, info);
}

/** `vacuum`: delete unreferenced data files older than the retention period. */
export async function vacuumCommand(store: ObjectStore, flags: ParsedArgs["flags"], out: Output): Promise<void> {
  const hours = stringFlag(flags, "retention-hours");
  if (hours !== undefined && !/^\d+(\.\d+)?$/.test(hours)) throw new InvalidInputError(`--retention-hours must be a number, got '${hours}'`);
  const r = await vacuum({
    store,
    retentionHours: hours === undefined ? undefined : Number(hours),
    dryRun: flags["dry-run"] === true,
    enforceRetentionDuration: flags["no-enforce-retention"] === true ? false : undefined,
  });
  await json(out, r);
}

/** `optimize`: compact small files per partition. */
export async function optimizeCommand(store: ObjectStore, flags: ParsedArgs["flags"], out: Output): Promise<void> {
  const r = await optimize({ store, targetSize: intFlag(flags, "target-size"), where: stringFlag(flags, "where") });
  await json(out, { version: r.version, filesRemoved: r.filesRemoved, filesAdded: r.filesAdded, partitionsOptimized: r.partitionsOptimized });
}

function positiveFlag(flags: ParsedArgs["flags"], name: string): number | undefined {
  const n = intFlag(flags, name);
  if (n === 0) throw new InvalidInputError(`--${name} must be a positive integer`);
  return n;
}

function list(v: string | undefined): string[] | undefined {
  return v?.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
}

function splitPair(p: string, flag: string): [string, string] {
  const eq = p.indexOf("=");
  if (eq <= 0) throw new InvalidInputError(`${flag} takes KEY=VALUE, got '${p}'`);
  return [p.slice(0, eq), p.slice(eq + 1)];
}
