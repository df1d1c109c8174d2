"""Test input generator: Arrow tables with types a caller might hand in (unsigned and narrow ints,
half floats, large/view strings, dictionaries, Date64, timestamps of every unit and zone, lists
named "item", large and fixed-size lists, maps, Null columns, decimal256), printed as a JSON object
of name -> base64 Arrow IPC stream."""
import base64
import datetime as dt
import decimal
import json

import numpy as np
import pyarrow as pa


def ipc(table):
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as w:
        w.write_table(table)
    return base64.b64encode(sink.getvalue().to_pybytes()).decode()


D = decimal.Decimal
cases = {
    "widen": pa.table({
        "i8": pa.array([-128, 127, None], pa.int8()),
        "u8": pa.array([0, 255, None], pa.uint8()),
        "u16": pa.array([0, 65535, 1], pa.uint16()),
        "u32": pa.array([0, 4294967295, None], pa.uint32()),
        "i32": pa.array([-2147483648, 2147483647, 0], pa.int32()),
        "i16f": pa.array([-32768, 32767, None], pa.int16()),
        "i32d": pa.array([-2147483648, 2147483647, 5], pa.int32()),
        "f32d": pa.array([1.5, float("nan"), None], pa.float32()),
        "f16": pa.array(np.array([1.5, -0.25, 65504], dtype=np.float16), pa.float16()),
        "i32dec": pa.array([-2147483648, 2147483647, None], pa.int32()),
        "dec": pa.array([D("-999.99"), D("0.01"), None], pa.decimal128(5, 2)),
        "dec256": pa.array([D("123456789012345678.90"), D("-1.00"), None], pa.decimal256(20, 2)),
    }),
    "strings": pa.table({
        "large": pa.array(["a", None, "日本😀"], pa.large_string()),
        "view": pa.array(["short", "a string longer than twelve bytes", None], pa.string_view()),
        "lbin": pa.array([b"\x00\x01", None, b""], pa.large_binary()),
        "fbin": pa.array([b"abc", b"\xff\xfe\xfd", None], pa.binary(3)),
        "s2b": pa.array(["x", "yz", None], pa.string()),
        "dict": pa.array(["red", "green", None]).dictionary_encode(),
    }),
    "temporal": pa.table({
        "d64": pa.array([dt.date(2021, 1, 1), None, dt.date(1969, 12, 31)], pa.date64()),
        "ms": pa.array([1609459200123, None, -1], pa.timestamp("ms", tz="UTC")),
        "s": pa.array([1609459200, 0, None], pa.timestamp("s", tz="Europe/Paris")),
        "ns": pa.array([1609459200123456000, None, -1000], pa.timestamp("ns")),
    }),
    "nested": pa.table({
        "item_list": pa.array([[1, 2], None, [None]], pa.list_(pa.int32())),
        "large_list": pa.array([["a"], [], None], pa.large_list(pa.string())),
        "fixed_list": pa.array([[1, 2], [3, None], None], pa.list_(pa.int64(), 2)),
        "m": pa.array([[("k", 1)], None, []], pa.map_(pa.string(), pa.int32())),
        "st": pa.array([{"b": "x", "a": 1}, None, {"b": None, "a": 2}], pa.struct([("b", pa.string()), ("a", pa.int32())])),
        "nulls": pa.nulls(3),
    }),
    "ns_bad": pa.table({"t": pa.array([1609459200123456789], pa.timestamp("ns"))}),
    "d64_bad": pa.table({"d": pa.array([86400001], pa.date64())}),
}
print(json.dumps({name: ipc(t) for name, t in cases.items()}))
