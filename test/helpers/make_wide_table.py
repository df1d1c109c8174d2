"""Writes a small Delta table for economy tests: N_FILES parquet files of ROWS rows and COLS int64
columns (c0..), plus a commit 0 with protocol, metaData and one add per file. Usage:
make_wide_table.py DIR COLS ROWS N_FILES"""
import json, os, sys, uuid
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

out, cols, rows, n_files = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
os.makedirs(os.path.join(out, "_delta_log"), exist_ok=True)
rng = np.random.default_rng(7)
schema = {"type": "struct", "fields": [{"name": f"c{i}", "type": "long", "nullable": True, "metadata": {}} for i in range(cols)]}
lines = [
    {"protocol": {"minReaderVersion": 1, "minWriterVersion": 2}},
    {"metaData": {"id": str(uuid.uuid4()), "format": {"provider": "parquet", "options": {}}, "schemaString": json.dumps(schema),
                  "partitionColumns": [], "configuration": {}, "createdTime": 0}},
]
for f in range(n_files):
    table = pa.table({f"c{i}": rng.integers(0, 2**40, rows) for i in range(cols)})
    name = f"part-{f:05d}.parquet"
    pq.write_table(table, os.path.join(out, name), compression="snappy", row_group_size=rows)
    size = os.path.getsize(os.path.join(out, name))
    lines.append({"add": {"path": name, "partitionValues": {}, "size": size, "modificationTime": 0, "dataChange": True,
                          "stats": json.dumps({"numRecords": rows})}})
with open(os.path.join(out, "_delta_log", "00000000000000000000.json"), "w") as fh:
    fh.write("\n".join(json.dumps(l) for l in lines) + "\n")
