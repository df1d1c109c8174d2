"""Writes the generated Parquet test files with pyarrow into the folder given as argv[1].

Covers what the conformance data does not: every codec, data page v2, delta / byte-stream-split
encodings, dictionary fallback, every pyarrow primitive type (unsigned ints, float16, time,
timestamp units and zones, INT96, decimals as INT32/INT64/FLBA), deep nesting of lists, structs
and maps, multiple row groups and pages, parquet field ids, and a wide file for range economy.
Deterministic (fixed seed); prints the list of written files as JSON.
"""
import datetime as dt
import decimal
import json
import os
import random
import sys

import pyarrow as pa
import pyarrow.parquet as pq

OUT = sys.argv[1]
rng = random.Random(42)
written = []


def write(name, table, **kw):
    path = os.path.join(OUT, name)
    pq.write_table(table, path, **kw)
    written.append(path)


def maybe(v, p=0.2):
    return None if rng.random() < p else v


N = 300
utc = dt.timezone.utc
ints = [maybe(rng.randint(-2**31, 2**31 - 1)) for _ in range(N)]
longs = [maybe(rng.randint(-2**63, 2**63 - 1)) for _ in range(N)]
texts = [maybe("".join(rng.choice("abcé漢字🙂 ") for _ in range(rng.randint(0, 12)))) for _ in range(N)]
doubles = [maybe(rng.choice([rng.uniform(-1e9, 1e9), float("nan"), float("inf"), -0.0, 1e-300])) for _ in range(N)]
basic = pa.table({
    "i": pa.array(ints, pa.int32()),
    "l": pa.array(longs, pa.int64()),
    "s": pa.array(texts, pa.string()),
    "d": pa.array(doubles, pa.float64()),
    "b": pa.array([maybe(rng.random() < 0.5) for _ in range(N)], pa.bool_()),
})
for codec in ["NONE", "SNAPPY", "GZIP", "BROTLI", "LZ4", "ZSTD"]:
    write(f"codec-{codec.lower()}.parquet", basic, compression=codec)
write("page-v2.parquet", basic, data_page_version="2.0", data_page_size=512, compression="ZSTD")
write("page-v2-uncompressed.parquet", basic, data_page_version="2.0", data_page_size=512, compression="NONE")
write("plain-v1-small-pages.parquet", basic, use_dictionary=False, data_page_size=256, write_batch_size=64)
write("encodings.parquet", pa.table({
    "i": pa.array(ints, pa.int32()), "l": pa.array(longs, pa.int64()),
    "s1": pa.array(texts, pa.string()), "s2": pa.array(texts, pa.string()),
    "f": pa.array([None if v is None else float(v) for v in doubles], pa.float32()),
    "d": pa.array(doubles, pa.float64()),
    "fi": pa.array(ints, pa.int32()),
}), use_dictionary=False, column_encoding={
    "i": "DELTA_BINARY_PACKED", "l": "DELTA_BINARY_PACKED", "s1": "DELTA_BYTE_ARRAY",
    "s2": "DELTA_LENGTH_BYTE_ARRAY", "f": "BYTE_STREAM_SPLIT", "d": "BYTE_STREAM_SPLIT", "fi": "BYTE_STREAM_SPLIT",
})
repeats = [maybe(rng.choice(["alpha", "beta", "gamma", "delta"]) * rng.randint(1, 40)) for _ in range(3000)]
write("dictionary-fallback.parquet", pa.table({"s": pa.array(repeats + [f"u{i}" for i in range(3000)])}),
      dictionary_pagesize_limit=256, data_page_size=1024)


def dec(v, scale):
    return None if v is None else decimal.Decimal(v).scaleb(-scale)


def ts(us):
    return None if us is None else dt.datetime(1970, 1, 1) + dt.timedelta(microseconds=us)


