/**
 * A log is never misread: a commit line that is not complete JSON, or an action of the wrong
 * shape, is a ProtocolError naming the file, its version and the line (or checkpoint row), never
 * applied and never a TypeError, wherever the action comes from: commits, compaction files, JSON
 * and parquet checkpoints (classic, multi-part, V2 with sidecars) and `_last_checkpoint`. Each
 * case starts from a conformance table copied into a MemoryStore and changes one file.
 */
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer/src/write.js";
import { CONFORMANCE, memoryStoreFromDir } from "../helpers/conformance.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { readRows } from "../../src/core/scan/read.js";
import { tableInfo } from "../../src/core/table/summary.js";
import { readHistory } from "../../src/core/table/history.js";
import { ProtocolError } from "../../src/core/errors.js";
import { encodeCheckpoint, type CheckpointRow } from "../../src/core/write/checkpoint-write.js";
import type { MemoryStore } from "../../src/core/storage/memory.js";

const SIMPLE = "delta-rs/simple_table"; // versions 0..4; 4 deletes two files and adds one
const LAST = "_delta_log/00000000000000000004.json";

const copy = (t: string): MemoryStore => memoryStoreFromDir(join(CONFORMANCE, t), t);
const read = async (store: MemoryStore, key: string): Promise<string> => new TextDecoder().decode(await store.get(key));
const errorOf = (p: Promise<unknown>): Promise<unknown> => p.then(() => undefined, (e: unknown) => e);
const ids = async (store: MemoryStore): Promise<number[]> => {
  const out: number[] = [];
  for await (const r of readRows({ store, columns: ["id"] })) out.push(Number(r.id));
  return out.sort((a, b) => a - b);
};

/** Expects a ProtocolError whose message names the file (root + key), the version and `where`. */
async function expectProtocolError(store: MemoryStore, key: string, version: number, where: RegExp): Promise<ProtocolError> {
  const err = await errorOf(loadSnapshot({ store }));
  expect(err, String(err)).toBeInstanceOf(ProtocolError);
  const message = (err as Error).message;
  expect(message).toContain(`${store.root}/${key}`);
  expect(message).toContain(`version ${version}`);
  expect(message).toMatch(where);
  return err as ProtocolError;
}

describe("a torn commit is never applied", () => {
  it("the last commit of simple_table cut in half is a ProtocolError (it used to bring deleted rows back)", async () => {
    const store = copy(SIMPLE);
    const whole = await read(store, LAST);
    await store.put(LAST, whole.slice(0, Math.floor(whole.length / 2)));
    await expectProtocolError(store, LAST, 4, /line \d+: not complete JSON/);
  });

  it("a cut at any byte: a ProtocolError, or (cut at a line end) the rows of the lines kept", async () => {
    const pristine = copy(SIMPLE);
    const whole = await read(pristine, LAST);
    const lines = whole.split("\n");
    const boundaries = new Set<number>();
    for (let i = 0, at = 0; i < lines.length; i++) {
      at += (lines[i] as string).length;
      boundaries.add(at);
      at += 1;
      boundaries.add(at);
    }
    for (let cut = 1; cut < whole.length; cut += 3) {
      const store = copy(SIMPLE);
      await store.put(LAST, whole.slice(0, cut));
      const err = await errorOf(loadSnapshot({ store }));
      if (boundaries.has(cut)) expect(err, `cut at ${cut}`).toBeUndefined();
      else {
        expect(err, `cut at ${cut}`).toBeInstanceOf(ProtocolError);
        expect((err as Error).message).toContain(`${LAST}`);
      }
    }
  });
});

