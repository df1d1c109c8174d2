/**
 * GcsStore: Google Cloud Storage through its S3-compatible XML API with HMAC keys — an S3Store
 * with endpoint https://storage.googleapis.com, region `auto`, path-style URLs and the GCS
 * dialect: create-only writes use `x-goog-if-generation-match: 0` (GCS has no If-None-Match: *
 * for creates; a failed precondition is 412), copies name their source in `x-goog-copy-source`.
 * Configuration comes from GOOGLE_HMAC_ACCESS_ID / GOOGLE_HMAC_SECRET (service-account JSON
 * credentials need OAuth and are not supported by this fetch-only store).
 */
import { S3Store, type S3Dialect } from "./s3.js";
import { MULTIPART_FIELDS } from "./s3-config.js";
import { parseBool, readOptionFields, resolveOptions, withClientConfig, type ClientConfig, type OptionFields, type OptionSources } from "./storage-options.js";

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
  const fields: OptionFields<GcsConfig> = {
    accessId: "GOOGLE_HMAC_ACCESS_ID",
    secret: "GOOGLE_HMAC_SECRET",
    endpoint: "GOOGLE_ENDPOINT_URL",
    skipSignature: ["GOOGLE_SKIP_SIGNATURE", parseBool],
    ...MULTIPART_FIELDS,
  };
  return withClientConfig("gcs", opts, readOptionFields(opts, {}, fields));
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
