/**
 * S3 configuration: the typed {@link S3Config} and {@link s3Config}, which builds it from delta-rs
 * string options and env vars (AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID, ...). Besides the
 * store's own settings it parses and validates the commit-strategy options (AWS_CONDITIONAL_PUT,
 * AWS_COPY_IF_NOT_EXISTS, AWS_S3_ALLOW_UNSAFE_RENAME, AWS_S3_LOCKING_PROVIDER, DELTA_DYNAMO_*) into
 * `commit`, for the LogStore layer to act on; the store itself never does.
 */
import { InvalidInputError } from "../errors.js";
import type { CopyCondition } from "./s3-dialect.js";
import {
  optionText,
  parseBool,
  parseBytes,
  parseDuration,
  readOptionFields,
  resolveOptions,
  withClientConfig,
  type ClientConfig,
  type OptionFields,
  type OptionSources,
  type ResolvedOption,
  type ResolvedOptions,
} from "./storage-options.js";

/** A header that makes CopyObject create-only, as object_store's S3CopyIfNotExists encodes it. */
export interface CopyIfNotExists {
  /** `header` (412 = exists), `header-with-status` (`status` = exists) or `multipart`. */
  kind: "header" | "header-with-status" | "multipart";
  /** Header name, e.g. `cf-copy-destination-if-none-match` (R2) or `If-None-Match` (S3). */
  header?: string;
  /** Header value, e.g. `*`. */
  value?: string;
  /** Status meaning "destination exists" for `header-with-status`. */
  status?: number;
}

/** DynamoDB lock table settings (delta-rs S3DynamoDbLogStore), for the LogStore layer. */
export interface DynamoConfig {
  /** DELTA_DYNAMO_TABLE_NAME, default `delta_log`. */
  tableName: string;
  /** DELTA_DYNAMO_BILLING_MODE: PAY_PER_REQUEST (default) or PROVISIONED. */
  billingMode: "PAY_PER_REQUEST" | "PROVISIONED";
  /** DELTA_DYNAMO_MAX_ELAPSED_REQUEST_TIME in ms, when set. */
  maxElapsedRequestTimeMs?: number;
  /** AWS_ENDPOINT_URL_DYNAMODB (else AWS_ENDPOINT_URL). */
  endpoint?: string;
  /** AWS_REGION_DYNAMODB (else the S3 region). */
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
}

/** How commits become visible on S3; parsed and validated here, acted on by the LogStore layer. */
export interface S3CommitOptions {
  /** AWS_CONDITIONAL_PUT: `etag` = put-if-absent with If-None-Match, `disabled` = do not. */
  conditionalPut?: "etag" | "disabled";
  /** AWS_COPY_IF_NOT_EXISTS, e.g. `header: cf-copy-destination-if-none-match: *`. */
  copyIfNotExists?: CopyIfNotExists;
  /** AWS_S3_ALLOW_UNSAFE_RENAME: commit by copy+delete without atomicity (single writer only). */
  allowUnsafeRename?: boolean;
  /** AWS_S3_LOCKING_PROVIDER. */
  lockingProvider?: "dynamodb";
  /** DynamoDB settings (present when the locking provider is dynamodb or a DELTA_DYNAMO_* key is set). */
  dynamo?: DynamoConfig;
}

/** Settings of an S3 (or S3-compatible: R2, MinIO, moto, GCS XML) store. */
export interface S3Config {
  /** Custom endpoint (AWS_ENDPOINT_URL), e.g. `https://<acct>.r2.cloudflarestorage.com`; default AWS. */
  endpoint?: string;
  /** Signing region (AWS_REGION, else AWS_DEFAULT_REGION); default `us-east-1` (`auto` for R2). */
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  /**
   * true: bucket in the host name; false: bucket in the path. Default: virtual-hosted on AWS
   * (unless the bucket name has dots), path-style on custom endpoints.
   */
  virtualHostedStyle?: boolean;
  /** Send unsigned requests (public buckets; AWS_SKIP_SIGNATURE). */
  skipSignature?: boolean;
  /** Send `x-amz-request-payer: requester` (AWS_REQUEST_PAYER). */
  requestPayer?: boolean;
  /** Bodies at least this large are uploaded in parts (MULTIPART_THRESHOLD). Default 16 MiB. */
  multipartThresholdBytes?: number;
  /** Part size for multipart uploads (MULTIPART_PART_SIZE, at least 5 MiB). Default 8 MiB. */
  multipartPartSizeBytes?: number;
  client?: ClientConfig;
  commit?: S3CommitOptions;
}

