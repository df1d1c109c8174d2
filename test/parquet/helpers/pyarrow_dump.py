"""Oracle for the Parquet tests: reads Parquet files with pyarrow and prints their rows as JSON.

Usage: python3 pyarrow_dump.py FILE...
  -> {"FILE": {"numRows": N, "columns": [[name, [values]], ...]} | {"error": "..."}, ...}
Encoding (shared with arrow-json.ts): null; booleans; every integer as a decimal string (dates as
day numbers, timestamps and times as integers in the column's unit); floats as numbers, NaN and
infinities as "NaN"/"Infinity"/"-Infinity"; decimals as plain strings with exactly their scale;
strings as strings; binary as {"$b64": base64}; structs as objects; lists as arrays; maps as
arrays of [key, value].
"""
import base64
import decimal
import json
import math
import sys

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq


def plain(t):
    if pa.types.is_timestamp(t) or pa.types.is_time64(t) or pa.types.is_date64(t) or pa.types.is_duration(t):
        return pa.int64()
    if pa.types.is_date32(t) or pa.types.is_time32(t):
        return pa.int32()
    if pa.types.is_dictionary(t):
        return plain(t.value_type)
    if pa.types.is_map(t):
        return pa.map_(pa.field(t.key_field.name, plain(t.key_type), False),
                       pa.field(t.item_field.name, plain(t.item_type), t.item_field.nullable))
    if pa.types.is_list(t):
        return pa.list_(pa.field(t.value_field.name, plain(t.value_type), t.value_field.nullable))
    if pa.types.is_large_list(t):
        return pa.large_list(pa.field(t.value_field.name, plain(t.value_type), t.value_field.nullable))
    if pa.types.is_struct(t):
        return pa.struct([pa.field(f.name, plain(f.type), f.nullable) for f in t])
    return t


def enc(v):
    if v is None or isinstance(v, bool):
        return v
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
        return v
    if isinstance(v, decimal.Decimal):
        return format(v, "f")
    if isinstance(v, str):
        return v
    if isinstance(v, (bytes, bytearray)):
        return {"$b64": base64.b64encode(bytes(v)).decode()}
    if isinstance(v, dict):
        return {k: enc(x) for k, x in v.items()}
    if isinstance(v, tuple):
        return [enc(x) for x in v]
    if isinstance(v, list):
        return [enc(x) for x in v]
    raise TypeError(f"unexpected {type(v)}")


def encode_column(col):
    """Encodes one (chunked) column; flat columns take vectorized fast paths."""
    t = col.type
    if pa.types.is_integer(t):
        return pc.cast(col, pa.string()).to_pylist()
    if pa.types.is_boolean(t) or pa.types.is_string(t) or pa.types.is_large_string(t):
        return col.to_pylist()
    if pa.types.is_decimal(t):
        return [None if v is None else format(v, "f") for v in col.to_pylist()]
    return [enc(v) for v in col.to_pylist()]


def dump(path):
    """Columns of a file as {name: [values]} plus the row count."""
    table = pq.read_table(path)
    schema = pa.schema([pa.field(f.name, plain(f.type), f.nullable) for f in table.schema])
    table = table.cast(schema)
    return {"numRows": table.num_rows, "columns": [[f.name, encode_column(table.column(i))] for i, f in enumerate(table.schema)]}


def main():
    out = {}
    for path in sys.argv[1:]:
        try:
            out[path] = dump(path)
        except Exception as e:  # reported per file; the test decides
            out[path] = {"error": f"{type(e).__name__}: {e}"}
    json.dump(out, sys.stdout, allow_nan=False)


main()
