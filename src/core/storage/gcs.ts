/**
 * GcsStore: Google Cloud Storage through its S3-compatible XML API with HMAC keys — an S3Store
 * with endpoint https://storage.googleapis.com, region `auto`, path-style URLs and the GCS
 * dialect: create-only writes use `x-goog-if-generation-match: 0` (GCS has no If-None-Match: *
 * for creates; a failed precondition is 412), copies name their source in `x-goog-copy-source`.
 * Configuration comes from GOOGLE_HMAC_ACCESS_ID / GOOGLE_HMAC_SECRET (service-account JSON
 * credentials need OAuth and are not supported by this fetch-only store).
 */
import { InvalidInputError } from "../errors.js";
import { S3Store, type S3Dialect } from "./s3.js";
import { clientConfig, parseBool, parseBytes, resolveOptions, type ClientConfig, type OptionSources } from "./storage-options.js";

/** The XML API endpoint. */
export const GCS_ENDPOINT = "https://storage.googleapis.com";

/** The GCS flavour of the S3 protocol. */
export const GCS_DIALECT: S3Dialect = {
  scheme: "gs",
  createOnly: ["x-goog-if-generation-match", "0"],
  copySourceHeader: "x-goog-copy-source",
  copyCreateOnly: { header: "x-goog-if-generation-match", value: "0" },
  allowHttpKey: "GOOGLE_ALLOW_HTTP",
  credentialKeys: ["GOOGLE_HMAC_ACCESS_ID", "GOOGLE_HMAC_SECRET"],
};

/** Settings of a GCS store. */
export interface GcsConfig {
  /** HMAC access ID (GOOGLE_HMAC_ACCESS_ID), e.g. `GOOG1E...`. */
  accessId?: string;
  /** HMAC secret (GOOGLE_HMAC_SECRET). */
  secret?: string;
  /** XML API endpoint (GOOGLE_ENDPOINT_URL); default https://storage.googleapis.com. */
  endpoint?: string;
  /** Send unsigned requests (public buckets; GOOGLE_SKIP_SIGNATURE). */
  skipSignature?: boolean;
  multipartThresholdBytes?: number;
  multipartPartSizeBytes?: number;
  client?: ClientConfig;
}

/** Builds a {@link GcsConfig} from string options and env vars. */
export function gcsConfig(sources: OptionSources): GcsConfig {
  const opts = resolveOptions("gcs", sources);
  const config: GcsConfig = {};
  const str = (name: string): string | undefined => opts.get(name)?.value.trim() || undefined;
  const id = str("GOOGLE_HMAC_ACCESS_ID");
  const secret = str("GOOGLE_HMAC_SECRET");
  const endpoint = str("GOOGLE_ENDPOINT_URL");
  if (id !== undefined) config.accessId = id;
  if (secret !== undefined) config.secret = secret;
  if (endpoint !== undefined) config.endpoint = endpoint;
  const skip = opts.get("GOOGLE_SKIP_SIGNATURE");
  if (skip !== undefined) config.skipSignature = parseBool(skip);
  const threshold = opts.get("MULTIPART_THRESHOLD");
  if (threshold !== undefined) config.multipartThresholdBytes = parseBytes(threshold);
  const part = opts.get("MULTIPART_PART_SIZE");
  if (part !== undefined) {
    config.multipartPartSizeBytes = parseBytes(part);
    if (config.multipartPartSizeBytes < 5 * 1024 * 1024) {
      throw new InvalidInputError(`storage option "${part.key}" must be at least 5MiB, got "${part.value}"`);
    }
  }
  const client = clientConfig("gcs", opts);
  if (Object.keys(client).length > 0) config.client = client;
  return config;
}

/** Options of {@link GcsStore}. */
export interface GcsStoreOptions extends GcsConfig {
  bucket: string;
  prefix?: string;
  fetch?: typeof fetch;
}

/** An ObjectStore over a GCS bucket through the XML API (HMAC, SigV4). */
export class GcsStore extends S3Store {
  constructor(options: GcsStoreOptions) {
    super({
      bucket: options.bucket,
      ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
      endpoint: options.endpoint ?? GCS_ENDPOINT,
      region: "auto",
      virtualHostedStyle: false,
      ...(options.accessId !== undefined ? { accessKeyId: options.accessId } : {}),
      ...(options.secret !== undefined ? { secretAccessKey: options.secret } : {}),
      ...(options.skipSignature !== undefined ? { skipSignature: options.skipSignature } : {}),
      ...(options.multipartThresholdBytes !== undefined ? { multipartThresholdBytes: options.multipartThresholdBytes } : {}),
      ...(options.multipartPartSizeBytes !== undefined ? { multipartPartSizeBytes: options.multipartPartSizeBytes } : {}),
      ...(options.client !== undefined ? { client: options.client } : {}),
      ...(options.fetch !== undefined ? { fetch: options.fetch } : {}),
      dialect: GCS_DIALECT,
    });
  }
}
