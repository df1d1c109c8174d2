/**
 * Reference: "Configuring storage backends" — a DynamoDB locking client. With
 * `lockingProvider: "dynamodb"` (AWS_S3_LOCKING_PROVIDER=dynamodb) commits go through a DynamoDB
 * lock table in delta-rs's schema, so delta-rs, Spark and delta-edge writers can share a table.
 * The reference page creates the table with the AWS CLI:
 *
 *   aws dynamodb create-table --table-name delta_rs_lock_table \
 *     --attribute-definitions AttributeName=tablePath,AttributeType=S AttributeName=fileName,AttributeType=S \
 *     --key-schema AttributeName=tablePath,KeyType=HASH AttributeName=fileName,KeyType=RANGE \
 *     --billing-mode PAY_PER_REQUEST
 *
 * (the page's single `key` attribute is the old dynamodb-lock crate's layout; today's delta-rs
 * lock table is keyed by tablePath + fileName, as above). Against DELTA_EDGE_EXAMPLES_S3_ENDPOINT
 * (moto serves DynamoDB on the same port) this example creates the table itself, then commits
 * through it; otherwise it prints the configuration and runs against the local folder.
 */
import { DynamoDbClient } from "../src/core/storage/dynamodb.js";
import { DynamoLockTable } from "../src/core/logstore/dynamodb-lock.js";
import { runPipeline, s3Target, showConfiguration } from "./shared/storage-demo.js";
import { runIfMain, type ExampleContext } from "./shared/setup.js";

const TABLE = "delta_rs_lock_table";

export async function main(ctx: ExampleContext): Promise<void> {
  // Placeholder keys so the strategy can be shown; real runs take them from the environment.
  showConfiguration(ctx, { s3: { lockingProvider: "dynamodb", dynamoTableName: TABLE, region: "us-east-1", accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "example" } });
  const target = s3Target(ctx.name, { lockingProvider: "dynamodb", dynamoTableName: TABLE });
  if (target !== undefined) {
    const s3 = "s3" in target.storageOptions ? target.storageOptions.s3 : {};
    target.prepare = async () => {
      const client = new DynamoDbClient({
        endpoint: s3.endpoint,
        region: s3.region,
        accessKeyId: s3.accessKeyId ?? "",
        secretAccessKey: s3.secretAccessKey ?? "",
        client: { allowHttp: s3.endpoint?.startsWith("http:") ?? false },
      });
      const created = await new DynamoLockTable({ client, tableName: TABLE, tablePath: target.rootUri }).create();
      ctx.log(`lock table ${TABLE}: ${created}`);
    };
  }
  await runPipeline(ctx, target, "S3 + DynamoDB");
}

runIfMain(import.meta.url, "10-s3-dynamodb-locking", main);
