"""Independent Delta oracle for the DML tests, written from PROTOCOL.md (not from delta-edge's
code): replays a local table's log (classic checkpoint + JSON commits), decodes deletion vectors
itself (Z85 uuid, DV file framing with CRC-32, magic 1681511377, portable 64-bit roaring with
array, bitmap and run containers), reads data and change data files with pyarrow and prints rows
in delta-edge's CLI value encoding (expected_rows.py's fmt), partition values included.

Usage (one JSON document on stdout):
  delta_oracle.py rows TABLE_DIR            live rows: {"rows": [...], "files": [{path, deleted (DV row
                                            indexes), physicalRows, rows, stats}], "protocol": {...}}
  delta_oracle.py dv TABLE_DIR DESCRIPTOR   {"rows": [deleted row indexes]}
  delta_oracle.py serve                     stdin: one JSON array of the arguments above per line;
                                            stdout: one reply line each (or {"error": ...})
  delta_oracle.py cdc TABLE_DIR VERSION     rows of that commit's cdc files, with _change_type
  delta_oracle.py rows TABLE_DIR VERSION    both: {"rows", "files", "protocol", "changes": {"rows", "files"}}
"""
import json, os, struct, sys, urllib.parse, zlib
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, os.path.dirname(__file__))
from expected_rows import fmt, to_micros  # noqa: E402

Z85 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#"
MAGIC = 1681511377


def z85_decode(text):
    """Z85 (RFC 32); a last chunk starting with k '#' is the Rust crate's tail form of 4-k bytes."""
    out = bytearray()
    for i in range(0, len(text), 5):
        chunk = text[i:i + 5]
        k = len(chunk) - len(chunk.lstrip("#")) if i + 5 == len(text) else 0
        v = 0
        for ch in chunk[k:]:
            v = v * 85 + Z85.index(ch)
        out += v.to_bytes(4 - k, "big")
    return bytes(out)


def dv_file_path(table, pod):
    prefix, encoded = pod[:-20], pod[-20:]
    raw = z85_decode(encoded)
    h = raw.hex()
    uuid = f"{h[0:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
    return os.path.join(table, prefix, f"deletion_vector_{uuid}.bin")