/** Parses an AWS_COPY_IF_NOT_EXISTS value (`header:<name>:<value>`, `header-with-status:<name>:<value>:<status>`, `multipart`). */
export function parseCopyIfNotExists(raw: string, key = "AWS_COPY_IF_NOT_EXISTS"): CopyIfNotExists {
  const bad = (): never => {
    throw new InvalidInputError(
      `storage option "${key}" must look like "header: <name>: <value>", "header-with-status: <name>: <value>: <status>" or "multipart", got "${raw}"`,
    );
  };
  const colon = raw.indexOf(":");
  const kind = (colon < 0 ? raw : raw.slice(0, colon)).trim().toLowerCase();
  const rest = colon < 0 ? "" : raw.slice(colon + 1);
  if (kind === "multipart" && rest.trim() === "") return { kind: "multipart" };
  if (kind !== "header" && kind !== "header-with-status") return bad();
  const split = rest.indexOf(":");
  if (split < 0) return bad();
  const header = rest.slice(0, split).trim();
  let value = rest.slice(split + 1).trim();
  if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(header) || value === "") return bad();
  if (kind === "header") return { kind, header, value };
  const last = value.lastIndexOf(":");
  if (last < 0) return bad();
  const status = Number(value.slice(last + 1).trim());
  value = value.slice(0, last).trim();
  if (!Number.isInteger(status) || status < 100 || status > 599 || value === "") return bad();
  return { kind, header, value, status };
}

/** The `copyIfAbsent` condition of an AWS_COPY_IF_NOT_EXISTS setting (undefined for `multipart`). */
export function copyConditionOf(setting: CopyIfNotExists): CopyCondition | undefined {
  if (setting.kind === "multipart" || setting.header === undefined || setting.value === undefined) return undefined;
  return setting.status === undefined
    ? { header: setting.header, value: setting.value }
    : { header: setting.header, value: setting.value, status: setting.status };
}

/** Builds an {@link S3Config} from string options and env vars (see the module comment). */
export function s3Config(sources: OptionSources): S3Config {
  return s3ConfigFrom(resolveOptions("s3", sources));
}

/** The multipart settings of the S3 protocol (S3, R2, MinIO, GCS's XML API) and their options. */
export const MULTIPART_FIELDS = {
  multipartThresholdBytes: ["MULTIPART_THRESHOLD", parseBytes],
  multipartPartSizeBytes: ["MULTIPART_PART_SIZE", parsePartSize],
} as const satisfies OptionFields<S3Config>;

/** Parses MULTIPART_PART_SIZE: a byte size of at least 5 MiB, the smallest part S3 accepts. */
function parsePartSize(option: ResolvedOption): number {
  const size = parseBytes(option);
  if (size < 5 * 1024 * 1024) {
    throw new InvalidInputError(`storage option "${option.key}" must be at least 5MiB (S3's smallest part), got "${option.value}"`);
  }
  return size;
}

/** Builds an {@link S3Config} from already resolved options. */
export function s3ConfigFrom(opts: ResolvedOptions): S3Config {
  const config = readOptionFields<S3Config>(opts, {}, {
    endpoint: "AWS_ENDPOINT_URL",
    accessKeyId: "AWS_ACCESS_KEY_ID",
    secretAccessKey: "AWS_SECRET_ACCESS_KEY",
    sessionToken: "AWS_SESSION_TOKEN",
  });
  const region = optionText(opts, "AWS_REGION") ?? optionText(opts, "AWS_DEFAULT_REGION");
  if (region !== undefined) config.region = region;

  const vhs = opts.get("AWS_VIRTUAL_HOSTED_STYLE_REQUEST");
  const forcePath = opts.get("AWS_FORCE_PATH_STYLE");
  if (vhs !== undefined && forcePath !== undefined && parseBool(vhs) === parseBool(forcePath)) {
    throw new InvalidInputError(
      `storage options "${vhs.key}=${vhs.value}" and "${forcePath.key}=${forcePath.value}" contradict each other: choose virtual-hosted or path-style requests`,
    );
  }
  if (vhs !== undefined) config.virtualHostedStyle = parseBool(vhs);
  else if (forcePath !== undefined) config.virtualHostedStyle = !parseBool(forcePath);

  const unsigned = opts.get("AWS_UNSIGNED_PAYLOAD");
  if (unsigned !== undefined && !parseBool(unsigned)) {
    throw new InvalidInputError(`storage option "${unsigned.key}=false" is not supported: payloads are always sent unsigned (UNSIGNED-PAYLOAD)`);
  }
  readOptionFields(opts, config, {
    skipSignature: ["AWS_SKIP_SIGNATURE", parseBool],
    requestPayer: ["AWS_REQUEST_PAYER", parseBool],
    ...MULTIPART_FIELDS,
  });
  withClientConfig("s3", opts, config);
  const commit = commitOptions(opts, config);
  if (Object.keys(commit).length > 0) config.commit = commit;
  return config;
}

