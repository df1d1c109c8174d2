/**
 * The change feed's refusals, each a typed error naming the version: the feed off for part of the
 * range (kernel's table-with-cdf: on, off at 2, on again at 3), a schema change inside the range,
 * a range ending before it starts or starting after the latest version, commits removed by log
 * cleanup, unsupported reader features; and the one non-refusal: a start just past the latest
 * version with `emptyWhenCaughtUp` is an empty feed. Timestamp bounds resolve as Delta's do.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONFORMANCE, memoryStoreFromDir } from "../helpers/conformance.js";
import { planChanges, type ChangesOptions } from "../../src/core/changes/change-plan.js";
import { readChanges } from "../../src/core/changes/read-changes.js";
import { ChangeFeedError, type ChangeFeedRefusal } from "../../src/core/changes/errors.js";
import { InvalidInputError, UnsupportedFeatureError } from "../../src/core/errors.js";

const store = (t: string) => memoryStoreFromDir(join(CONFORMANCE, t));

async function refusal(options: ChangesOptions): Promise<ChangeFeedError> {
  const err = await planChanges(options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ChangeFeedError);
  return err as ChangeFeedError;
}

async function expectRefusal(options: ChangesOptions, why: ChangeFeedRefusal, version: number): Promise<ChangeFeedError> {
  const err = await refusal(options);
  expect(err.refusal).toBe(why);
  expect(err.version).toBe(version);
  expect(err.message).toContain(`version ${version}`);
  expect(err.code).toBe("INVALID_INPUT");
  return err;
}

describe("change feed refusals", () => {
  const withCdf = store("kernel/table-with-cdf");

  it("plans the ranges where the feed is on (kernel's valid ranges of table-with-cdf)", async () => {
    for (const [s, e] of [
      [0, 1],
      [0, 0],
      [1, 1],
    ] as const) {
      const plan = await planChanges({ store: withCdf, startingVersion: s, endingVersion: e });
      expect([plan.startVersion, plan.endVersion]).toEqual([s, e]);
    }
    // Version 1 has a cdc action: only it is read, not the remove beside it.
    const plan = await planChanges({ store: withCdf, startingVersion: 1, endingVersion: 1 });
    expect(plan.runs.map((r) => r.files.map((f) => f.add.path))).toEqual([["fake/path/2"]]);
  });

  it("refuses ranges with the feed off at a version, naming it (kernel's invalid ranges)", async () => {
    for (const [s, e] of [
      [0, 2],
      [1, 2],
      [2, 2],
      [2, 3],
    ] as const) {
      await expectRefusal({ store: withCdf, startingVersion: s, endingVersion: e }, "feedDisabled", 2);
    }
  });

  it("refuses a schema change inside the range (a field becomes non-nullable at 4)", async () => {
    const err = await expectRefusal({ store: withCdf, startingVersion: 3, endingVersion: 4 }, "schemaChanged", 4);
    expect(err.message).toMatch(/read the feed up to version 3 and from version 4 separately/);
  });

  it("refuses a table without the feed", async () => {
    await expectRefusal({ store: store("golden/deltalog-getChanges/delta"), startingVersion: 0 }, "feedDisabled", 0);
  });

  const simple = store("kernel/cdf-table-simple");

  it("refuses a range that ends before it starts", async () => {
    await expectRefusal({ store: simple, startingVersion: 1, endingVersion: 0 }, "endBeforeStart", 0);
  });

  it("refuses a range starting after the latest version, naming the latest", async () => {
    const err = await expectRefusal({ store: simple, startingVersion: 3, endingVersion: 4 }, "startAfterLatest", 3);
    expect(err.message).toMatch(/after the latest version 2/);
    await expectRefusal({ store: simple, startingVersion: 7 }, "startAfterLatest", 7);
    await expectRefusal({ store: simple, startingVersion: 7, emptyWhenCaughtUp: true }, "startAfterLatest", 7);
  });

  it("with emptyWhenCaughtUp, a start just past the latest version is an empty feed with the table's schema", async () => {
    const plan = await planChanges({ store: simple, startingVersion: 3, emptyWhenCaughtUp: true });
    expect([plan.startVersion, plan.endVersion, plan.runs.length]).toEqual([3, 2, 0]);
    const table = await readChanges({ store: simple, startingVersion: 3, emptyWhenCaughtUp: true });
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toEqual(["id", "_change_type", "_commit_version", "_commit_timestamp"]);
  });

  it("an end after the latest version is the latest", async () => {
    const plan = await planChanges({ store: simple, startingVersion: 1, endingVersion: 99 });
    expect([plan.startVersion, plan.endVersion]).toEqual([1, 2]);
  });

  it("refuses commits removed by log cleanup, naming the earliest version left", async () => {
    const cleaned = store("delta-rs/checkpoint-cdf-table"); // log starts at 3 (checkpoint 3)
    for (const v of [0, 2]) {
      const err = await expectRefusal({ store: cleaned, startingVersion: v }, "commitCleanedUp", v);
      expect(err.message).toMatch(/earliest available version is 3/);
    }
    const plan = await planChanges({ store: cleaned, startingVersion: 3 });
    expect([plan.startVersion, plan.endVersion]).toEqual([3, 5]);
  });

  it("refuses a table with a reader feature delta-edge does not support, naming it and the version", async () => {
    const err = await planChanges({ store: store("delta-rs/simple_table_features"), startingVersion: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedFeatureError);
    expect((err as UnsupportedFeatureError).feature).toBe("blahabl");
    expect((err as UnsupportedFeatureError).version).toBe(0);
  });

  it("needs exactly one start and at most one end", async () => {
    await expect(planChanges({ store: simple })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(planChanges({ store: simple, startingVersion: 0, startingTimestamp: 0 })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(planChanges({ store: simple, startingVersion: 0, endingVersion: 1, endingTimestamp: 0 })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(planChanges({ store: simple, startingVersion: -1 })).rejects.toBeInstanceOf(ChangeFeedError);
  });
});

describe("change feed bounds as timestamps (in-commit timestamps of cdc_ict_table)", () => {
  const ict = store("delta-rs/cdc_ict_table");
  // commitInfo.inCommitTimestamp of versions 2 and 3.
  const t2 = 1783874212175;
  const t3 = 1783874213881;

  it("a starting timestamp selects the first commit at or after it; an ending one the last at or before it", async () => {
    expect((await planChanges({ store: ict, startingTimestamp: t2 })).startVersion).toBe(2);
    expect((await planChanges({ store: ict, startingTimestamp: t2 + 1 })).startVersion).toBe(3);
    const plan = await planChanges({ store: ict, startingTimestamp: new Date(t2).toISOString(), endingTimestamp: t3 - 1 });
    expect([plan.startVersion, plan.endVersion]).toEqual([2, 2]);
    expect(plan.timestamps.get(2)).toBe(t2);
  });

  it("refuses a starting timestamp after the latest commit, and a window with no commit", async () => {
    const after = await expectRefusal({ store: ict, startingTimestamp: t3 + 1 }, "startAfterLatest", 4);
    expect(after.message).toMatch(/no commit at or after/);
    await expectRefusal({ store: ict, startingTimestamp: t2 + 1, endingTimestamp: t3 - 1 }, "endBeforeStart", 3);
  });
});