/** Lines that are valid JSON but not a well-formed action; each must name the field at fault. */
const BAD_ACTIONS: [string, RegExp][] = [
  ['{"add":42}', /add must be an object/],
  ['{"add":null}', /add must be an object/],
  ['{"remove":"x"}', /remove must be an object/],
  ['{"add":{"path":5,"partitionValues":{},"size":1,"modificationTime":1,"dataChange":true}}', /add\.path must be a string/],
  ['{"add":{"partitionValues":{},"size":1,"modificationTime":1,"dataChange":true}}', /add\.path is missing/],
  ['{"add":{"path":"a","partitionValues":{},"modificationTime":1,"dataChange":true}}', /add\.size is missing/],
  ['{"add":{"path":"a","partitionValues":{},"size":"12","modificationTime":1,"dataChange":true}}', /add\.size must be/],
  ['{"add":{"path":"a","partitionValues":{},"size":-1,"modificationTime":1,"dataChange":true}}', /add\.size must be a non-negative/],
  ['{"add":{"path":"a","partitionValues":{},"size":1.5,"modificationTime":1,"dataChange":true}}', /add\.size must be/],
  ['{"add":{"path":"a","partitionValues":{},"size":9007199254740993,"modificationTime":1,"dataChange":true}}', /add\.size must be .*beyond 2\^53/],
  ['{"add":{"path":"a","partitionValues":[],"size":1,"modificationTime":1,"dataChange":true}}', /add\.partitionValues must be an object/],
  ['{"add":{"path":"a","partitionValues":{"p":1},"size":1,"modificationTime":1,"dataChange":true}}', /add\.partitionValues\.p must be a string or null/],
  ['{"add":{"path":"a","size":1,"modificationTime":1,"dataChange":true}}', /add\.partitionValues is missing/],
  ['{"add":{"path":"a","partitionValues":{},"size":1,"dataChange":true}}', /add\.modificationTime is missing/],
  ['{"add":{"path":"a","partitionValues":{},"size":1,"modificationTime":1,"dataChange":"true"}}', /add\.dataChange must be true or false/],
  ['{"add":{"path":"a","partitionValues":{},"size":1,"modificationTime":1,"dataChange":true,"stats":{}}}', /add\.stats must be a string/],
  ['{"add":{"path":"a","partitionValues":{},"size":1,"modificationTime":1,"dataChange":true,"tags":{"t":2}}}', /add\.tags\.t must be a string/],
  ['{"add":{"path":"a","partitionValues":{},"size":1,"modificationTime":1,"dataChange":true,"deletionVector":7}}', /add\.deletionVector must be an object or null/],
  [
    '{"add":{"path":"a","partitionValues":{},"size":1,"modificationTime":1,"dataChange":true,"deletionVector":{"storageType":"u","pathOrInlineDv":"x"}}}',
    /add\.deletionVector\.sizeInBytes is missing/,
  ],
  [
    '{"add":{"path":"a","partitionValues":{},"size":1,"modificationTime":1,"dataChange":true,"deletionVector":{"storageType":"u","pathOrInlineDv":"x","offset":"1","sizeInBytes":1,"cardinality":1}}}',
    /add\.deletionVector\.offset must be/,
  ],
  ['{"add":{"path":"a","partitionValues":{},"size":1,"modificationTime":1,"dataChange":true,"baseRowId":"1"}}', /add\.baseRowId must be/],
  ['{"remove":{"dataChange":true}}', /remove\.path is missing/],
  ['{"remove":{"path":"a"}}', /remove\.dataChange is missing/],
  ['{"remove":{"path":"a","dataChange":true,"size":"1"}}', /remove\.size must be/],
  ['{"remove":{"path":"a","dataChange":true,"deletionTimestamp":"now"}}', /remove\.deletionTimestamp must be/],
  ['{"protocol":{"minReaderVersion":"1","minWriterVersion":2}}', /protocol\.minReaderVersion must be an integer/],
  ['{"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":"deletionVectors"}}', /protocol\.readerFeatures must be an array of strings/],
  ['{"protocol":[]}', /protocol must be an object/],
  ['{"metaData":{"format":{"provider":"parquet"},"schemaString":"{}","partitionColumns":[],"configuration":{}}}', /metaData\.id is missing/],
  ['{"metaData":{"id":"x","schemaString":"{}","partitionColumns":[],"configuration":{}}}', /metaData\.format is missing/],
  ['{"metaData":{"id":"x","format":{"provider":"parquet"},"schemaString":"{}","partitionColumns":"a","configuration":{}}}', /metaData\.partitionColumns must be an array/],
  ['{"metaData":{"id":"x","format":{"provider":"parquet"},"schemaString":7,"partitionColumns":[],"configuration":{}}}', /metaData\.schemaString must be a string/],
  ['{"metaData":{"id":"x","format":{"provider":"parquet"},"schemaString":"{}","partitionColumns":[],"configuration":{"k":1}}}', /metaData\.configuration\.k must be a string/],
  ['{"txn":{"appId":1,"version":3}}', /txn\.appId must be a string/],
  ['{"txn":{"appId":"a","version":"3"}}', /txn\.version must be an integer/],
  ['{"domainMetadata":{"domain":"d","configuration":"{}","removed":"no"}}', /domainMetadata\.removed must be true or false/],
  ['{"commitInfo":5}', /commitInfo must be an object/],
  ['{"cdc":{"path":"c","partitionValues":{},"dataChange":false}}', /cdc\.size is missing/],
  ['{"add":{"path":"a","partitionValues":{},"size":1,"modificationTime":1,"dataChange":true},"remove":{"path":"a","dataChange":true}}', /holds two actions/],
  ["[1,2]", /expected an action object, got an array/],
  ["null", /expected an action object, got null/],
  ['"add"', /expected an action object/],
];

