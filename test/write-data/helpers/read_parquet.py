"""Test oracle: reads parquet files with pyarrow and prints, per file, its rows in an exact JSON
encoding (ints and decimals as strings, floats as IEEE-754 double bits in hex, binary as hex,
dates as day numbers, timestamps as microseconds) plus the parquet schema facts the writer must
get right (physical and logical types, field ids, codec, row groups)."""
import json
import math
import struct
import sys

import pyarrow as pa
import pyarrow.parquet as pq


def plain_type(t):
    if pa.types.is_timestamp(t):
        return pa.int64()
    if pa.types.is_date32(t):
        return pa.int32()
    if pa.types.is_struct(t):
        return pa.struct([pa.field(f.name, plain_type(f.type), f.nullable) for f in t])
    if pa.types.is_map(t):
        return pa.map_(pa.field("key", plain_type(t.key_type), False), pa.field("value", plain_type(t.item_type), t.item_field.nullable))
    if pa.types.is_list(t):
        return pa.list_(pa.field(t.value_field.name, plain_type(t.value_type), t.value_field.nullable))
    return t


def enc(v, t):
    if v is None:
        return None
    if pa.types.is_struct(t):
        return {f.name: enc(v[f.name], f.type) for f in t}
    if pa.types.is_map(t):
        return [[enc(k, t.key_type), enc(x, t.item_type)] for k, x in v]
    if pa.types.is_list(t):
        return [enc(x, t.value_type) for x in v]
    if pa.types.is_floating(t):
        return "nan" if math.isnan(v) else struct.pack(">d", v).hex()
    if pa.types.is_integer(t):
        return str(v)
    if pa.types.is_decimal(t):
        return format(v, "f")
    if pa.types.is_binary(t):
        return v.hex()
    return v


def describe(path):
    f = pq.ParquetFile(path)
    table = f.read()
    plain = pa.schema([pa.field(x.name, plain_type(x.type), x.nullable) for x in table.schema])
    table = table.cast(plain)
    cols = {name: table.column(name).to_pylist() for name in table.column_names}
    rows = [{name: enc(cols[name][i], table.schema.field(name).type) for name in table.column_names} for i in range(table.num_rows)]
    leaves = []
    for i in range(len(f.schema)):
        c = f.schema.column(i)
        leaves.append({"path": c.path, "physical": c.physical_type, "logical": str(c.logical_type), "maxDef": c.max_definition_level})
    ids = {}

    def walk(field, prefix):
        name = prefix + field.name
        md = field.metadata or {}
        if b"PARQUET:field_id" in md:
            ids[name] = int(md[b"PARQUET:field_id"])
        t = field.type
        if pa.types.is_struct(t):
            for sub in t:
                walk(sub, name + ".")
        elif pa.types.is_list(t):
            walk(t.value_field, name + ".")
        elif pa.types.is_map(t):
            walk(t.key_field, name + ".")
            walk(t.item_field, name + ".")

    for field in f.schema_arrow:
        walk(field, "")
    meta = f.metadata
    codecs = sorted({meta.row_group(r).column(c).compression for r in range(meta.num_row_groups) for c in range(meta.num_columns)})
    return {
        "rows": rows,
        "columns": table.column_names,
        "leaves": leaves,
        "fieldIds": ids,
        "numRowGroups": meta.num_row_groups,
        "rowGroupRows": [meta.row_group(r).num_rows for r in range(meta.num_row_groups)],
        "codecs": codecs,
        "numRows": meta.num_rows,
        "dictionary": any(meta.row_group(r).column(c).has_dictionary_page for r in range(meta.num_row_groups) for c in range(meta.num_columns)),
        "statistics": any(meta.row_group(r).column(c).is_stats_set for r in range(meta.num_row_groups) for c in range(meta.num_columns)),
        "createdBy": meta.created_by,
    }


print(json.dumps([describe(p) for p in sys.argv[1:]]))
