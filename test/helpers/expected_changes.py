"""Independent oracle of the change data feed: for a Delta table folder and a version range, the
change rows the protocol defines, computed from the log with plain JSON, the files read with
pyarrow, and deletion vectors taken from ../shared/conformance/dv-fixtures (decoded there, not by
delta-edge). Rules (PROTOCOL.md "Add CDC File", delta-kernel-rs table changes): a commit with cdc
actions yields its change data files' rows; otherwise adds and removes with dataChange=true yield
inserts and deletes of their live rows, and an add and a remove of the same path yield the rows
whose deletion state changed. Or the refusal: feedDisabled / schemaChanged / endBeforeStart /
startAfterLatest / commitCleanedUp / unsupportedFeature, with the version concerned.

Usage: expected_changes.py TABLE:START:END ...  (END may be empty for "latest"); one JSON line each.
Values in delta-edge's CLI value encoding (expected_rows.fmt)."""
import glob, json, os, re, sys, urllib.parse
import pyarrow as pa
import pyarrow.parquet as pq
from expected_rows import fmt, fmt_ts, to_micros

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "../../../shared/conformance/dv-fixtures")
KNOWN_READER_FEATURES = {"columnMapping", "deletionVectors", "timestampNtz", "v2Checkpoint", "vacuumProtocolCheck"}


def dv_fixtures():
    out = {}
    for f in glob.glob(os.path.join(FIXTURES, "*.json")):
        for e in json.load(open(f)):
            d = e["deletionVector"]
            out[(d["storageType"], d["pathOrInlineDv"], d.get("offset"))] = e["deletedRowIndexes"]
    return out


DVS = dv_fixtures()


def dv_rows(dv):
    if dv is None:
        return set()
    key = (dv["storageType"], dv["pathOrInlineDv"], dv.get("offset"))
    if key not in DVS:
        raise KeyError(f"deletion vector {key} is not in dv-fixtures")
    return set(DVS[key])


class Refusal(Exception):
    def __init__(self, refusal, version):
        super().__init__(refusal)
        self.refusal, self.version = refusal, version