function commitOptions(opts: ResolvedOptions, s3: S3Config): S3CommitOptions {
  const commit: S3CommitOptions = {};
  let o: ResolvedOption | undefined;
  if ((o = opts.get("AWS_CONDITIONAL_PUT"))) {
    const v = o.value.trim().toLowerCase();
    if (v !== "etag" && v !== "disabled") {
      throw new InvalidInputError(`storage option "${o.key}" must be "etag" or "disabled", got "${o.value}"`);
    }
    commit.conditionalPut = v;
  }
  if ((o = opts.get("AWS_COPY_IF_NOT_EXISTS"))) commit.copyIfNotExists = parseCopyIfNotExists(o.value, o.key);
  if ((o = opts.get("AWS_S3_ALLOW_UNSAFE_RENAME"))) commit.allowUnsafeRename = parseBool(o);
  if ((o = opts.get("AWS_S3_LOCKING_PROVIDER"))) {
    if (o.value.trim().toLowerCase() !== "dynamodb") {
      throw new InvalidInputError(`storage option "${o.key}" must be "dynamodb", got "${o.value}"`);
    }
    commit.lockingProvider = "dynamodb";
  }
  const dynamoKeys = [...opts.keys()].filter((k) => k.startsWith("DELTA_DYNAMO_") || k.endsWith("_DYNAMODB"));
  if (commit.lockingProvider === "dynamodb" || dynamoKeys.length > 0) commit.dynamo = dynamoConfig(opts, s3);
  return commit;
}

function dynamoConfig(opts: ResolvedOptions, s3: S3Config): DynamoConfig {
  const dynamo: DynamoConfig = { tableName: optionText(opts, "DELTA_DYNAMO_TABLE_NAME") ?? "delta_log", billingMode: "PAY_PER_REQUEST" };
  const billing = opts.get("DELTA_DYNAMO_BILLING_MODE");
  if (billing !== undefined) {
    const v = billing.value.trim().toUpperCase();
    if (v !== "PAY_PER_REQUEST" && v !== "PROVISIONED") {
      throw new InvalidInputError(`storage option "${billing.key}" must be PAY_PER_REQUEST or PROVISIONED, got "${billing.value}"`);
    }
    dynamo.billingMode = v;
  }
  const elapsed = opts.get("DELTA_DYNAMO_MAX_ELAPSED_REQUEST_TIME");
  if (elapsed !== undefined) {
    // delta-rs takes whole seconds here; a unit is accepted too.
    dynamo.maxElapsedRequestTimeMs = /^\s*\d+\s*$/.test(elapsed.value) ? Number(elapsed.value) * 1000 : parseDuration(elapsed);
  }
  // Each connection setting falls back to the S3 one.
  const own = readOptionFields<Partial<DynamoConfig>>(opts, {}, {
    endpoint: "AWS_ENDPOINT_URL_DYNAMODB",
    region: "AWS_REGION_DYNAMODB",
    accessKeyId: "AWS_ACCESS_KEY_ID_DYNAMODB",
    secretAccessKey: "AWS_SECRET_ACCESS_KEY_DYNAMODB",
    sessionToken: "AWS_SESSION_TOKEN_DYNAMODB",
  });
  for (const field of ["endpoint", "region", "accessKeyId", "secretAccessKey", "sessionToken"] as const) {
    const value = own[field] ?? s3[field];
    if (value !== undefined) dynamo[field] = value;
  }
  return dynamo;
}
