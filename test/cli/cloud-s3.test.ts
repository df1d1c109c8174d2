/**
 * The CLI on `s3://` tables against moto_server, configured only with delta-rs's environment
 * variables (or the same keys as --option flags): `write` then `info`, `files` and `scan`; a table
 * written by the library read by the CLI; the DynamoDB lock (AWS_S3_LOCKING_PROVIDER=dynamodb,
 * DELTA_DYNAMO_TABLE_NAME) with its lock entries; the copy-header and unsafe-rename settings; and
 * the refusal when no safe commit strategy is configured. Runs the built CLI (`npm test` builds
 * first). Fails under CI=true when moto is missing.
 */
import { afterAll, describe, expect, it } from "vitest";
import { storeFromUrl } from "../../src/core/storage/url.js";
import { writeTable } from "../../src/core/write/write-table.js";
import { motoForFile } from "../helpers/servers/moto.js";
import { createLockTable, motoDynamo, motoEnv } from "../logstore/moto-env.js";
import { RACE_SCHEMA, logKeys } from "../logstore/race.js";
import { idsOf, ndjsonInputs, ndjsonOf, runCli, runCliOk } from "./run-cli.js";

const { availability, bucket, server: moto } = motoForFile("cli-s3", (server) => createLockTable(server, "cli_delta_log"));
const { input, remove } = ndjsonInputs("delta-edge-cli-s3-");

afterAll(() => {
  remove();
});

/** What a delta-rs user exports for this S3 endpoint. */
const awsEnv = (extra: Record<string, string> = {}): Record<string, string> => motoEnv(moto(), extra);

const [ok, ndjson, ids] = [runCliOk, ndjsonOf, idsOf];

describe.skipIf(!availability.available)("delta-edge on s3:// (moto)", () => {
  it("writes, appends and reads back with the default strategy (conditional put)", async () => {
    const table = `s3://${bucket}/tables/plain`;
    const env = awsEnv();
    expect(JSON.parse(await ok(["write", table, "--input", input("a.ndjson", [{ id: 1, name: "a" }, { id: 2, name: "b" }])], env))).toMatchObject({ status: "committed", version: 0, rows: 2 });
    expect(JSON.parse(await ok(["write", table, "--input", input("b.ndjson", [{ id: 3, name: "c" }]), "--mode", "append"], env))).toMatchObject({ version: 1 });
    const info = JSON.parse(await ok(["info", table], env)) as { version: number; numFiles: number };
    expect([info.version, info.numFiles]).toEqual([1, 2]);
    expect(ndjson(await ok(["files", table], env))).toHaveLength(2);
    expect(ids(await ok(["scan", table], env))).toEqual([1, 2, 3]);
    expect(ids(await ok(["scan", table, "--where", "id > 1"], env))).toEqual([2, 3]);
  });

  it("takes the same settings as --option flags", async () => {
    const table = `s3://${bucket}/tables/options`;
    const flags = Object.entries(awsEnv()).flatMap(([k, v]) => ["--option", `${k}=${v}`]);
    await ok(["write", table, "--input", input("c.ndjson", [{ id: 7 }]), ...flags], {});
    expect(ids(await ok(["scan", table, ...flags], {}))).toEqual([7]);
  });

  it("reads a table the library wrote", async () => {
    const table = `s3://${bucket}/tables/library`;
    const store = storeFromUrl({ url: table, env: awsEnv() });
    await writeTable({ store, data: [{ id: 10, writer: 0 }], schema: RACE_SCHEMA });
    await writeTable({ store, data: [{ id: 11, writer: 0 }], mode: "append" });
    expect((JSON.parse(await ok(["info", table], awsEnv())) as { version: number }).version).toBe(1);
    expect(ids(await ok(["scan", table], awsEnv()))).toEqual([10, 11]);
  });

  it("commits through the DynamoDB lock with AWS_S3_LOCKING_PROVIDER=dynamodb", async () => {
    const table = `s3://${bucket}/tables/locked`;
    const env = awsEnv({ AWS_S3_LOCKING_PROVIDER: "dynamodb", DELTA_DYNAMO_TABLE_NAME: "cli_delta_log", AWS_CONDITIONAL_PUT: "disabled" });
    await ok(["write", table, "--input", input("d.ndjson", [{ id: 1 }])], env);
    await ok(["write", table, "--input", input("e.ndjson", [{ id: 2 }]), "--mode", "append"], env);
    expect(ids(await ok(["scan", table], env))).toEqual([1, 2]);
    const res = await motoDynamo(moto()).send<{ Items: Record<string, { S?: string }>[] }>("Query", {
      TableName: "cli_delta_log",
      KeyConditionExpression: "tablePath = :tn",
      ExpressionAttributeValues: { ":tn": { S: table } },
      ConsistentRead: true,
    });
    expect(res.Items.map((i) => [i.fileName?.S, i.complete?.S])).toEqual([
      ["00000000000000000000.json", "true"],
      ["00000000000000000001.json", "true"],
    ]);
  });

  it("commits with a copy header (AWS_COPY_IF_NOT_EXISTS) and with the unsafe-rename opt-out, leaving no temp files", async () => {
    for (const [name, extra] of [
      ["copy", { AWS_COPY_IF_NOT_EXISTS: "header: cf-copy-destination-if-none-match: *" }],
      ["unsafe", { AWS_CONDITIONAL_PUT: "disabled", AWS_S3_ALLOW_UNSAFE_RENAME: "true" }],
    ] as const) {
      const table = `s3://${bucket}/tables/${name}`;
      await ok(["write", table, "--input", input(`${name}.ndjson`, [{ id: 5 }])], awsEnv(extra));
      expect(ids(await ok(["scan", table], awsEnv(extra)))).toEqual([5]);
      expect(await logKeys(storeFromUrl({ url: table, env: awsEnv() }))).toEqual(["_delta_log/00000000000000000000.json"]);
    }
  });

  it("refuses to write without a safe commit strategy: one line naming the table and the settings", async () => {
    const table = `s3://${bucket}/tables/refused`;
    const r = await runCli(["write", table, "--input", input("f.ndjson", [{ id: 1 }])], awsEnv({ AWS_CONDITIONAL_PUT: "disabled" }));
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(table);
    expect(r.stderr).toMatch(/AWS_CONDITIONAL_PUT=etag.*AWS_S3_LOCKING_PROVIDER=dynamodb.*AWS_S3_ALLOW_UNSAFE_RENAME=true/);
    expect(await logKeys(storeFromUrl({ url: table, env: awsEnv() }))).toEqual([]);
  });
});