micros = [maybe(rng.randint(-62135596800000000, 253402300799999999)) for _ in range(N)]
types = pa.table({
    "i8": pa.array([maybe(rng.randint(-128, 127)) for _ in range(N)], pa.int8()),
    "i16": pa.array([maybe(rng.randint(-32768, 32767)) for _ in range(N)], pa.int16()),
    "u8": pa.array([maybe(rng.randint(0, 255)) for _ in range(N)], pa.uint8()),
    "u16": pa.array([maybe(rng.randint(0, 65535)) for _ in range(N)], pa.uint16()),
    "u32": pa.array([maybe(rng.randint(0, 2**32 - 1)) for _ in range(N)], pa.uint32()),
    "u64": pa.array([maybe(rng.randint(0, 2**64 - 1)) for _ in range(N)], pa.uint64()),
    "f16": pa.array([maybe(rng.choice([0.5, -2.0, 65504.0, 6.1e-05])) for _ in range(N)], pa.float16()),
    "f32": pa.array([maybe(rng.choice([1.5, -0.0, float("inf"), float("nan"), 3.4e38])) for _ in range(N)], pa.float32()),
    "bin": pa.array([maybe(os.urandom(rng.randint(0, 9))) for _ in range(N)], pa.binary()),
    "fsb": pa.array([maybe(bytes(rng.randint(0, 255) for _ in range(3))) for _ in range(N)], pa.binary(3)),
    "lstr": pa.array(texts, pa.large_string()),
    "dec5_2": pa.array([dec(maybe(rng.randint(-99999, 99999)), 2) for _ in range(N)], pa.decimal128(5, 2)),
    "dec18_4": pa.array([dec(maybe(rng.randint(-10**18 + 1, 10**18 - 1)), 4) for _ in range(N)], pa.decimal128(18, 4)),
    "dec38_10": pa.array([dec(maybe(rng.randint(-10**38 + 1, 10**38 - 1)), 10) for _ in range(N)], pa.decimal128(38, 10)),
    "date": pa.array([maybe(rng.randint(-719162, 2932896)) for _ in range(N)], pa.int32()).cast(pa.date32()),
    "ts_ms": pa.array([maybe(rng.randint(-2**40, 2**40)) for _ in range(N)], pa.int64()).cast(pa.timestamp("ms", "UTC")),
    "ts_us": pa.array(micros, pa.int64()).cast(pa.timestamp("us", "UTC")),
    "ts_us_ntz": pa.array(micros, pa.int64()).cast(pa.timestamp("us")),
    "ts_ns": pa.array([maybe(rng.randint(-2**62, 2**62)) for _ in range(N)], pa.int64()).cast(pa.timestamp("ns", "UTC")),
    "t_ms": pa.array([maybe(rng.randint(0, 86399999)) for _ in range(N)], pa.int32()).cast(pa.time32("ms")),
    "t_us": pa.array([maybe(rng.randint(0, 86399999999)) for _ in range(N)], pa.int64()).cast(pa.time64("us")),
})
write("types.parquet", types)
write("types-decimal-as-int.parquet", types.select(["dec5_2", "dec18_4", "dec38_10"]), store_decimal_as_integer=True)
write("types-legacy-converted.parquet", types.select(["ts_ms", "ts_us", "i8", "u32", "date"]), version="1.0")
int96 = [maybe(rng.randint(-2**62, 2**62)) for _ in range(N)] + [-1, 1, -999, 0]
write("int96.parquet", pa.table({"t": pa.array(int96, pa.int64()).cast(pa.timestamp("ns"))}),
      use_deprecated_int96_timestamps=True)


def rnd_list(f, p_null=0.15, max_len=4):
    if rng.random() < p_null:
        return None
    return [f() for _ in range(rng.randint(0, max_len))]


