/**
 * Reference: "Configuring storage backends" — non-AWS S3 implementations need their endpoint URL
 * (`endpoint`, AWS_ENDPOINT_URL); a plain-http endpoint (MinIO, moto, LocalStack) also needs
 * `allowHttp` in the client settings. Path-style requests are used for custom endpoints.
 * Runs against DELTA_EDGE_EXAMPLES_S3_ENDPOINT when set, else against the local folder.
 */
import { runPipeline, s3Target, showConfiguration } from "./shared/storage-demo.js";
import { runIfMain, type ExampleContext } from "./shared/setup.js";

export async function main(ctx: ExampleContext): Promise<void> {
  showConfiguration(ctx, { s3: { endpoint: "https://<my-s3-endpoint-url>" } });
  showConfiguration(ctx, { s3: { endpoint: "http://127.0.0.1:9000", region: "us-east-1" } }, { allowHttp: true, timeout: 30 });
  await runPipeline(ctx, s3Target(ctx.name), "S3");
}

runIfMain(import.meta.url, "12-s3-custom-endpoint", main);
