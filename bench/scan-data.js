// Test data of the scan benchmark: a Delta table written by pyarrow (not by delta-edge, so the
// files look like any other writer's): ROWS rows in FILES snappy files with row groups of 128Ki
// rows and ten columns of mixed types (int64, double, a low-cardinality country code, a name,
// a timestamp, a decimal, int32, boolean), plus a one-commit Delta log with per-file stats.
// Generated once into the temp folder and reused (the folder name carries the parameters).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SCRIPT = String.raw`
import json, os, sys
from decimal import Decimal
import numpy as np, pyarrow as pa, pyarrow.parquet as pq
out, rows, nfiles = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(os.path.join(out, "_delta_log"), exist_ok=True)
rng = np.random.default_rng(42)
schema = {"type": "struct", "fields": [{"name": n, "type": t, "nullable": True, "metadata": {}} for n, t in [
    ("id", "long"), ("user_id", "long"), ("amount", "double"), ("score", "double"), ("country", "string"),
    ("name", "string"), ("ts", "timestamp"), ("price", "decimal(18,2)"), ("qty", "integer"), ("flag", "boolean")]]}
actions = [
    {"protocol": {"minReaderVersion": 1, "minWriterVersion": 2}},
    {"metaData": {"id": "scan-bench", "format": {"provider": "parquet", "options": {}}, "schemaString": json.dumps(schema),
                  "partitionColumns": [], "configuration": {}, "createdTime": 1700000000000}},
]
per = rows // nfiles
for f in range(nfiles):
    ids = np.arange(f * per, (f + 1) * per, dtype=np.int64)
    n = len(ids)
    user = rng.integers(0, 1_000_000, n, dtype=np.int64)
    amount = rng.normal(100, 30, n)
    cents = rng.integers(0, 10_000_000, n)
    t = pa.table({
        "id": ids,
        "user_id": user,
        "amount": amount,
        "score": rng.random(n),
        "country": pa.array(rng.choice(["US", "DE", "FR", "JP", "BR", "IN", "GB", "CA"], n)),
        "name": pa.array(["user-%d-%s" % (i % 50000, "x" * (i % 7)) for i in range(n)]),
        "ts": pa.array((1_700_000_000_000_000 + ids * 1_000_000).astype("datetime64[us]")).cast(pa.timestamp("us", tz="UTC")),
        "price": pa.array([Decimal(int(c)).scaleb(-2) for c in cents], pa.decimal128(18, 2)),
        "qty": rng.integers(0, 100, n, dtype=np.int32),
        "flag": rng.random(n) < 0.5,
    })
    name = "part-%05d.snappy.parquet" % f
    pq.write_table(t, os.path.join(out, name), compression="snappy", row_group_size=131072)
    stats = {"numRecords": n, "minValues": {"id": int(ids[0]), "user_id": int(user.min())},
             "maxValues": {"id": int(ids[-1]), "user_id": int(user.max())}, "nullCount": {"id": 0, "user_id": 0}}
    actions.append({"add": {"path": name, "partitionValues": {}, "size": os.path.getsize(os.path.join(out, name)),
                            "modificationTime": 1700000000000, "dataChange": True, "stats": json.dumps(stats)}})
with open(os.path.join(out, "_delta_log", "00000000000000000000.json"), "w") as fh:
    fh.write("\n".join(json.dumps(a) for a in actions) + "\n")
`;

/** Generates the table once (python3 with pyarrow and numpy) and returns its folder and files. */
export function scanTable({ rows, files }) {
  const dir = join(tmpdir(), `delta-edge-bench-scan-${rows}-${files}`);
  if (!existsSync(join(dir, "_delta_log", "00000000000000000000.json"))) {
    execFileSync(process.env.PYTHON ?? "python3", ["-c", SCRIPT, dir, String(rows), String(files)], { stdio: "inherit" });
  }
  const names = Array.from({ length: files }, (_, f) => `part-${String(f).padStart(5, "0")}.snappy.parquet`);
  return { dir, files: names.map((n) => join(dir, n)) };
}