def read_actions(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def checkpoint_state(path):
    t = pq.read_table(path, columns=["protocol", "metaData"]).to_pylist()
    protocol = next((r["protocol"] for r in t if r["protocol"]), None)
    meta = next((r["metaData"] for r in t if r["metaData"]), None)
    if meta is not None:
        meta = dict(meta)
        meta["configuration"] = dict(meta.get("configuration") or [])
    return protocol, meta


def enabled(meta, key):
    return str((meta.get("configuration") or {}).get(key, "")).strip().lower() == "true"


def check_protocol(protocol, version):
    for f in protocol.get("readerFeatures") or []:
        if f not in KNOWN_READER_FEATURES:
            raise Refusal("unsupportedFeature", version)


def partition_value(raw, typ):
    if raw is None or raw == "":
        return None
    if typ in ("integer", "long", "short", "byte"):
        v = int(raw)
        return v if abs(v) <= 2**53 - 1 else str(v)
    if typ in ("date", "string"):
        return raw
    if typ == "boolean":
        return raw.lower() == "true"
    if typ in ("double", "float"):
        return float(raw)
    raise TypeError(f"partition type {typ} not handled by the oracle")


def file_rows(table, path, meta, partition_values, change_type, keep):
    """Rows of one data or change file, logical names, partition values added, filtered by row index."""
    schema = json.loads(meta["schemaString"])
    mode = (meta.get("configuration") or {}).get("delta.columnMapping.mode", "none")
    logical = {}
    for f in schema["fields"]:
        physical = f["metadata"].get("delta.columnMapping.physicalName", f["name"]) if mode != "none" else f["name"]
        logical[physical] = f
    t = pq.read_table(os.path.join(table, urllib.parse.unquote(path)))
    t = t.cast(pa.schema([pa.field(x.name, to_micros(x.type), x.nullable) for x in t.schema]), safe=False)
    parts = {}
    for f in schema["fields"]:
        if f["name"] in meta["partitionColumns"]:
            physical = f["metadata"].get("delta.columnMapping.physicalName", f["name"]) if mode != "none" else f["name"]
            parts[f["name"]] = partition_value((partition_values or {}).get(physical), f["type"])
    out = []
    for i, row in enumerate(t.to_pylist()):
        if not keep(i):
            continue
        r = {}
        for x in t.schema:
            if x.name == "_change_type":
                r["_change_type"] = row[x.name]
            elif x.name in logical:
                r[logical[x.name]["name"]] = fmt(row[x.name], x.type)
        for f in schema["fields"]:
            r.setdefault(f["name"], parts.get(f["name"]))
        if change_type is not None:
            r["_change_type"] = change_type
        out.append(r)
    return out


def changes(table, start, end):
    log = os.path.join(table, "_delta_log")
    commits, checkpoints = {}, {}
    for name in os.listdir(log):
        m = re.fullmatch(r"(\d{20})\.json", name)
        if m:
            commits[int(m.group(1))] = os.path.join(log, name)
        m = re.fullmatch(r"(\d{20})\.checkpoint\.parquet", name)
        if m:
            checkpoints[int(m.group(1))] = os.path.join(log, name)
    latest = max(commits)
    if end is not None and end < start:
        raise Refusal("endBeforeStart", end)
    if start > latest:
        raise Refusal("startAfterLatest", start)
    if start not in commits:
        raise Refusal("commitCleanedUp", start)
    end = latest if end is None else min(end, latest)
    # The state at the start: the newest checkpoint at or below it, then the commits after it.
    base = max((v for v in checkpoints if v <= start), default=None)
    protocol, meta = checkpoint_state(checkpoints[base]) if base is not None else (None, None)
    for v in range((base + 1) if base is not None else 0, start + 1):
        for a in read_actions(commits[v]):
            protocol = a.get("protocol", protocol)
            meta = a.get("metaData", meta)
    check_protocol(protocol, start)
    if not enabled(meta, "delta.enableChangeDataFeed"):
        raise Refusal("feedDisabled", start)
    start_meta, rows = meta, []
    for v in range(start, end + 1):
        actions = read_actions(commits[v])
        info = next((a["commitInfo"] for a in actions if "commitInfo" in a), {})
        for a in actions:
            if v > start and "metaData" in a:
                m = a["metaData"]
                if not enabled(m, "delta.enableChangeDataFeed"):
                    raise Refusal("feedDisabled", v)
                if json.loads(m["schemaString"]) != json.loads(start_meta["schemaString"]) or m["partitionColumns"] != start_meta["partitionColumns"]:
                    raise Refusal("schemaChanged", v)
                meta = m
            if v > start and "protocol" in a:
                check_protocol(a["protocol"], v)
        if enabled(meta, "delta.enableInCommitTimestamps") and "inCommitTimestamp" in info:
            ms = info["inCommitTimestamp"]
        else:
            ms = os.stat(commits[v]).st_mtime_ns // 1_000_000
        stamp = {"_commit_version": v, "_commit_timestamp": fmt_ts(ms * 1000, True)}
        cdc = [a["cdc"] for a in actions if "cdc" in a]
        produced = []
        if cdc:
            for c in cdc:
                produced += file_rows(table, c["path"], start_meta, c.get("partitionValues"), None, lambda i: True)
        else:
            adds = {a["add"]["path"]: a["add"] for a in actions if "add" in a and a["add"]["dataChange"]}
            removes = {a["remove"]["path"]: a["remove"] for a in actions if "remove" in a and a["remove"]["dataChange"]}
            for path, add in adds.items():
                after = dv_rows(add.get("deletionVector"))
                if path in removes:
                    before = dv_rows(removes[path].get("deletionVector"))
                    produced += file_rows(table, path, start_meta, add["partitionValues"], "delete", lambda i: i in after and i not in before)
                    produced += file_rows(table, path, start_meta, add["partitionValues"], "insert", lambda i: i in before and i not in after)
                else:
                    produced += file_rows(table, path, start_meta, add["partitionValues"], "insert", lambda i: i not in after)
            for path, rm in removes.items():
                if path not in adds:
                    gone = dv_rows(rm.get("deletionVector"))
                    produced += file_rows(table, path, start_meta, rm.get("partitionValues"), "delete", lambda i: i not in gone)
        rows += [{**r, **stamp} for r in produced]
    return rows


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        table, start, end = arg.rsplit(":", 2)
        try:
            rows = changes(table, int(start), int(end) if end != "" else None)
            print(json.dumps({"arg": arg, "rows": rows}, sort_keys=True))
        except Refusal as r:
            print(json.dumps({"arg": arg, "refusal": r.refusal, "version": r.version}))
        except Exception as e:  # report, don't hide: the test fails on it
            print(json.dumps({"arg": arg, "error": repr(e)}))
