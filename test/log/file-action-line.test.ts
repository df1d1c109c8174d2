/**
 * The replay fast path never accepts a line the exact path would refuse: for random add/remove
 * lines (any field order, duplicates, wrong types, whitespace, escapes) and random corruptions of
 * them (cuts, dropped, inserted and replaced characters), a line matchFileActionLine accepts is
 * complete JSON that toAction accepts, with the path and size the fast path reads. Lines in the
 * form writers produce are accepted (so the fast path is used), and replaying random commits
 * gives exactly the state a plain JSON.parse replay gives.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ADD_PATH_OFFSET, REMOVE_PATH_OFFSET, matchFileActionLine, provenAddSize } from "../../src/core/log/file-action-line.js";
import { toAction, type Action } from "../../src/core/log/actions.js";
import { ReplayState, fileKey, materializeAdd, materializeRemove } from "../../src/core/log/replay.js";

const SOURCE = { path: "t/_delta_log/00000000000000000001.json", version: 1 };
const RUNS = { seed: 20240901, numRuns: 3000 };

const jsonString = fc.oneof(
  fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s)),
  fc.constantFrom('"a/b c.parquet"', '"x\\"y"', '"\\u0041"', '"\\q"', '"unterminated', '"tab\there"', '"é"', '"%41"', '"file:/x"'),
);
const jsonNumber = fc.oneof(
  fc.integer({ min: -5, max: 2000 }).map(String),
  fc.constantFrom("0", "-0", "1.5", "1e3", "01", "1.", ".5", "-", "9007199254740993", "999999999999999", "1000000000000000", "12e", "1E+2"),
);
const scalar = fc.oneof(jsonString, jsonNumber, fc.constantFrom("true", "false", "null", "tru", "nul"));
const smallMap = fc.oneof(
  fc.constantFrom("{}", '{"p":"1"}', '{"p":null}', '{"p":1}', '{"p":"1","q":"2"}', '{"p":{}}', "[]", '{"p":"1",}', '{"p" : "1"}', '{"\\u0070":"x"}'),
  scalar,
);
const dv = fc.constantFrom("null", '{"storageType":"u","pathOrInlineDv":"ab","offset":1,"sizeInBytes":3,"cardinality":1}', "{}", "1");
const known = ["path", "partitionValues", "size", "modificationTime", "dataChange", "stats", "tags", "deletionVector", "baseRowId", "defaultRowCommitVersion", "clusteringProvider", "deletionTimestamp", "extendedFileMetadata"];
const validField = fc.constantFrom<[string, string]>(
  ["stats", '"{\\"numRecords\\":3}"'],
  ["stats", "null"],
  ["tags", '{"t":"v"}'],
  ["tags", "null"],
  ["deletionVector", "null"],
  ["baseRowId", "7"],
  ["defaultRowCommitVersion", "null"],
  ["clusteringProvider", '"liquid"'],
  ["deletionTimestamp", "17"],
  ["extendedFileMetadata", "true"],
  ["partitionValues", '{"p":"x"}'],
  ["size", "12"],
);
const field = fc.oneof(
  { arbitrary: validField, weight: 12 },
  fc.tuple(fc.constantFrom(...known), fc.oneof(scalar, smallMap, dv)),
  fc.tuple(fc.constantFrom("path", "stats", "clusteringProvider"), jsonString),
  fc.tuple(fc.constantFrom("size", "modificationTime", "baseRowId", "deletionTimestamp"), jsonNumber),
  fc.tuple(fc.constantFrom("partitionValues", "tags"), smallMap),
  fc.tuple(fc.constantFrom("extra", "p\\u0061th", "size ", ""), fc.oneof(scalar, smallMap)),
);
/** A required-fields-first line in the usual order, then random fields: often valid. */
const line = fc
  .tuple(
    fc.constantFrom('{"add":', '{"add":', '{"remove":', '{"remove":', '{ "add":', '{"add" :', '{"cdc":'),
    fc.oneof({ arbitrary: fc.constantFrom('"a.parquet"', '"p=1/b c.parquet"', '"%41.parquet"'), weight: 4 }, jsonString),
    fc.constantFrom("{}", '{"p":"1"}', '{"p":null}'),
    fc.nat(5000),
    fc.constantFrom(true, true, true, false),
    fc.array(field, { maxLength: 4 }),
    fc.boolean(),
    fc.constantFrom("}}", "}}", "}}", "}}\r", "}} ", "}", "}}}", '},"x":1}', "}} x"),
  )
  .map(([head, path, pv, size, usual, extra, dataChangeFirst, tail]) => {
    const fields = head.includes("remove")
      ? [`"path":${path}`, ...(dataChangeFirst ? ['"dataChange":true'] : []), ...extra.map(([k, v]) => `"${k}":${v}`), ...(dataChangeFirst ? [] : ['"dataChange":false'])]
      : usual
        ? [`"path":${path}`, `"partitionValues":${pv}`, `"size":${size}`, '"modificationTime":5', '"dataChange":true', ...extra.map(([k, v]) => `"${k}":${v}`)]
        : extra.map(([k, v]) => `"${k}":${v}`);
    return `${head}{${fields.join(",")}${tail}`;
  });
