/**
 * Our stats against the stats Spark wrote, file by file, on the conformance tables written by
 * Delta Spark (all types, decimals, column mapping name mode, partitioned, nested, void and
 * backtick column names, timestamp_ntz, type widening, truncated timestamps): each data file is
 * read with pyarrow, conformed to the table's physical data schema, and its stats recomputed with
 * the table's configuration. Spark writes timestamps in its session zone ("-08:00"), so timestamp
 * strings are compared as instants; numbers are compared as values.
 */
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { tableFromIPC } from "apache-arrow";
import { columnMappingMode, physicalSchema } from "../../src/core/schema/column-mapping.js";
import { parseDateTimeString, toUtcMicros } from "../../src/core/schema/datetime.js";
import { decodeAddPath } from "../../src/core/schema/partition-path.js";
import { parseSchema } from "../../src/core/schema/schema-json.js";
import { validateDataSchema } from "../../src/core/write/data-validate.js";
import { dataSchemaOf } from "../../src/core/write/partition-split.js";
import { computeStats } from "../../src/core/write/stats.js";
import { CONFORMANCE } from "../helpers/conformance.js";

const TABLES = [
  "kernel/stats-writing-all-types/delta",
  "golden/data-skipping-basic-stats-all-types/delta",
  "golden/data-skipping-basic-stats-all-types-columnmapping-name/delta",
  "golden/parquet-all-types/delta",
  "golden/data-skipping-partition-and-data-column/delta",
  "kernel/timestamp-truncation-stats",
  "kernel/void-column",
  "golden/basic-decimal-table/delta",
  "golden/parquet-decimal-type/delta",
  "dat/reader_tests/generated/multi_partitioned/delta",
  "dat/reader_tests/generated/basic_partitioned/delta",
  "golden/data-reader-timestamp_ntz/delta",
  "golden/kernel-timestamp-pst/delta",
  "delta-rs/table_with_null_stats_in_notnull_struct",
  "kernel/cdf-table-backtick-column-names",
  "golden/table-with-columnmapping-mode-name/delta",
  "delta-rs/delta-2.2.0-partitioned-types",
  "kernel/type-widening",
];

const TO_IPC = `
import sys, pyarrow as pa, pyarrow.parquet as pq
t = pq.read_table(sys.argv[1])
fields = [pa.field(f.name, pa.timestamp("us", "UTC") if pa.types.is_timestamp(f.type) and f.type.unit == "ns" else f.type, f.nullable) for f in t.schema]
t = t.cast(pa.schema(fields))
sink = pa.BufferOutputStream()
with pa.ipc.new_stream(sink, t.schema) as w:
    w.write_table(t)
sys.stdout.buffer.write(sink.getvalue().to_pybytes())
`;

/** Timestamps with a zone become instants; everything else stays. */
function normalize(v: unknown): unknown {
  if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:\d{2})$/.test(v)) return `instant:${toUtcMicros(parseDateTimeString(v)!, () => 0)}`;
  if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).filter(([k]) => k !== "tightBounds").map(([k, x]) => [k, normalize(x)]));
  return v;
}

interface Commit {
  metaData?: { schemaString: string; partitionColumns: string[]; configuration: Record<string, string> };
  add?: { path: string; stats?: string };
}

describe("stats agree with Delta Spark's", () => {
  it.each(TABLES)("%s", (table) => {
    const dir = join(CONFORMANCE, table);
    const logs = readdirSync(join(dir, "_delta_log")).filter((f) => /^\d{20}\.json$/.test(f)).sort();
    let meta: Commit["metaData"];
    let compared = 0;
    for (const log of logs) {
      for (const line of readFileSync(join(dir, "_delta_log", log), "utf8").split("\n").filter(Boolean)) {
        const action = JSON.parse(line) as Commit;
        meta = action.metaData ?? meta;
        if (action.add?.stats === undefined || meta === undefined) continue;
        const file = join(dir, decodeAddPath(action.add.path));
        if (!existsSync(file)) continue;
        const data = tableFromIPC(execFileSync("python3", ["-c", TO_IPC, file], { maxBuffer: 256 << 20 }));
        const logical = dataSchemaOf({ schema: parseSchema(meta.schemaString), partitionColumns: meta.partitionColumns });
        const schema = physicalSchema(logical, columnMappingMode(meta.configuration));
        const conformer = validateDataSchema({ arrowSchema: data.schema, schema });
        const ours = computeStats({ batches: data.batches.map((b) => conformer.conform(b)), schema, properties: meta.configuration });
        expect(normalize(JSON.parse(ours)), `${table}/${action.add.path}`).toEqual(normalize(JSON.parse(action.add.stats)));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(0);
  });
});
