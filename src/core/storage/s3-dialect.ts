/**
 * The S3 protocol dialects: what differs between S3 proper (AWS, R2, MinIO, moto) and
 * S3-compatible APIs that speak it with other headers (GCS's XML API, see gcs.ts): the header that
 * makes a PutObject create-only, how CopyObject names its source and its default create-only
 * condition, and which option names error messages should mention.
 */

/** A create-only condition for CopyObject: header, value, and the status that means "exists". */
export interface CopyCondition {
  header: string;
  value: string;
  /** Status meaning the destination exists (default 412). */
  status?: number;
}

/** What differs between S3 proper and S3-compatible APIs that speak another dialect (GCS). */
export interface S3Dialect {
  /** URL scheme shown in `root` (`s3`, `gs`). */
  scheme: string;
  /** Header making PutObject create-only. */
  createOnly: readonly [string, string];
  /** Header naming the copy source. */
  copySourceHeader: string;
  /** Default create-only condition of `copyIfAbsent`. */
  copyCreateOnly: CopyCondition;
  /** Option names used in error messages. */
  allowHttpKey: string;
  credentialKeys: readonly [string, string];
}

/** S3 proper (AWS, R2, MinIO, moto). */
export const S3_DIALECT: S3Dialect = {
  scheme: "s3",
  createOnly: ["If-None-Match", "*"],
  copySourceHeader: "x-amz-copy-source",
  copyCreateOnly: { header: "If-None-Match", value: "*" },
  allowHttpKey: "AWS_ALLOW_HTTP",
  credentialKeys: ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"],
};
