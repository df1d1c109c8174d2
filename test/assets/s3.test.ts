/**
 * The asset layer against moto_server's S3: the I/O manager is configured the way users write it
 * (an s3:// root URI with typed S3 settings and allowHttp client settings, so the store comes from
 * storeFromUrl), except the column-selection test, which wraps an S3Store in a CountingStore.
 * Skips locally without moto; fails under CI=true.
 */
import { describe } from "vitest";
import "../../src/node/index.js"; // registers parquet-wasm's .wasm for Node
import { S3Store } from "../../src/core/storage/s3.js";
import type { TableRoot } from "../../src/core/assets/index.js";
import { MOTO_CREDENTIALS, motoForFile } from "../helpers/servers/moto.js";
import { basicsSuite } from "./basics.suite.js";
import { partitionSuite } from "./partitions.suite.js";

const { availability, bucket, server: moto } = motoForFile("assets");
let n = 0;


function root(): TableRoot {
  const { accessKeyId, secretAccessKey, region } = MOTO_CREDENTIALS;
  return {
    rootUri: `s3://${bucket}/run-${++n}/warehouse`,
    storageOptions: { s3: { endpoint: moto().endpoint, accessKeyId, secretAccessKey, region } },
    clientOptions: { allowHttp: true },
  };
}

describe.skipIf(!availability.available)("asset layer on moto S3", () => {
  partitionSuite("moto S3", async () => root());
  basicsSuite(
    "moto S3",
    async () => root(),
    async () => new S3Store({ bucket, prefix: `run-${++n}`, endpoint: moto().endpoint, ...MOTO_CREDENTIALS, client: { allowHttp: true } }),
  );
});