const ALPHABET = '{}[]",:\\ 0123456789.eE-+truefalsn\t\r\u0001é';
const mutated = fc.oneof(
  { arbitrary: line, weight: 5 },
  fc.tuple(line, fc.nat()).map(([l, i]) => l.slice(0, i % (l.length + 1))),
  fc.tuple(line, fc.nat()).map(([l, i]) => l.slice(0, i % l.length) + l.slice((i % l.length) + 1)),
  fc.tuple(line, fc.nat(), fc.nat(ALPHABET.length - 1)).map(([l, i, c]) => l.slice(0, i % (l.length + 1)) + ALPHABET.charAt(c) + l.slice(i % (l.length + 1))),
  fc.tuple(line, fc.nat(), fc.nat(ALPHABET.length - 1)).map(([l, i, c]) => l.slice(0, i % l.length) + ALPHABET.charAt(c) + l.slice((i % l.length) + 1)),
);

describe("matchFileActionLine", () => {
  it("accepts only complete JSON of the shape toAction accepts, and reads path and size right", () => {
    let accepted = 0;
    fc.assert(
      fc.property(mutated, (text) => {
        const kind = matchFileActionLine(text, 0, text.length);
        if (kind === 0) return;
        accepted++;
        const raw = JSON.parse(text) as Record<string, Record<string, unknown>>;
        expect(Object.keys(raw)).toEqual([kind === 1 ? "add" : "remove"]);
        const action = toAction(raw, "line 1", SOURCE);
        const body = (kind === 1 ? action.add : action.remove) as unknown as Record<string, unknown>;
        const offset = kind === 1 ? ADD_PATH_OFFSET : REMOVE_PATH_OFFSET;
        expect(text.slice(offset, text.indexOf('"', offset))).toBe(body.path);
        expect(body.deletionVector ?? null).toBeNull();
        if (kind === 1) expect(provenAddSize(text)).toBe(body.size);
      }),
      RUNS,
    );
    // The generator must reach the accepting side often enough for this to mean something.
    expect(accepted).toBeGreaterThan(RUNS.numRuns / 20);
  });

  it("accepts the lines writers produce: required fields first, optional ones after, in any order", () => {
    // eslint-disable-next-line no-control-regex
    const plainPath = fc.string({ maxLength: 20 }).filter((s) => !/["\\\u0000-\u001f]/.test(s));
    const optional = fc.record(
      {
        stats: fc.option(fc.json(), { nil: null }),
        tags: fc.option(fc.dictionary(fc.string({ maxLength: 4 }), fc.option(fc.string({ maxLength: 4 }), { nil: null }), { maxKeys: 3 }), { nil: null }),
        deletionVector: fc.constant(null),
        baseRowId: fc.option(fc.integer(), { nil: null }),
        defaultRowCommitVersion: fc.option(fc.nat(), { nil: null }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(plainPath, fc.dictionary(fc.string({ maxLength: 5 }), fc.option(fc.string({ maxLength: 5 }), { nil: null })), fc.nat(), optional, (path, pv, size, rest) => {
        const add = JSON.stringify({ add: { path, partitionValues: pv, size, modificationTime: 1_700_000_000_000, dataChange: true, ...rest } });
        expect(matchFileActionLine(add, 0, add.length)).toBe(1);
        expect(provenAddSize(add)).toBe(size);
        const remove = JSON.stringify({ remove: { path, deletionTimestamp: 1, dataChange: true, extendedFileMetadata: true, partitionValues: pv, size, ...rest } });
        expect(matchFileActionLine(remove, 0, remove.length)).toBe(2);
      }),
      { seed: 7, numRuns: 500 },
    );
  });

  it("replaying random commits gives the state a plain JSON.parse replay gives", () => {
    const path = fc.constantFrom("a.parquet", "b%20c.parquet", "file:///t/a.parquet", "d=1/e.parquet", "q\\u0041.parquet");
    const dvJson = fc.constantFrom(undefined, { storageType: "i", pathOrInlineDv: "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L", sizeInBytes: 40, cardinality: 6 });
    const fileAction = fc.record({ remove: fc.boolean(), path, size: fc.nat(100), dv: dvJson, spaced: fc.boolean() }).map(({ remove, path: p, size, dv: d, spaced }) => {
      const body = remove ? { path: p, deletionTimestamp: 1, dataChange: true, ...(d ? { deletionVector: d } : {}) } : { path: p, partitionValues: {}, size, modificationTime: 1, dataChange: true, ...(d ? { deletionVector: d } : {}) };
      const text = JSON.stringify(remove ? { remove: body } : { add: body }, null, spaced ? 1 : undefined).replaceAll("\n", "");
      // JSON.stringify escapes nothing in these paths; \\u0041 stays a real escape.
      return text.replace("q\\\\u0041", "q\\u0041");
    });
    fc.assert(
      fc.property(fc.array(fc.array(fileAction, { maxLength: 8 }), { minLength: 1, maxLength: 4 }), (commits) => {
        const state = new ReplayState();
        const files = new Map<string, unknown>();
        const tombstones = new Map<string, unknown>();
        commits.forEach((lines, v) => {
          state.applyText(lines.join("\n"), true, { path: "t", version: v });
          for (const l of lines) {
            const a = toAction(JSON.parse(l), "line", SOURCE) as Action;
            if (a.add) {
              const key = fileKey(a.add.path, a.add.deletionVector);
              files.set(key, a.add);
              tombstones.delete(key);
            } else if (a.remove) {
              const key = fileKey(a.remove.path, a.remove.deletionVector);
              files.delete(key);
              tombstones.set(key, a.remove);
            }
          }
        });
        expect([...state.files.values()].map(materializeAdd)).toEqual([...files.values()]);
        expect([...state.tombstones.values()].map(materializeRemove)).toEqual([...tombstones.values()]);
      }),
      { seed: 11, numRuns: 500 },
    );
  });
});
