/**
 * The DynamoDB commit strategy against moto (S3 + DynamoDB on one endpoint), configured through
 * delta-rs's environment variables: lock-table items exactly as delta-rs writes them; a writer that
 * dies between PutItem and the copy leaves an incomplete entry that the next reader
 * (repairIncomplete), the next writeTable, or a writer losing that version finishes; Spark-style
 * temp paths are repaired too; N.json written without the lock is never overwritten; a missing
 * lock table is an error naming it. Fails under CI=true when moto is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProtocolError, StorageError } from "../../src/core/errors.js";
import { CommitExistsError } from "../../src/core/logstore/log-store.js";
import { DynamoDbLogStore } from "../../src/core/logstore/dynamodb.js";
import { repairIncomplete, selectLogStore } from "../../src/core/logstore/select.js";
import { runCli } from "../cli/run-cli.js";
import { S3Store } from "../../src/core/storage/s3.js";
import { s3Config } from "../../src/core/storage/s3-config.js";
import { storeFromUrl } from "../../src/core/storage/url.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { Transaction } from "../../src/core/write/transaction.js";
import { writeTable } from "../../src/core/write/write-table.js";
import { motoAvailability, startMoto, type MotoServer } from "../helpers/servers/moto.js";
import { createLockTable, motoDynamo, motoEnv } from "./moto-env.js";
import { commitTxnId, logKeys, RACE_SCHEMA, scannedIds } from "./race.js";

const availability = motoAvailability();
let moto: MotoServer | undefined;
const bucket = `ddb-${Date.now().toString(36)}`;
const LOCK = "delta_lock_test";
let tables = 0;

beforeAll(async () => {
  if (!availability.available) return;
  moto = await startMoto();
  await moto.createBucket(bucket);
  await createLockTable(moto, LOCK);
});
afterAll(async () => {
  await moto?.stop();
});

const lockedEnv = (): Record<string, string> =>
  motoEnv(moto as MotoServer, { AWS_S3_LOCKING_PROVIDER: "dynamodb", DELTA_DYNAMO_TABLE_NAME: LOCK, AWS_CONDITIONAL_PUT: "disabled" });

/** A fresh table location and its store. */
function freshTable(): { url: string; store: S3Store } {
  const url = `s3://${bucket}/t${++tables}`;
  return { url, store: storeFromUrl({ url, env: lockedEnv() }) as S3Store };
}

/** The same table through a store whose server-side copy always fails: the writer "dies" after PutItem. */
class CrashBeforeCopy extends S3Store {
  override async copy(): Promise<void> {
    throw new Error("simulated crash between PutItem and the copy");
  }
}
const crashing = (store: S3Store): CrashBeforeCopy =>
  new CrashBeforeCopy({ ...s3Config({ env: lockedEnv() }), bucket, prefix: store.prefix, client: { allowHttp: true, retries: 0 } });

/** Raw lock-table items of one table path. */
async function items(tablePath: string): Promise<Record<string, Record<string, string>>[]> {
  const res = await motoDynamo(moto as MotoServer).send<{ Items: Record<string, Record<string, string>>[] }>("Query", {
    TableName: LOCK,
    KeyConditionExpression: "tablePath = :tn",
    ExpressionAttributeValues: { ":tn": { S: tablePath } },
    ConsistentRead: true,
  });
  return res.Items;
}

const rows = (...ids: number[]): { id: number; writer: number }[] => ids.map((id) => ({ id, writer: 0 }));