describe("actions of the wrong shape in a commit are ProtocolErrors naming file, version and line", () => {
  for (const [line, why] of BAD_ACTIONS) {
    it(line.slice(0, 90), async () => {
      const store = copy(SIMPLE);
      const whole = await read(store, LAST);
      const n = whole.split("\n").filter((l) => l !== "").length;
      await store.put(LAST, `${whole.trimEnd()}\n${line}\n`);
      await expectProtocolError(store, LAST, 4, new RegExp(`line ${n + 1}: .*${why.source}`));
    });
  }

  it("a torn line is refused even when an earlier line is fine and a later one too", async () => {
    const store = copy(SIMPLE);
    const lines = (await read(store, LAST)).split("\n").filter((l) => l !== "");
    const removeAt = lines.findIndex((l) => l.startsWith('{"remove"'));
    lines[removeAt] = (lines[removeAt] as string).slice(0, -2); // drop the closing braces
    await store.put(LAST, `${lines.join("\n")}\n`);
    await expectProtocolError(store, LAST, 4, new RegExp(`line ${removeAt + 1}: not complete JSON`));
  });

  it("unknown actions and unknown fields are ignored, and whitespace changes nothing", async () => {
    const store = copy(SIMPLE);
    const before = await ids(copy(SIMPLE));
    const lines = (await read(store, LAST)).split("\n").filter((l) => l !== "");
    const spaced = lines.map((l) => JSON.stringify(JSON.parse(l), null, 1).replaceAll("\n", " "));
    await store.put(LAST, `${spaced.join("\r\n")}\r\n{"futureAction":{"x":[1,{"y":null}]}}\n\n`);
    expect(await ids(store)).toEqual(before);
  });
});

