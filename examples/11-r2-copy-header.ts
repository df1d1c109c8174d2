/**
 * Reference: "Configuring storage backends" — Cloudflare R2. R2 makes CopyObject create-only with
 * the header `cf-copy-destination-if-none-match: *`, so commits are written to a temp object and
 * copied into place atomically ("copy-if-absent"). R2 also supports conditional puts today; the
 * copy header wins when both are configured, as in delta-rs.
 *
 * Against DELTA_EDGE_EXAMPLES_S3_ENDPOINT (moto in the examples test) the same requests are sent,
 * but moto ignores the R2 header: the run shows the mechanics, not R2's atomicity. Without an
 * endpoint the pipeline runs against the local folder.
 */
import { runPipeline, s3Target, showConfiguration } from "./shared/storage-demo.js";
import { runIfMain, type ExampleContext } from "./shared/setup.js";

const R2_COPY = "header: cf-copy-destination-if-none-match: *";

export async function main(ctx: ExampleContext): Promise<void> {
  showConfiguration(ctx, { s3: { endpoint: "https://<account-id>.r2.cloudflarestorage.com", region: "auto", copyIfNotExists: R2_COPY } });
  await runPipeline(ctx, s3Target(ctx.name, { copyIfNotExists: R2_COPY }), "S3 (R2-style)");
}

runIfMain(import.meta.url, "11-r2-copy-header", main);
