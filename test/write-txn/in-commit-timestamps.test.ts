/**
 * In-commit timestamps: on tables with delta.enableInCommitTimestamps=true every commit starts with
 * commitInfo carrying inCommitTimestamp = max(now, previous + 1), also across retries past
 * concurrent winners; enabling ICT on an existing table records the enablement version and
 * timestamp; the reader's snapshot timestamp is the ICT.
 */
import { describe, expect, it } from "vitest";
import { MemoryStore } from "../../src/core/storage/memory.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { createTable } from "../../src/core/write/table-create.js";
import { Transaction } from "../../src/core/write/transaction.js";
import { SCHEMA, commitLines, fakeAdd } from "./helpers.js";

describe("in-commit timestamps", () => {
  it("are written first and increase even when the clock does not", async () => {
    let now = 5_000;
    const clock = () => now;
    const store = new MemoryStore({ now: clock });
    await createTable({ store, schema: SCHEMA, configuration: { "delta.enableInCommitTimestamps": "true" }, now: clock });
    expect((await loadSnapshot({ store })).protocol).toEqual({ minReaderVersion: 1, minWriterVersion: 7, writerFeatures: ["inCommitTimestamp"] });
    const stale = await loadSnapshot({ store });
    for (let v = 1; v <= 3; v++) {
      now = v === 2 ? 1_000 : 5_000 + v; // the clock goes back at version 2
      await new Transaction({ store, snapshot: await loadSnapshot({ store }), operation: "WRITE", now: clock }).addFiles([fakeAdd(`f${v}`)]).commit();
    }
    // A writer from a stale snapshot retries past three winners and still increases the ICT.
    now = 10;
    const late = await new Transaction({ store, snapshot: stale, operation: "WRITE", now: clock }).addFiles([fakeAdd("late")]).commit();
    expect(late).toMatchObject({ version: 4, winners: [1, 2, 3] });
    const icts: number[] = [];
    for (let v = 0; v <= 4; v++) {
      const [first] = await commitLines(store, v);
      expect(Object.keys(first ?? {})).toEqual(["commitInfo"]);
      expect(Object.keys(first!.commitInfo!)[0]).toBe("inCommitTimestamp");
      icts.push(first!.commitInfo!.inCommitTimestamp as number);
    }
    expect(icts).toEqual([5_000, 5_001, 5_002, 5_003, 5_004]);
    expect((await loadSnapshot({ store })).timestamp).toBe(5_004);
  });

  it("enabling them on an existing table records the enablement version and timestamp", async () => {
    let now = Date.UTC(2024, 0, 1);
    const clock = () => now;
    const store = new MemoryStore({ now: clock });
    await createTable({ store, schema: SCHEMA, now: clock });
    now += 1000;
    await new Transaction({ store, snapshot: await loadSnapshot({ store }), operation: "WRITE", now: clock }).addFiles([fakeAdd("a")]).commit();
    const s = await loadSnapshot({ store });
    now -= 5000; // the writer's clock is behind the previous commit's file time
    const enable = new Transaction({ store, snapshot: s, operation: "SET TBLPROPERTIES", now: clock })
      .setProtocol({ minReaderVersion: 1, minWriterVersion: 7, writerFeatures: ["appendOnly", "invariants", "inCommitTimestamp"] })
      .setMetadata({ ...s.metadata, configuration: { "delta.enableInCommitTimestamps": "true" } });
    expect(await enable.commit()).toMatchObject({ version: 2 });
    const previousFileTime = (await store.head("_delta_log/00000000000000000001.json")).lastModified;
    const after = await loadSnapshot({ store });
    const ict = (await commitLines(store, 2))[0]?.commitInfo?.inCommitTimestamp as number;
    expect(ict).toBe(previousFileTime + 1);
    expect(after.properties).toMatchObject({
      "delta.enableInCommitTimestamps": "true",
      "delta.inCommitTimestampEnablementVersion": "2",
      "delta.inCommitTimestampEnablementTimestamp": String(ict),
    });
    expect(after.timestamp).toBe(ict);
  });
});
