"""Independent oracle: reads parquet files with pyarrow and prints one JSON object per row in
delta-edge's CLI value encoding (DESIGN.md "Value encoding"). Usage: expected_rows.py FILE_OR_DIR..."""
import base64, datetime, decimal, json, math, os, sys
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

MAX_SAFE = 2**53 - 1
EPOCH = datetime.datetime(1970, 1, 1)
decimal.getcontext().prec = 80  # decimal(38, s) values need more than the default 28 digits
EPOCH_TZ = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def fmt_ts(micros, zoned):
    secs, frac = divmod(micros, 1_000_000)
    dt = EPOCH + datetime.timedelta(seconds=secs)
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + ".%06d" % frac + ("Z" if zoned else "")


def fmt(v, t):
    if v is None:
        return None
    if pa.types.is_struct(t):
        return {t.field(i).name: fmt(v.get(t.field(i).name), t.field(i).type) for i in range(t.num_fields)}
    if pa.types.is_map(t):
        return [[fmt(k, t.key_type), fmt(x, t.item_type)] for k, x in v]
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        return [fmt(x, t.value_type) for x in v]
    if pa.types.is_boolean(t) or pa.types.is_string(t) or pa.types.is_large_string(t):
        return v
    if pa.types.is_integer(t):
        return v if abs(v) <= MAX_SAFE else str(v)
    if pa.types.is_floating(t):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
        return float(str(np.float32(v))) if pa.types.is_float32(t) else v
    if pa.types.is_decimal(t):
        return format(v, "f") if t.scale == 0 else format(v.quantize(decimal.Decimal(1).scaleb(-t.scale)), "f")
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t):
        return base64.b64encode(v).decode()
    if pa.types.is_date(t):
        return v.isoformat()
    if pa.types.is_timestamp(t):
        if t.tz is not None:
            micros = (v - EPOCH_TZ) // datetime.timedelta(microseconds=1)
        else:
            micros = (v - EPOCH) // datetime.timedelta(microseconds=1)
        return fmt_ts(micros, t.tz is not None)
    if pa.types.is_null(t):
        return None
    raise TypeError(f"unsupported type {t}")


def to_micros(t):
    """The same type with every timestamp in microseconds (Spark's precision)."""
    if pa.types.is_timestamp(t):
        return pa.timestamp("us", t.tz)
    if pa.types.is_struct(t):
        return pa.struct([pa.field(f.name, to_micros(f.type), f.nullable) for f in t])
    if pa.types.is_map(t):
        return pa.map_(to_micros(t.key_type), to_micros(t.item_type))
    if pa.types.is_list(t):
        return pa.list_(to_micros(t.value_type))
    return t


def files(args):
    for a in args:
        if os.path.isdir(a):
            for name in sorted(os.listdir(a)):
                if name.endswith(".parquet") and not name.startswith("."):
                    yield os.path.join(a, name)
        else:
            yield a


def rows(paths):
    for path in files(paths):
        table = pq.read_table(path)
        table = table.cast(pa.schema([pa.field(f.name, to_micros(f.type), f.nullable) for f in table.schema]), safe=False)
        for row in table.to_pylist():
            yield {f.name: fmt(row[f.name], f.type) for f in table.schema}


if __name__ == "__main__":
    if sys.argv[1] == "--multi":
        # One JSON line per argument: {"path": ..., "rows": [...]} or {"path": ..., "error": ...}.
        for arg in sys.argv[2:]:
            try:
                print(json.dumps({"path": arg, "rows": list(rows([arg]))}, sort_keys=True))
            except Exception as e:  # report, don't hide: the test fails on it
                print(json.dumps({"path": arg, "error": repr(e)}))
    else:
        for r in rows(sys.argv[1:]):
            print(json.dumps(r, sort_keys=True))
