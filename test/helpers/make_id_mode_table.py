"""Writes a column-mapping id-mode Delta table whose parquet column names do NOT match the
physical names in the schema (only the field ids do), with a nested struct, so a reader that
matches by name reads nulls and one that matches by id reads the data. Usage: DIR"""
import json, os, sys
import pyarrow as pa
import pyarrow.parquet as pq

out = sys.argv[1]
os.makedirs(os.path.join(out, "_delta_log"), exist_ok=True)
fid = lambda i: {b"PARQUET:field_id": str(i).encode()}
schema = pa.schema([
    pa.field("zz_a", pa.int64(), metadata=fid(1)),
    pa.field("zz_s", pa.struct([pa.field("zz_x", pa.string(), metadata=fid(3))]), metadata=fid(2)),
])
table = pa.table({"zz_a": [1, 2, 3], "zz_s": [{"zz_x": "p"}, {"zz_x": None}, None]}, schema=schema)
pq.write_table(table, os.path.join(out, "f.parquet"))
cm = lambda i, phys: {"delta.columnMapping.id": i, "delta.columnMapping.physicalName": phys}
delta_schema = {"type": "struct", "fields": [
    {"name": "a", "type": "long", "nullable": True, "metadata": cm(1, "col-a")},
    {"name": "s", "type": {"type": "struct", "fields": [
        {"name": "x", "type": "string", "nullable": True, "metadata": cm(3, "col-x")}]}, "nullable": True, "metadata": cm(2, "col-s")},
]}
lines = [
    {"protocol": {"minReaderVersion": 2, "minWriterVersion": 5}},
    {"metaData": {"id": "id-mode", "format": {"provider": "parquet", "options": {}}, "schemaString": json.dumps(delta_schema), "partitionColumns": [],
                  "configuration": {"delta.columnMapping.mode": "id", "delta.columnMapping.maxColumnId": "3"}, "createdTime": 0}},
    {"add": {"path": "f.parquet", "partitionValues": {}, "size": os.path.getsize(os.path.join(out, "f.parquet")), "modificationTime": 0, "dataChange": True}},
]
with open(os.path.join(out, "_delta_log", "00000000000000000000.json"), "w") as fh:
    fh.write("\n".join(json.dumps(l) for l in lines) + "\n")