describe("wrong shapes in the other places actions come from", () => {
  it("a log compaction file", async () => {
    const store = copy("kernel/compacted-log-files-table");
    const key = "_delta_log/00000000000000000000.00000000000000000005.compacted.json";
    const whole = await read(store, key);
    await store.put(key, `${whole.trimEnd()}\n{"add":{"path":"x","partitionValues":{},"size":"big","modificationTime":1,"dataChange":true}}\n`);
    const n = whole.trimEnd().split("\n").length + 1;
    await expectProtocolError(store, key, 0, new RegExp(`line ${n}: add\\.size must be`));
  });

  it("a V2 checkpoint in JSON", async () => {
    const store = copy("kernel/v2-checkpoints-json-without-sidecars");
    const key = "_delta_log/00000000000000000002.checkpoint.dcc3e6d4-94fb-400d-ab9b-a8ac58f0e1b8.json";
    const lines = (await read(store, key)).split("\n").filter((l) => l !== "");
    const at = lines.findIndex((l) => l.startsWith('{"add"'));
    lines[at] = (lines[at] as string).replace(/"dataChange":(true|false)/, '"dataChange":1');
    await store.put(key, lines.join("\n"));
    await expectProtocolError(store, key, 2, new RegExp(`line ${at + 1}: add\\.dataChange must be true or false`));
  });

  it("a torn V2 JSON checkpoint", async () => {
    const store = copy("kernel/v2-checkpoints-json-without-sidecars");
    const key = "_delta_log/00000000000000000002.checkpoint.dcc3e6d4-94fb-400d-ab9b-a8ac58f0e1b8.json";
    const whole = await read(store, key);
    await store.put(key, whole.slice(0, whole.length - 10));
    await expectProtocolError(store, key, 2, /not complete JSON/);
  });

  for (const t of ["kernel/v2-checkpoints-json-with-sidecars", "kernel/v2-checkpoints-parquet-with-sidecars"]) {
    it(`a sidecar of the V2 checkpoint in use (${t})`, async () => {
      const store = copy(t);
      const checkpointVersions: number[] = [];
      for await (const m of store.list("_delta_log/")) {
        const v = /^_delta_log\/(\d{20})\.checkpoint\.[0-9a-f-]{36}\.(json|parquet)$/.exec(m.key);
        if (v) checkpointVersions.push(Number(v[1]));
      }
      const version = Math.max(...checkpointVersions);
      let key: string | undefined;
      for await (const m of store.list("_delta_log/_sidecars/")) if (m.key.slice(21).startsWith(String(version).padStart(20, "0"))) key ??= m.key;
      expect(key).toBeDefined();
      // A sidecar whose one add has no path.
      await store.put(key as string, encodeCheckpoint([{ add: { ...goodAddRow(), path: null } }]));
      await expectProtocolError(store, key as string, version, /row 1: add\.path must be a string, got null/);
    });
  }

  it("a classic parquet checkpoint: a null required field, an int64 beyond 2^53, a column of the wrong type", async () => {
    const key = "_delta_log/00000000000000000002.checkpoint.parquet";
    const rows = (extra: CheckpointRow): CheckpointRow[] => [{ protocol: { minReaderVersion: 1, minWriterVersion: 2 } }, extra];
    const cases: [Uint8Array, RegExp][] = [
      [encodeCheckpoint(rows({ add: { ...goodAddRow(), size: null } })), /row 2: add\.size is missing|row 2: add\.size must be .*got null/],
      [encodeCheckpoint(rows({ add: { ...goodAddRow(), modificationTime: 2n ** 60n } })), /row 2: add\.modificationTime must be .*beyond 2\^53/],
      [encodeCheckpoint(rows({ remove: { path: "x", dataChange: null } })), /row 2: remove\.dataChange/],
      [encodeCheckpoint(rows({ metaData: { id: null, format: { provider: "parquet", options: {} }, partitionColumns: [], configuration: {} } })), /row 2: metaData\.id/],
      [
        new Uint8Array(parquetWriteBuffer({ columnData: [{ name: "add", data: [42n], type: "INT64" }] })),
        /row 1: add must be an object, got number 42/,
      ],
    ];
    for (const [bytes, why] of cases) {
      const store = copy("kernel/with_checkpoint_no_last_checkpoint");
      await store.put(key, bytes);
      await expectProtocolError(store, key, 2, why);
    }
  });

  it("a truncated parquet checkpoint", async () => {
    const store = copy("kernel/with_checkpoint_no_last_checkpoint");
    const key = "_delta_log/00000000000000000002.checkpoint.parquet";
    const bytes = await store.get(key);
    for (const cut of [8, Math.floor(bytes.length / 2), bytes.length - 1]) {
      await store.put(key, bytes.slice(0, cut));
      await expectProtocolError(store, key, 2, /checkpoint parquet/);
    }
  });

  it("one part of a multi-part checkpoint", async () => {
    const store = copy("kernel/v1-multi-part-struct-stats-only");
    const key = "_delta_log/00000000000000000005.checkpoint.0000000002.0000000003.parquet";
    await store.put(key, encodeCheckpoint([{ add: { ...goodAddRow(), partitionValues: null, dataChange: null } }]));
    await expectProtocolError(store, key, 5, /row 1: add\.dataChange/);
  });

  it("_last_checkpoint is a hint: bad embedded V2 actions or a version beyond 2^53 are not used, and nothing changes", async () => {
    const t = "kernel/v2-checkpoints-json-with-last-checkpoint";
    const expected = (await loadSnapshot({ store: copy(t) })).files().map((f) => f.path);
    const hint = JSON.parse(await read(copy(t), "_delta_log/_last_checkpoint")) as Record<string, unknown>;
    const v2 = hint.v2Checkpoint as Record<string, unknown> | undefined;
    const variants: (Record<string, unknown> | string)[] = [
      JSON.stringify({ ...hint, version: 0 }).replace('"version":0', '"version":9007199254740993'),
      { ...hint, v2Checkpoint: { ...v2, nonFileActions: [{ protocol: { minReaderVersion: "3" } }] } },
      { ...hint, v2Checkpoint: { ...v2, nonFileActions: "oops" } },
      { ...hint, v2Checkpoint: { ...v2, sidecarFiles: [{ path: 1 }] } },
    ];
    for (const variant of variants) {
      const store = copy(t);
      await store.put("_delta_log/_last_checkpoint", typeof variant === "string" ? variant : JSON.stringify(variant));
      const s = await loadSnapshot({ store });
      expect(s.files().map((f) => f.path)).toEqual(expected);
      expect(s.protocol.minReaderVersion).toBe(3);
    }
  });
});

