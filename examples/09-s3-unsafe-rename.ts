/**
 * Reference: "Configuring storage backends" — S3 unsafe rename. `allowUnsafeRename` lets a single
 * writer commit without an atomic create. delta-edge only falls back to it when conditional puts
 * are disabled: S3 has had `If-None-Match: *` puts since 2024, so with `allowUnsafeRename` alone
 * commits stay safe (put-if-absent). The second config (conditionalPut "disabled") is what an
 * S3-compatible store without conditional puts needs; with it, commits copy then delete, and
 * two concurrent writers could overwrite each other's commits — one writer only.
 *
 * Runs against DELTA_EDGE_EXAMPLES_S3_ENDPOINT/_BUCKET when set (with the unsafe strategy),
 * otherwise against the local folder (where the S3 settings do not apply).
 */
import { runPipeline, s3Target, showConfiguration } from "./shared/storage-demo.js";
import { runIfMain, type ExampleContext } from "./shared/setup.js";

export async function main(ctx: ExampleContext): Promise<void> {
  showConfiguration(ctx, { s3: { allowUnsafeRename: true } });
  showConfiguration(ctx, { s3: { allowUnsafeRename: true, conditionalPut: "disabled" } });
  await runPipeline(ctx, s3Target(ctx.name, { allowUnsafeRename: true, conditionalPut: "disabled" }), "S3");
}

runIfMain(import.meta.url, "09-s3-unsafe-rename", main);
