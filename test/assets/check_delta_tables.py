"""Independent check of Delta tables with pyarrow (no delta-edge code): replays each table's log
(JSON commits, plus a classic checkpoint when _last_checkpoint names one), then for every live
file: pyarrow reads it; stats.numRecords equals its row count; nullCount/minValues/maxValues
agree with the data; partitionValues name exactly the table's partition columns, match the
file's Hive directory, parse as their column's type, and equal the file's own column when the
file stores it. Usage: check_delta_tables.py TABLE_DIR... -> one JSON line per table:
{"path", "version", "files", "rows", "errors": [...]}."""
import datetime, json, math, os, sys, urllib.parse
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq


def replay(root):
    log = os.path.join(root, "_delta_log")
    adds, meta, version = {}, None, -1
    start = -1
    last = os.path.join(log, "_last_checkpoint")
    if os.path.exists(last):
        cp = json.load(open(last))
        start = cp["version"]
        t = pq.read_table(os.path.join(log, "%020d.checkpoint.parquet" % start)).to_pylist()
        for row in t:
            if row.get("add"):
                adds[row["add"]["path"]] = row["add"]
            if row.get("metaData"):
                meta = row["metaData"]
        version = start
    commits = sorted(int(n[:20]) for n in os.listdir(log) if n.endswith(".json") and n[:20].isdigit())
    for v in commits:
        if v <= start:
            continue
        for line in open(os.path.join(log, "%020d.json" % v)):
            if not line.strip():
                continue
            a = json.loads(line)
            if "add" in a:
                adds[a["add"]["path"]] = a["add"]
            elif "remove" in a:
                adds.pop(a["remove"]["path"], None)
            elif "metaData" in a:
                meta = a["metaData"]
        version = v
    return version, meta, list(adds.values())


def parse_partition(value, typ):
    if value is None:
        return None
    if typ in ("long", "integer", "short", "byte"):
        return int(value)
    if typ == "date":
        return datetime.date.fromisoformat(value)
    if typ in ("timestamp", "timestamp_ntz"):
        return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if typ == "string":
        return value
    if typ in ("double", "float"):
        return float(value)
    if typ == "boolean":
        return value == "true"
    return value


def stat_value(v, arrow_type):
    """A stats JSON value as a comparable Python value for the column's Arrow type."""
    if pa.types.is_timestamp(arrow_type):
        return datetime.datetime.fromisoformat(v.replace("Z", "+00:00")).replace(tzinfo=None)
    if pa.types.is_date(arrow_type):
        return datetime.date.fromisoformat(v)
    return v


def data_value(scalar, arrow_type):
    v = scalar.as_py()
    if isinstance(v, datetime.datetime):
        return v.replace(tzinfo=None) if v.tzinfo is None else v.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return v


def check_stats(add, table, errors, name):
    stats = json.loads(add["stats"]) if add.get("stats") else None
    if stats is None:
        errors.append(f"{name}: no stats")
        return
    if stats.get("numRecords") != table.num_rows:
        errors.append(f"{name}: numRecords {stats.get('numRecords')} but the file has {table.num_rows} rows")
    for col, n in (stats.get("nullCount") or {}).items():
        if isinstance(n, dict) or col not in table.column_names:
            continue
        if table[col].null_count != n:
            errors.append(f"{name}: nullCount[{col}] {n} but the file has {table[col].null_count}")
    for kind, fn in (("minValues", "min"), ("maxValues", "max")):
        for col, v in (stats.get(kind) or {}).items():
            if isinstance(v, dict) or col not in table.column_names:
                continue
            column = table[col]
            t = column.type
            if column.null_count == len(column):
                continue
            actual = data_value(pc.min_max(column)[fn], t)
            expected = stat_value(v, t)
            if pa.types.is_floating(t):
                ok = math.isclose(expected, actual, rel_tol=1e-6) if not (isinstance(expected, str)) else True
            elif pa.types.is_timestamp(t):
                # Stats have millisecond precision: min is floored, max may be truncated.
                ok = abs((actual - expected).total_seconds()) < 0.001
            elif pa.types.is_string(t) or pa.types.is_large_string(t):
                ok = expected == actual if len(actual) <= 32 else (expected <= actual if fn == "min" else expected >= actual or actual.startswith(expected[:-1]))
            else:
                ok = expected == actual
            if not ok:
                errors.append(f"{name}: {kind}[{col}] {v!r} but the data's {fn} is {actual!r}")


def check_table(root):
    errors = []
    version, meta, adds = replay(root)
    if meta is None:
        return {"path": root, "version": version, "files": 0, "rows": 0, "errors": ["no metaData"]}
    schema = {f["name"]: f["type"] for f in json.loads(meta["schemaString"])["fields"]}
    part_cols = meta.get("partitionColumns") or []
    rows = 0
    for add in adds:
        rel = urllib.parse.unquote(add["path"])
        name = rel
        full = os.path.join(root, rel)
        try:
            table = pq.read_table(full)
        except Exception as e:  # noqa: BLE001 - report every unreadable file
            errors.append(f"{name}: pyarrow cannot read it: {e!r}")
            continue
        rows += table.num_rows
        check_stats(add, table, errors, name)
        pv = add.get("partitionValues") or {}
        if sorted(pv) != sorted(part_cols):
            errors.append(f"{name}: partitionValues {sorted(pv)} but the table is partitioned by {part_cols}")
        dirs = dict(seg.split("=", 1) for seg in os.path.dirname(rel).split("/") if "=" in seg)
        for col in part_cols:
            value = pv.get(col)
            in_dir = dirs.get(col)
            if in_dir is not None:
                decoded = None if in_dir == "__HIVE_DEFAULT_PARTITION__" else urllib.parse.unquote(in_dir)
                if decoded != value:
                    errors.append(f"{name}: directory says {col}={decoded!r}, partitionValues say {value!r}")
            try:
                typed = parse_partition(value, schema.get(col))
            except Exception as e:  # noqa: BLE001
                errors.append(f"{name}: partition value {col}={value!r} is not a {schema.get(col)}: {e!r}")
                continue
            if col in table.column_names:
                distinct = set(data_value(s, table[col].type) for s in pc.unique(table[col]))
                if distinct != {typed}:
                    errors.append(f"{name}: column {col} holds {distinct}, partition value is {typed!r}")
    return {"path": root, "version": version, "files": len(adds), "rows": rows, "errors": errors}


for arg in sys.argv[1:]:
    print(json.dumps(check_table(arg), default=str))