def roaring32(buf, pos):
    """Decodes one portable 32-bit roaring bitmap at buf[pos:]; returns (values, new pos)."""
    start = pos
    cookie = struct.unpack_from("<I", buf, pos)[0]
    pos += 4
    if cookie & 0xFFFF == 12347:
        size = (cookie >> 16) + 1
        flags = buf[pos:pos + (size + 7) // 8]
        pos += (size + 7) // 8
        has_runs = True
    elif cookie == 12346:
        size = struct.unpack_from("<I", buf, pos)[0]
        pos += 4
        flags, has_runs = b"", False
    else:
        raise ValueError(f"bad roaring cookie {cookie}")
    keys, cards = [], []
    for _ in range(size):
        k, c = struct.unpack_from("<HH", buf, pos)
        keys.append(k)
        cards.append(c + 1)
        pos += 4
    if not has_runs or size >= 4:
        pos += 4 * size  # offsets: not needed when reading sequentially
    values = []
    for i in range(size):
        base = keys[i] << 16
        is_run = has_runs and (flags[i // 8] >> (i % 8)) & 1
        if is_run:
            nruns = struct.unpack_from("<H", buf, pos)[0]
            pos += 2
            for _ in range(nruns):
                s, ln = struct.unpack_from("<HH", buf, pos)
                pos += 4
                values.extend(base + s + j for j in range(ln + 1))
        elif cards[i] <= 4096:
            for j in range(cards[i]):
                values.append(base + struct.unpack_from("<H", buf, pos + 2 * j)[0])
            pos += 2 * cards[i]
        else:
            for w in range(1024):
                word = struct.unpack_from("<Q", buf, pos + 8 * w)[0]
                b = 0
                while word:
                    if word & 1:
                        values.append(base + w * 64 + b)
                    word >>= 1
                    b += 1
            pos += 8192
    assert pos > start
    return values, pos


def decode_bitmap(bitmap):
    if struct.unpack_from("<I", bitmap, 0)[0] != MAGIC:
        raise ValueError("bad DV magic")
    pos = 4
    n = struct.unpack_from("<Q", bitmap, pos)[0]
    pos += 8
    out = []
    for _ in range(n):
        high = struct.unpack_from("<I", bitmap, pos)[0]
        pos += 4
        lows, pos = roaring32(bitmap, pos)
        out.extend((high << 32) | v for v in lows)
    if pos != len(bitmap):
        raise ValueError("trailing bytes after the DV bitmap")
    return out


def decode_dv(table, d):
    if d["storageType"] == "i":
        bitmap = z85_decode(d["pathOrInlineDv"])[: d["sizeInBytes"]]
    elif d["storageType"] == "u":
        path = dv_file_path(table, d["pathOrInlineDv"])
        with open(path, "rb") as f:
            data = f.read()
        if data[0] != 1:
            raise ValueError("bad DV file version")
        off = d.get("offset") or 1
        size = struct.unpack_from(">I", data, off)[0]
        if size != d["sizeInBytes"]:
            raise ValueError(f"DV size {size} != sizeInBytes {d['sizeInBytes']}")
        bitmap = data[off + 4: off + 4 + size]
        crc = struct.unpack_from(">I", data, off + 4 + size)[0]
        if crc != zlib.crc32(bitmap) & 0xFFFFFFFF:
            raise ValueError("DV CRC mismatch")
    else:
        raise ValueError(f"storage type {d['storageType']}")
    rows = decode_bitmap(bitmap)
    if len(rows) != d["cardinality"] or rows != sorted(set(rows)):
        raise ValueError("DV cardinality mismatch or unsorted")
    return rows


def file_key(action):
    dv = action.get("deletionVector")
    path = urllib.parse.unquote(action["path"])
    if not dv:
        return (path, None)
    return (path, dv["storageType"] + dv["pathOrInlineDv"] + ("@" + str(dv["offset"]) if dv.get("offset") is not None else ""))


def commits(table):
    log = os.path.join(table, "_delta_log")
    names = sorted(n for n in os.listdir(log) if n.endswith(".json") and len(n) == 25)
    return [(int(n[:20]), os.path.join(log, n)) for n in names]


def replay(table):
    live, metadata, protocol, start = {}, None, None, -1
    log = os.path.join(table, "_delta_log")
    lc = os.path.join(log, "_last_checkpoint")
    if os.path.exists(lc):
        with open(lc) as f:
            start = json.load(f)["version"]
        cp = pq.read_table(os.path.join(log, f"{start:020d}.checkpoint.parquet")).to_pylist()
        for row in cp:
            if row.get("add"):
                a = {k: v for k, v in row["add"].items() if v is not None}
                if isinstance(a.get("partitionValues"), list):
                    a["partitionValues"] = dict(a["partitionValues"])
                live[file_key(a)] = a
            if row.get("metaData"):
                metadata = dict(row["metaData"])
                if isinstance(metadata.get("configuration"), list):
                    metadata["configuration"] = dict(metadata["configuration"])
            if row.get("protocol"):
                protocol = row["protocol"]
    for version, path in commits(table):
        if version <= start:
            continue
        with open(path) as f:
            for line in f:
                if not line.strip():
                    continue
                a = json.loads(line)
                if "add" in a:
                    live[file_key(a["add"])] = a["add"]
                elif "remove" in a:
                    live.pop(file_key(a["remove"]), None)
                elif "metaData" in a:
                    metadata = a["metaData"]
                elif "protocol" in a:
                    protocol = a["protocol"]
    return live, metadata, protocol


def partition_value(text, t):
    if text is None or text == "":
        return None
    if t in ("integer", "long", "short", "byte"):
        return int(text)
    if t in ("double", "float"):
        return float(text)
    if t == "boolean":
        return text == "true"
    return text  # string, date (YYYY-MM-DD)


def read_rows(table, files, schema, partition_columns, physical, extra=()):
    types = {f["name"]: f["type"] for f in schema["fields"]}
    out = []
    for rel, pvs, deleted in files:
        t = pq.read_table(os.path.join(table, rel))
        t = t.cast(pa.schema([pa.field(f.name, to_micros(f.type), f.nullable) for f in t.schema]), safe=False)
        skip = set(deleted)
        for i, row in enumerate(t.to_pylist()):
            if i in skip:
                continue
            r = {}
            for f in schema["fields"]:
                name = f["name"]
                if name in partition_columns:
                    r[name] = partition_value(pvs.get(physical[name]), types[name])
                else:
                    p = physical[name]
                    r[name] = fmt(row.get(p), t.schema.field(p).type) if p in t.schema.names else None
            for name in extra:
                r[name] = row.get(name)
            out.append(r)
    return out


def physical_names(schema, configuration):
    mode = (configuration or {}).get("delta.columnMapping.mode", "none")
    return {f["name"]: (f["metadata"]["delta.columnMapping.physicalName"] if mode != "none" else f["name"]) for f in schema["fields"]}


def main(argv):
    cmd = argv[1]
    table = argv[2]
    if cmd == "dv":
        print(json.dumps({"rows": decode_dv(table, json.loads(argv[3]))}))
        return
    live, metadata, protocol = replay(table)
    schema = json.loads(metadata["schemaString"])
    parts = metadata["partitionColumns"]
    physical = physical_names(schema, metadata.get("configuration"))
    def changes(version):
        path = os.path.join(table, "_delta_log", f"{version:020d}.json")
        cdc = []
        with open(path) as f:
            for line in f:
                if line.strip() and "cdc" in json.loads(line):
                    c = json.loads(line)["cdc"]
                    cdc.append((urllib.parse.unquote(c["path"]), c.get("partitionValues") or {}, []))
        return {"rows": read_rows(table, cdc, schema, parts, physical, extra=("_change_type",)), "files": len(cdc)}

    if cmd == "rows":
        rows, described = [], []
        for a in live.values():
            deleted = decode_dv(table, a["deletionVector"]) if a.get("deletionVector") else []
            f = (urllib.parse.unquote(a["path"]), a.get("partitionValues") or {}, deleted)
            file_rows = read_rows(table, [f], schema, parts, physical)
            physical_rows = pq.ParquetFile(os.path.join(table, f[0])).metadata.num_rows
            rows.extend(file_rows)
            described.append({"path": a["path"], "deleted": deleted, "physicalRows": physical_rows, "rows": file_rows,
                              "stats": json.loads(a["stats"]) if a.get("stats") else None})
        out = {"rows": rows, "files": described, "protocol": protocol, "physicalNames": physical}
        if len(argv) > 3:
            out["changes"] = changes(int(argv[3]))
        print(json.dumps(out))
    elif cmd == "cdc":
        print(json.dumps(changes(int(argv[3]))))


def serve():
    """One command per stdin line (a JSON array of arguments); one JSON reply line each."""
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            main(["serve"] + json.loads(line))
        except Exception as e:  # reported to the caller: the test fails on it
            print(json.dumps({"error": repr(e)}))
        sys.stdout.flush()


if sys.argv[1] == "serve":
    serve()
else:
    main(sys.argv)
