/**
 * Log replay on real tables whose logs exercise reconciliation: canonical paths, delete then
 * re-add, newest protocol/metadata, (path, DV) keys, app transactions with expiry, and domain
 * metadata; plus checkpoints that carry only stats_parsed.
 */
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { CONFORMANCE } from "../helpers/conformance.js";
import { LocalStore } from "../../src/node/storage/local.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { canonicalPath, fileKey } from "../../src/core/log/replay.js";

const open = (t: string, version?: number) => loadSnapshot({ store: new LocalStore({ root: join(CONFORMANCE, t) }), version });

describe("log replay", () => {
  it("treats file:///x, file:/x and /x as one file (canonicalized-paths tables end empty)", async () => {
    for (const t of ["normal-b", "special-a", "special-b"]) {
      const s = await open(`golden/canonicalized-paths-${t}/delta`);
      expect(s.numFiles, t).toBe(0);
    }
    expect(canonicalPath("file:///a/with%20space/p@%23h")).toBe("/a/with space/p@#h");
    expect(canonicalPath("file:/a/b")).toBe("/a/b");
    expect(canonicalPath("x=A%252FA/f.parquet")).toBe("x=A%2FA/f.parquet");
  });

  it("a file removed and re-added in later commits is live with the newest add", async () => {
    const s = await open("golden/delete-re-add-same-file-different-transactions/delta");
    const byPath = new Map(s.files().map((f) => [f.path, f]));
    expect([...byPath.keys()].sort()).toEqual(["bar", "foo"]);
    expect(byPath.get("foo")?.modificationTime).toBe(1700000000000);
    const v1 = await open("golden/delete-re-add-same-file-different-transactions/delta", 1);
    expect(v1.numFiles).toBe(0);
  });

  it("the newest protocol and metaData win", async () => {
    const s = await open("golden/log-replay-latest-metadata-protocol/delta");
    expect(s.protocol).toMatchObject({ minReaderVersion: 3, minWriterVersion: 7, writerFeatures: ["appendOnly", "invariants"] });
  });

  it("keys files by (path, deletion vector): a DV update is a remove plus an add of the same path", async () => {
    const s = await open("kernel/table-with-dv-small");
    expect(s.numFiles).toBe(1);
    expect(s.files()[0]?.deletionVector?.storageType).toBe("u");
    const dv = { storageType: "u", pathOrInlineDv: "vBn[lx{q8@P<9BNH/isA", offset: 1, sizeInBytes: 36, cardinality: 2 };
    expect(fileKey("a.parquet", dv)).not.toBe(fileKey("a.parquet", { ...dv, offset: 2 }));
    expect(fileKey("a.parquet", null)).toBe("a.parquet");
  });

  it("app transactions: newest per appId, with and without a checkpoint", async () => {
    for (const t of ["kernel/app-txn-no-checkpoint", "kernel/app-txn-checkpoint"]) {
      const s = await open(t);
      const txns = Object.fromEntries(s.appTransactions().map((x) => [x.appId, x.version]));
      expect(txns, t).toEqual({ "my-app": 3, "my-app2": 2 }); // my-app committed 1 then 3
      expect(s.appTransactionVersion("my-app")).toBe(3);
      expect(s.appTransactionVersion("nobody")).toBeUndefined();
    }
  });

  it("app transactions older than delta.setTransactionRetentionDuration have expired", async () => {
    const s = await open("kernel/app-txn-with-last-updated");
    // Retention is 1 day: txns with a lastUpdated long ago are gone; one without lastUpdated stays.
    expect(s.appTransactions().map((t) => t.appId)).toEqual(["new_app_0"]);
    expect(s.appTransactionVersion("new_app_1")).toBeUndefined();
    expect(s.appTransactionVersion("new_app_1", 1500)).toBe(1);
  });

  it("domain metadata: newest per domain", async () => {
    const s = await open("delta-rs/table_with_liquid_clustering");
    expect([...s.domainMetadata().keys()].sort()).toEqual(["delta.liquid", "delta.rowTracking"]);
  });

  it("checkpoints with only stats_parsed keep typed stats on each add", async () => {
    const s = await open("kernel/v1-single-part-struct-stats-only");
    const withStats = s.files().filter((f) => f.statsParsed);
    expect(withStats.length).toBeGreaterThan(0);
    for (const f of withStats) expect(typeof f.statsParsed?.numRecords).toBe("number");
  });
});
