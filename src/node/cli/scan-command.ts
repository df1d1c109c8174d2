/**
 * The CLI `scan` command: plan (columns, --where) then stream rows out in one of the formats of
 * DESIGN.md: ndjson, json, csv, arrow (encoded batch by batch by core/scan/row-output.ts, shared
 * with the Worker's /rows) and parquet, whose footer needs every row group: that format gathers
 * the result first.
 */
import { Table, type RecordBatch } from "apache-arrow";
import type { StructType } from "../../core/schema/types.js";
import { arrowToParquet } from "../../core/write/parquet-writer.js";
import { InvalidInputError } from "../../core/errors.js";
import type { ObjectStore } from "../../core/storage/object-store.js";
import { planScan } from "../../core/scan/plan.js";
import { scanBatches, outputSchema } from "../../core/scan/execute.js";
import { encodeRows } from "../../core/scan/row-output.js";
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
  if (columns !== undefined && columns.length === 0) throw new InvalidInputError("--columns needs at least one column name (a,b,...)");
  const plan = planScan(snapshot, { columns, where: stringFlag(flags, "where"), timeZone: stringFlag(flags, "time-zone") });
  const batches = scanBatches(plan, { store, limit: intFlag(flags, "limit") });
  const fields = plan.outputFields;
  if (format === "parquet") {
    // A Parquet file's footer describes all row groups, so this format gathers the result first.
    const collected: RecordBatch[] = [];
    for await (const b of batches) if (b.numRows > 0) collected.push(b);
    const schema: StructType = { kind: "struct", fields };
    await out.write(await arrowToParquet({ data: collected.length > 0 ? collected : new Table(outputSchema(plan)), schema }));
    return;
  }
  for await (const chunk of encodeRows({ batches, fields, arrowSchema: outputSchema(plan), format })) await out.write(chunk);
}