describe("history reads commitInfo lines with the same checks", () => {
  for (const [what, change, why] of [
    ["a torn commitInfo line", (l: string) => l.slice(0, 40), /line 1: not complete JSON/],
    ["a commitInfo that is not an object", () => '{"commitInfo":5}', /line 1: commitInfo must be an object/],
  ] as const) {
    it(what, async () => {
      const store = copy(SIMPLE);
      const lines = (await read(store, LAST)).split("\n");
      expect(lines[0]).toMatch(/^\{"commitInfo"/);
      lines[0] = change(lines[0] as string);
      await store.put(LAST, lines.join("\n"));
      const err = await errorOf(readHistory({ store }));
      expect(err).toBeInstanceOf(ProtocolError);
      expect((err as Error).message).toMatch(why);
      expect((err as Error).message).toContain(`${store.root}/${LAST}, version 4`);
    });
  }
});

describe("a bad schemaString", () => {
  it("is the same ProtocolError for info (tableInfo) and for a scan, naming table and version", async () => {
    const store = copy(SIMPLE);
    const key = "_delta_log/00000000000000000000.json";
    const text = (await read(store, key)).replace(/"schemaString":"(?:[^"\\]|\\.)*"/, '"schemaString":"{\\"type\\":\\"struct\\",\\"fields\\":["');
    await store.put(key, text);
    const snapshot = await loadSnapshot({ store });
    const fromInfo = (() => {
      try {
        tableInfo(snapshot);
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    const fromScan = await errorOf(ids(store));
    for (const err of [fromInfo, fromScan]) {
      expect(err).toBeInstanceOf(ProtocolError);
      expect((err as Error).message).toMatch(/schemaString is not valid JSON/);
      expect((err as Error).message).toContain(`path ${store.root}, version 4`);
    }
    expect((fromInfo as Error).message).toBe((fromScan as Error).message);
  });
});

function goodAddRow(): Record<string, unknown> {
  return { path: "f.parquet", partitionValues: {}, size: 10n, modificationTime: 1n, dataChange: false, tags: null, deletionVector: null, baseRowId: null, defaultRowCommitVersion: null, stats: null };
}
