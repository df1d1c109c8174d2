"""Writes Parquet files with legacy nested layouts that pyarrow cannot produce, into argv[1].

A minimal Parquet writer (Thrift compact footer, one uncompressed PLAIN v1 data page per column,
RLE levels) plus a Dremel shredder over rows given in the file's physical shape (groups as
dicts, repeated fields as lists). Layouts: 2-level lists of primitives and of structs (including
the `array` and `<name>_tuple` element rules), REPEATED fields outside LIST/MAP (primitive and
group), MAP_KEY_VALUE-annotated maps with unusual key/value names, a 3-level list for reference,
and a DECIMAL stored as variable-length BYTE_ARRAY. pyarrow reads them back as the oracle. Prints the written paths as JSON.
"""
import json
import os
import struct
import sys

OUT = sys.argv[1]
# Parquet enums
BOOLEAN, INT32, INT64, INT96, FLOAT, DOUBLE, BYTE_ARRAY = 0, 1, 2, 3, 4, 5, 6
REQUIRED, OPTIONAL, REPEATED = 0, 1, 2
UTF8, MAP, MAP_KEY_VALUE, LIST, DECIMAL = 0, 1, 2, 3, 5


class Thrift:
    """Thrift compact protocol: just what FileMetaData and PageHeader need."""

    def __init__(self):
        self.buf = bytearray()
        self.last = [0]

    def varint(self, n):
        while True:
            b = n & 0x7F
            n >>= 7
            if n:
                self.buf.append(b | 0x80)
            else:
                self.buf.append(b)
                return

    def zigzag(self, n):
        self.varint((n << 1) ^ (n >> 63))

    def header(self, fid, ftype):
        delta = fid - self.last[-1]
        if 0 < delta <= 15:
            self.buf.append((delta << 4) | ftype)
        else:
            self.buf.append(ftype)
            self.zigzag(fid)
        self.last[-1] = fid

    def i32(self, fid, v):
        self.header(fid, 5)
        self.zigzag(v)

    def i64(self, fid, v):
        self.header(fid, 6)
        self.zigzag(v)

    def string(self, fid, s):
        self.header(fid, 8)
        b = s.encode()
        self.varint(len(b))
        self.buf += b

    def begin_struct(self, fid):
        self.header(fid, 12)
        self.last.append(0)

    def end_struct(self):
        self.buf.append(0)
        self.last.pop()

    def list_of(self, fid, etype, items, write_item):
        self.header(fid, 9)
        n = len(items)
        self.buf.append((n << 4) | etype if n < 15 else 0xF0 | etype)
        if n >= 15:
            self.varint(n)
        for item in items:
            write_item(item)

    def list_struct_item(self, write_fields):
        self.last.append(0)
        write_fields()
        self.buf.append(0)
        self.last.pop()


def node(name, rep, ptype=None, children=None, converted=None, scale=None, precision=None):
    return {"name": name, "rep": rep, "type": ptype, "children": children or [], "converted": converted,
            "scale": scale, "precision": precision}


def leaves(n, path=()):
    p = path + (n["name"],)
    if not n["children"]:
        return [(p, n)]
    return [x for c in n["children"] for x in leaves(c, p)]


def shred(n, value, r, d, rdepth, out, path=()):
    """Appends (rep, def, value) for every leaf under n."""
    p = path + (n["name"],)
    if n["rep"] == REPEATED:
        items = value or []
        if not items:
            emit_null(n, r, d, out, path)
        for k, item in enumerate(items):
            content(n, item, r if k == 0 else rdepth + 1, d + 1, rdepth + 1, out, p)
    elif n["rep"] == OPTIONAL:
        if value is None:
            emit_null(n, r, d, out, path)
        else:
            content(n, value, r, d + 1, rdepth, out, p)
    else:
        content(n, value, r, d, rdepth, out, p)


def content(n, value, r, d, rdepth, out, p):
    if not n["children"]:
        out[p].append((r, d, value))
        return
    for c in n["children"]:
        shred(c, value.get(c["name"]), r, d, rdepth, out, p)


def emit_null(n, r, d, out, path):
    for p, _ in leaves(n, path):
        out[p].append((r, d, None))