nested_rows = N
pt = pa.struct([pa.field("a", pa.int32()), pa.field("b", pa.list_(pa.int64()))])
nested = pa.table({
    "li": pa.array([rnd_list(lambda: maybe(rng.randint(-5, 5))) for _ in range(nested_rows)], pa.list_(pa.int32())),
    "lls": pa.array([rnd_list(lambda: rnd_list(lambda: maybe(rng.choice(["x", "yy", ""])))) for _ in range(nested_rows)],
                    pa.list_(pa.list_(pa.string()))),
    "lst": pa.array([rnd_list(lambda: maybe({"a": maybe(rng.randint(0, 9)), "b": rnd_list(lambda: maybe(rng.randint(0, 9)))}))
                     for _ in range(nested_rows)], pa.list_(pt)),
    "st": pa.array([maybe({"x": maybe({"y": maybe(rng.randint(0, 9)), "z": rnd_list(lambda: maybe("q"))}), "w": maybe(1.5)})
                    for _ in range(nested_rows)],
                   pa.struct([pa.field("x", pa.struct([pa.field("y", pa.int16()), pa.field("z", pa.list_(pa.string()))])),
                              pa.field("w", pa.float64())])),
    "m": pa.array([None if rng.random() < 0.15 else [(f"k{j}", maybe(rng.randint(0, 99))) for j in range(rng.randint(0, 3))]
                   for _ in range(nested_rows)], pa.map_(pa.string(), pa.int32())),
    "mil": pa.array([None if rng.random() < 0.15 else [(j, rnd_list(lambda: maybe({"a": 1, "b": [2]}))) for j in range(rng.randint(0, 3))]
                     for _ in range(nested_rows)], pa.map_(pa.int64(), pa.list_(pt))),
    "req_list": pa.array([[rng.randint(0, 3) for _ in range(rng.randint(0, 3))] for _ in range(nested_rows)],
                         pa.list_(pa.field("element", pa.int32(), nullable=False))),
})
req_schema = nested.schema.set(nested.schema.get_field_index("req_list"),
                               pa.field("req_list", nested.schema.field("req_list").type, nullable=False))
nested = nested.cast(req_schema)
write("nested.parquet", nested)
write("nested-noncompliant-names.parquet", nested, use_compliant_nested_type=False)
write("nested-v2-small-pages.parquet", nested, data_page_version="2.0", data_page_size=128, write_batch_size=16)

big = 50000
write("multi-row-groups.parquet", pa.table({
    "id": pa.array(range(big), pa.int64()),
    "v": pa.array([maybe(rng.randint(0, 1000)) for _ in range(big)], pa.int32()),
    "s": pa.array([maybe(f"s{i % 977}") for i in range(big)], pa.string()),
    "l": pa.array([rnd_list(lambda: rng.randint(0, 9), max_len=3) for _ in range(big)], pa.list_(pa.int32())),
}), row_group_size=7000, data_page_size=4096, write_batch_size=512)

wide_rows = 20000
write("wide.parquet", pa.table({
    f"c{c:02d}": (pa.array([rng.randint(-2**62, 2**62) for _ in range(wide_rows)], pa.int64()) if c % 3 == 0 else
                  pa.array([rng.random() for _ in range(wide_rows)], pa.float64()) if c % 3 == 1 else
                  pa.array([f"{rng.random():.12f}" for _ in range(wide_rows)], pa.string()))
    for c in range(40)
}), use_dictionary=False, compression="NONE")

with_ids = pa.schema([
    pa.field("col-a", pa.int32(), metadata={b"PARQUET:field_id": b"1"}),
    pa.field("col-b", pa.struct([pa.field("col-c", pa.string(), metadata={b"PARQUET:field_id": b"3"}),
                                  pa.field("col-d", pa.int64(), metadata={b"PARQUET:field_id": b"4"})]),
             metadata={b"PARQUET:field_id": b"2"}),
    pa.field("narrow", pa.int16(), metadata={b"PARQUET:field_id": b"5"}),
    pa.field("f", pa.float32(), metadata={b"PARQUET:field_id": b"6"}),
    pa.field("dte", pa.date32(), metadata={b"PARQUET:field_id": b"7"}),
    pa.field("dec", pa.decimal128(5, 2), metadata={b"PARQUET:field_id": b"8"}),
])
write("field-ids.parquet", pa.table({
    "col-a": [1, None, 3], "col-b": [{"col-c": "x", "col-d": 10}, None, {"col-c": None, "col-d": 30}],
    "narrow": [-7, 0, None], "f": [1.5, None, -2.25], "dte": [dt.date(2024, 2, 29), None, dt.date(1969, 12, 31)],
    "dec": [decimal.Decimal("1.23"), None, decimal.Decimal("-999.99")],
}, schema=with_ids))
write("empty.parquet", basic.slice(0, 0))

print(json.dumps(written))