describe.skipIf(!availability.available)("DynamoDbLogStore (moto)", () => {
  it("writes lock entries exactly as delta-rs does, completes them and removes the temp files", async () => {
    const { url, store } = freshTable();
    const before = Math.floor(Date.now() / 1000);
    await writeTable({ store, data: rows(1), schema: RACE_SCHEMA });
    await writeTable({ store, data: rows(2), mode: "append" });
    const got = await items(url);
    expect(got.map((i) => i.fileName?.S)).toEqual(["00000000000000000000.json", "00000000000000000001.json"]);
    for (const item of got) {
      expect(Object.keys(item).sort()).toEqual(["complete", "expireTime", "fileName", "tablePath", "tempPath"]);
      expect(item.tablePath).toEqual({ S: url });
      expect(item.complete).toEqual({ S: "true" });
      expect(item.tempPath?.S).toMatch(/^_commit_[0-9a-f-]{36}\.json\.tmp$/);
      const expire = Number(item.expireTime?.N);
      expect(expire).toBeGreaterThanOrEqual(before + 86_400);
      expect(expire).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 86_400);
    }
    expect((await logKeys(store)).filter((k) => k.includes("_commit_"))).toEqual([]);
    expect(await scannedIds(store)).toEqual([1, 2]);
    expect(await selectLogStore({ store }).latestVersionHint?.()).toBe(1);
  });

  it("a writer that dies after PutItem leaves the commit for the next reader to finish", async () => {
    const { url, store } = freshTable();
    await writeTable({ store, data: rows(1), schema: RACE_SCHEMA });
    const dead = crashing(store);
    await expect(writeTable({ store: dead, data: rows(2), mode: "append" })).rejects.toThrow(/version 1 is reserved in lock table/);
    expect((await items(url)).map((i) => i.complete?.S)).toEqual(["true", "false"]);
    expect((await loadSnapshot({ store })).version).toBe(0); // not visible yet: 1.json is missing
    expect(await repairIncomplete({ store })).toEqual({ version: 1, repaired: true });
    expect((await loadSnapshot({ store })).version).toBe(1);
    expect(await scannedIds(store)).toEqual([1, 2]);
    expect((await items(url)).map((i) => i.complete?.S)).toEqual(["true", "true"]);
    expect((await logKeys(store)).filter((k) => k.includes("_commit_"))).toEqual([]);
    expect(await repairIncomplete({ store })).toEqual({ version: 1, repaired: false });
  });

  it("the CLI finishes a dead writer's commit before reading (delta-edge info, scan)", async () => {
    const { url, store } = freshTable();
    await writeTable({ store, data: rows(1), schema: RACE_SCHEMA });
    await expect(writeTable({ store: crashing(store), data: rows(2), mode: "append" })).rejects.toThrow(/reserved in lock table/);
    const info = await runCli(["info", url], lockedEnv());
    expect(info.stderr).toBe("");
    expect((JSON.parse(info.stdout) as { version: number }).version).toBe(1);
    expect((await items(url)).map((i) => i.complete?.S)).toEqual(["true", "true"]);
    const scan = await runCli(["scan", url, "--columns", "id"], lockedEnv());
    expect(scan.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { id: number }).id).sort()).toEqual([1, 2]);
  });

  it("the next writeTable finishes a dead writer's commit before appending", async () => {
    const { store } = freshTable();
    await writeTable({ store, data: rows(1), schema: RACE_SCHEMA });
    await expect(writeTable({ store: crashing(store), data: rows(2), mode: "append" })).rejects.toBeInstanceOf(StorageError);
    const next = await writeTable({ store, data: rows(3), mode: "append" });
    expect(next.version).toBe(2);
    expect(await scannedIds(store)).toEqual([1, 2, 3]);
  });

  it("a writer losing the dead writer's version finishes it and commits after it", async () => {
    const { store } = freshTable();
    await writeTable({ store, data: rows(1), schema: RACE_SCHEMA });
    const stale = await loadSnapshot({ store });
    const dead = await writeTable({ store: crashing(store), data: rows(2), mode: "append" }).catch((e: unknown) => e);
    expect(dead).toBeInstanceOf(StorageError);
    // No repair first: this writer tries version 1, loses it to the dead writer's entry, finishes it.
    const txn = new Transaction({ store, snapshot: stale, operation: "WRITE", postCommit: false });
    const result = await txn.addFiles([]).commit();
    expect(result).toMatchObject({ status: "committed", version: 2, winners: [1] });
    expect((await loadSnapshot({ store })).version).toBe(2);
    expect(await scannedIds(store)).toEqual([1, 2]);
  });

  it("repairs an incomplete entry whose temp file uses Spark's naming (.tmp/N.json.<uuid>)", async () => {
    const { url, store } = freshTable();
    await writeTable({ store, data: rows(1), schema: RACE_SCHEMA });
    const body = '{"commitInfo":{"timestamp":1700000000000,"operation":"WRITE","txnId":"spark-1"}}\n';
    const temp = ".tmp/00000000000000000001.json.2f1c7a2e-0a9e-4a43-9a0c-4f0e7f3b5c11";
    await store.put(`_delta_log/${temp}`, body);
    await motoDynamo(moto as MotoServer).send("PutItem", {
      TableName: LOCK,
      Item: { tablePath: { S: url }, fileName: { S: "00000000000000000001.json" }, tempPath: { S: temp }, complete: { S: "false" } },
    });
    expect(await repairIncomplete({ store })).toEqual({ version: 1, repaired: true });
    expect(await commitTxnId(store, 1)).toBe("spark-1");
    expect((await items(url))[1]?.complete).toEqual({ S: "true" });
  });

  it("reports an incomplete entry whose files are both gone, saying how to unblock writers", async () => {
    const { url, store } = freshTable();
    await writeTable({ store, data: rows(1), schema: RACE_SCHEMA });
    await motoDynamo(moto as MotoServer).send("PutItem", {
      TableName: LOCK,
      Item: { tablePath: { S: url }, fileName: { S: "00000000000000000001.json" }, tempPath: { S: "_commit_gone.json.tmp" }, complete: { S: "false" } },
    });
    const err = await repairIncomplete({ store }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as Error).message).toContain(`delete the item {tablePath: "${url}", fileName: "00000000000000000001.json"}`);
  });

  it("never overwrites N.json written without the lock (or after its entry expired)", async () => {
    const { url, store } = freshTable();
    await writeTable({ store, data: rows(1), schema: RACE_SCHEMA });
    const foreign = '{"commitInfo":{"txnId":"foreign"}}\n';
    await store.put("_delta_log/00000000000000000001.json", foreign);
    const logStore = selectLogStore({ store }) as DynamoDbLogStore;
    const err = await logStore.writeCommit({ version: 1, body: '{"commitInfo":{"txnId":"mine"}}\n' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommitExistsError);
    expect(new TextDecoder().decode((err as CommitExistsError).winner)).toBe(foreign);
    expect((await items(url)).map((i) => i.fileName?.S)).toEqual(["00000000000000000000.json"]);
    expect(await commitTxnId(store, 1)).toBe("foreign");
  });

  it("uses the table URI given for tablePath (s3a:// as Spark writes it)", async () => {
    const { store } = freshTable();
    const tableUri = `s3a://${bucket}/${store.prefix}`;
    const logStore = () => selectLogStore({ store, tableUri });
    await writeTable({ store, data: rows(1), schema: RACE_SCHEMA, logStore: logStore() });
    expect(await items(tableUri.replace(/\/$/, ""))).toHaveLength(1);
    expect(await repairIncomplete({ store, tableUri })).toEqual({ version: 0, repaired: false });
  });

  it("names a missing lock table", async () => {
    const url = `s3://${bucket}/t${++tables}`;
    const store = storeFromUrl({ url, env: { ...lockedEnv(), DELTA_DYNAMO_TABLE_NAME: "no_such_lock_table" } });
    await expect(writeTable({ store, data: rows(1), schema: RACE_SCHEMA })).rejects.toThrow(/lock table "no_such_lock_table" not found/);
  });
});