def max_levels(root, p):
    rep = dfn = 0
    cur = root
    for name in p:
        cur = next(c for c in cur["children"] if c["name"] == name)
        if cur["rep"] == REPEATED:
            rep += 1
        if cur["rep"] != REQUIRED:
            dfn += 1
    return rep, dfn


def rle(levels, max_level):
    width = max(1, max_level.bit_length())
    nbytes = (width + 7) // 8
    body = bytearray()
    for v in levels:  # one RLE run per value: simple and valid
        body.append(1 << 1)
        body += v.to_bytes(nbytes, "little")
    return struct.pack("<I", len(body)) + body


def plain(ptype, values):
    if ptype == INT32:
        return b"".join(struct.pack("<i", v) for v in values)
    if ptype == INT64:
        return b"".join(struct.pack("<q", v) for v in values)
    if ptype == DOUBLE:
        return b"".join(struct.pack("<d", v) for v in values)
    if ptype == BYTE_ARRAY:
        raw = [v if isinstance(v, bytes) else v.encode() for v in values]
        return b"".join(struct.pack("<I", len(v)) + v for v in raw)
    raise ValueError(ptype)


def write_file(name, fields, rows):
    root = node("schema", REQUIRED, children=fields)
    cols = leaves(root)
    out = {p[1:]: [] for p, _ in cols}
    for row in rows:
        for f in fields:
            shred(f, row.get(f["name"]), 0, 0, 0, out)
    data = bytearray(b"PAR1")
    chunks = []
    for p, leaf in cols:
        path = p[1:]
        triples = out[path]
        mrep, mdef = max_levels(root, path)
        page = bytearray()
        if mrep:
            page += rle([t[0] for t in triples], mrep)
        if mdef:
            page += rle([t[1] for t in triples], mdef)
        page += plain(leaf["type"], [t[2] for t in triples if t[1] == mdef])
        h = Thrift()
        h.i32(1, 0)  # DATA_PAGE
        h.i32(2, len(page))
        h.i32(3, len(page))
        h.begin_struct(5)
        h.i32(1, len(triples))
        h.i32(2, 0)  # PLAIN
        h.i32(3, 3)  # RLE
        h.i32(4, 3)
        h.end_struct()
        h.buf.append(0)
        offset = len(data)
        data += h.buf + page
        chunks.append((path, leaf, offset, len(data) - offset, len(triples)))

    md = Thrift()
    md.i32(1, 1)

    def schema_items():
        items = []

        def walk(n, is_root=False):
            items.append((n, is_root))
            for c in n["children"]:
                walk(c)
        walk(root, True)
        return items

    def write_element(item):
        n, is_root = item

        def fields_():
            if n["type"] is not None:
                md.i32(1, n["type"])
            if not is_root:
                md.i32(3, n["rep"])
            md.string(4, n["name"])
            if n["children"]:
                md.i32(5, len(n["children"]))
            if n["converted"] is not None:
                md.i32(6, n["converted"])
            if n["scale"] is not None:
                md.i32(7, n["scale"])
                md.i32(8, n["precision"])
        md.list_struct_item(fields_)
    md.list_of(2, 12, schema_items(), write_element)
    md.i64(3, len(rows))

    def write_group(_):
        def fields_():
            def write_chunk(c):
                path, leaf, offset, size, nvals = c

                def chunk_fields():
                    md.i64(2, offset)
                    md.begin_struct(3)
                    md.i32(1, leaf["type"])
                    md.list_of(2, 5, [0, 3], lambda e: md.zigzag(e))
                    md.list_of(3, 8, list(path), lambda s: (md.varint(len(s.encode())), md.buf.extend(s.encode())))
                    md.i32(4, 0)  # UNCOMPRESSED
                    md.i64(5, nvals)
                    md.i64(6, size)
                    md.i64(7, size)
                    md.i64(9, offset)
                    md.end_struct()
                md.list_struct_item(chunk_fields)
            md.list_of(1, 12, chunks, write_chunk)
            md.i64(2, sum(c[3] for c in chunks))
            md.i64(3, len(rows))
        md.list_struct_item(fields_)
    md.list_of(4, 12, [0], write_group)
    md.buf.append(0)
    data += md.buf + struct.pack("<I", len(md.buf)) + b"PAR1"
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


