/**
 * moto settings as delta-rs environment variables, and lock-table setup for the DynamoDB tests.
 */
import { DynamoDbClient } from "../../src/core/storage/dynamodb.js";
import { DynamoLockTable } from "../../src/core/logstore/dynamodb-lock.js";
import { MOTO_CREDENTIALS, type MotoServer } from "../helpers/servers/moto.js";

/** The env a delta-rs user would set for moto (S3 and DynamoDB on one endpoint). */
export function motoEnv(moto: MotoServer, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_REGION: MOTO_CREDENTIALS.region,
    AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
    AWS_ALLOW_HTTP: "true",
    ...extra,
  };
}

/** A DynamoDB client for moto. */
export function motoDynamo(moto: MotoServer): DynamoDbClient {
  return new DynamoDbClient({ endpoint: moto.endpoint, ...MOTO_CREDENTIALS, client: { allowHttp: true } });
}

/** Creates a lock table with delta-rs's schema (TTL on expireTime). */
export async function createLockTable(moto: MotoServer, tableName: string): Promise<void> {
  await new DynamoLockTable({ client: motoDynamo(moto), tableName, tablePath: "unused" }).create();
}
