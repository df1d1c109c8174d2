/**
 * 8 writers x 25 appends on moto S3 with the DynamoDB lock (AWS_S3_LOCKING_PROVIDER=dynamodb),
 * configured only through delta-rs's environment variables. S3's own conditional put is switched
 * off (AWS_CONDITIONAL_PUT=disabled), so the lock table alone keeps the commits apart: each commit
 * is a temp file, a conditional PutItem, a copy to N.json and an UpdateItem. Fails under CI=true
 * when moto is missing.
 */
import { describe, expect, it } from "vitest";
import { selectLogStore } from "../../src/core/logstore/select.js";
import { storeFromUrl } from "../../src/core/storage/url.js";
import { motoForFile } from "../helpers/servers/moto.js";
import { createLockTable, motoDynamo, motoEnv } from "./moto-env.js";
import { checkRace, raceAppends } from "./race.js";

const { availability, bucket, server: moto } = motoForFile("race-ddb", (server) => createLockTable(server, "race_lock"));


describe.skipIf(!availability.available)("8 writers x 25 appends, moto S3 + DynamoDB lock", () => {
  it("end at version 200 with every row once; every lock entry complete", { timeout: 150_000 }, async () => {
    const server = moto();
    const env = motoEnv(server, { AWS_S3_LOCKING_PROVIDER: "dynamodb", DELTA_DYNAMO_TABLE_NAME: "race_lock", AWS_CONDITIONAL_PUT: "disabled" });
    const store = storeFromUrl({ url: `s3://${bucket}/locked`, env });
    expect(selectLogStore({ store }).name).toBe("dynamodb");
    const t = Date.now();
    await checkRace(store, await raceAppends({ store }));
    console.log(`moto S3 + DynamoDB: ${Date.now() - t} ms`);
    // One complete entry per version, under the table URI delta-rs uses.
    const res = await motoDynamo(server).send<{ Items: Record<string, { S?: string }>[]; Count: number }>("Query", {
      TableName: "race_lock",
      KeyConditionExpression: "tablePath = :tn",
      ExpressionAttributeValues: { ":tn": { S: `s3://${bucket}/locked` } },
      ConsistentRead: true,
    });
    expect(res.Count).toBe(201);
    expect(res.Items.every((i) => i.complete?.S === "true")).toBe(true);
  });
});