I32 = lambda name, rep: node(name, rep, INT32)  # noqa: E731
STR = lambda name, rep: node(name, rep, BYTE_ARRAY, converted=UTF8)  # noqa: E731
fields = [
    I32("id", REQUIRED),
    node("two_level", OPTIONAL, children=[I32("element", REPEATED)], converted=LIST),
    node("two_level_struct", OPTIONAL, converted=LIST, children=[
        node("item", REPEATED, children=[I32("x", OPTIONAL), STR("y", OPTIONAL)])]),
    node("named_array", OPTIONAL, converted=LIST, children=[node("array", REPEATED, children=[I32("x", OPTIONAL)])]),
    node("tupled", OPTIONAL, converted=LIST, children=[node("tupled_tuple", REPEATED, children=[STR("s", REQUIRED)])]),
    node("three_level", OPTIONAL, converted=LIST, children=[node("list", REPEATED, children=[I32("element", OPTIONAL)])]),
    I32("bare", REPEATED),
    node("bare_group", REPEATED, children=[I32("a", REQUIRED), STR("b", OPTIONAL)]),
    node("s", OPTIONAL, children=[node("inner", REPEATED, children=[I32("v", OPTIONAL)]), I32("n", OPTIONAL)]),
    node("legacy_map", OPTIONAL, converted=MAP_KEY_VALUE, children=[
        node("map", REPEATED, children=[STR("k", REQUIRED), I32("v", OPTIONAL)])]),
    node("map_of_lists", OPTIONAL, converted=MAP, children=[
        node("key_value", REPEATED, converted=MAP_KEY_VALUE, children=[
            I32("key", REQUIRED), node("value", OPTIONAL, converted=LIST, children=[I32("element", REPEATED)])])]),
]
fields.append(node("dec_bytes", OPTIONAL, BYTE_ARRAY, converted=DECIMAL, scale=3, precision=30))


def be_bytes(v):
    """Minimal big-endian two's complement bytes of an int (how BYTE_ARRAY decimals are stored)."""
    n = 1
    while not -(1 << (8 * n - 1)) <= v < (1 << (8 * n - 1)):
        n += 1
    return v.to_bytes(n, "big", signed=True)


DECIMALS = [None, -(10 ** 29) + 7, -1, 123456789012345678901234567890 % (10 ** 30)]
rows = [
    {"id": 0},
    {"id": 1, "two_level": {"element": []}, "two_level_struct": {"item": []}, "named_array": {"array": []},
     "tupled": {"tupled_tuple": []}, "three_level": {"list": []}, "bare": [], "bare_group": [],
     "s": {"inner": []}, "legacy_map": {"map": []}, "map_of_lists": {"key_value": []}},
    {"id": 2, "two_level": {"element": [1, 2, 3]}, "two_level_struct": {"item": [{"x": 1, "y": "a"}, {"x": None, "y": None}]},
     "named_array": {"array": [{"x": 5}, {"x": None}]}, "tupled": {"tupled_tuple": [{"s": "t1"}, {"s": "t2"}]},
     "three_level": {"list": [{"element": 7}, {"element": None}]}, "bare": [9, 8],
     "bare_group": [{"a": 1, "b": "x"}, {"a": 2, "b": None}], "s": {"inner": [{"v": 1}, {"v": None}], "n": 4},
     "legacy_map": {"map": [{"k": "one", "v": 1}, {"k": "none", "v": None}]},
     "map_of_lists": {"key_value": [{"key": 1, "value": {"element": [1, 2]}}, {"key": 2, "value": None},
                                    {"key": 3, "value": {"element": []}}]}},
    {"id": 3, "two_level": None, "s": None, "bare": [42]},
]
for i, row in enumerate(rows):
    v = DECIMALS[i % len(DECIMALS)]
    row["dec_bytes"] = None if v is None else be_bytes(v)
written = [write_file("legacy-nested.parquet", fields, rows)]
print(json.dumps(written))
