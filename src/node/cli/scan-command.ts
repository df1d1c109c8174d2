/**
 * The CLI `scan` command: plan (columns, --where) then stream rows out in one of the formats of
 * DESIGN.md: ndjson, json, csv (values in the JSON value encoding; nested values as JSON text),
 * arrow (an IPC stream) and parquet. Output is written batch by batch, except parquet, whose
 * footer needs every row group: that format gathers the result first.
 */
import { RecordBatchStreamWriter, Table, type RecordBatch } from "apache-arrow";
import type { StructType } from "../../core/schema/types.js";
import { arrowToParquet } from "../../core/write/parquet-writer.js";
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
    // The writer is an async iterable of IPC chunks: drain it while batches are written.
    const writer = new RecordBatchStreamWriter();
    writer.reset(undefined, outputSchema(plan));
    const drained = (async () => {
      for await (const chunk of writer) await out.write(chunk);
    })();
    for await (const b of batches) writer.write(b);
    writer.close();
    await drained;
    return;
  }
  if (format === "parquet") {
    // A Parquet file's footer describes all row groups, so this format gathers the result first.
    const collected: RecordBatch[] = [];
    for await (const b of batches) if (b.numRows > 0) collected.push(b);
    const schema: StructType = { kind: "struct", fields };
    await out.write(await arrowToParquet({ data: collected.length > 0 ? collected : new Table(outputSchema(plan)), schema }));
    return;
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
