/**
 * Presigned S3 URLs (SigV4 query signing with aws4fetch's `signQuery`) for read requests, and the
 * wire format of a signing service (the Worker's `POST /api/presign`): a browser sends the
 * requests it is about to make — GET or HEAD of a key, or one ListObjectsV2 page — and gets one
 * short-lived URL per request, which it fetches straight from the bucket. Only the method, host
 * and query are signed (`X-Amz-SignedHeaders=host`), so the browser sends `Range` as a plain
 * header (S3 and R2 accept unsigned Range on presigned GETs; aws4fetch never signs it). This file
 * signs; what may be signed (buckets, prefixes, limits) is the signing service's policy.
 */
import { AwsV4Signer } from "aws4fetch";
import { InvalidInputError } from "../errors.js";
import type { S3Config } from "./s3-config.js";
import { listQuery } from "./s3-list.js";
import { S3_DIALECT } from "./s3-dialect.js";
import { bucketEndpoint, defaultRegion, encodeKey, queryString } from "./s3-url.js";

/** One request to presign: a key read (GET, HEAD) or one listing page (full bucket keys). */
export type PresignItem =
  | { method: "GET" | "HEAD"; key: string }
  | { method: "LIST"; prefix: string; startAfter?: string; continuationToken?: string; maxKeys?: number };

/** Body of `POST /api/presign`. */
export interface PresignRequestBody {
  bucket: string;
  requests: PresignItem[];
}

/** Answer of `POST /api/presign`: one URL per request, in order. */
export interface PresignResponseBody {
  urls: string[];
  /** Seconds each URL stays valid from the signing time. */
  expiresIn: number;
  /** When they expire, in ms since the epoch by the signer's clock. */
  expiresAt: number;
}

/** Listing pages are at most this many keys (S3's own maximum). */
export const MAX_LIST_KEYS = 1000;
/** SigV4 presigned URLs may be valid for at most 7 days. */
export const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

/** Options of {@link presignS3}. */
export interface PresignS3Options {
  /** Endpoint, region, credentials and addressing (credentials required). */
  config: S3Config;
  bucket: string;
  items: readonly PresignItem[];
  /** Lifetime of the URLs in seconds (1 to {@link MAX_PRESIGN_SECONDS}). */
  expiresIn: number;
  /** Signing time (default now). */
  now?: Date;
  /** Signing-key cache shared across calls (aws4fetch's; keyed by secret, date, region). */
  cache?: Map<string, ArrayBuffer>;
}

/** Presigns read requests; returns one URL per item, in order. */
export async function presignS3(options: PresignS3Options): Promise<string[]> {
  const { config, bucket, expiresIn } = options;
  if (config.accessKeyId === undefined || config.secretAccessKey === undefined) {
    throw new InvalidInputError("presigning needs an access key id and a secret access key", { path: `s3://${bucket}` });
  }
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_PRESIGN_SECONDS) {
    throw new InvalidInputError(`presigned URLs must live 1 to ${MAX_PRESIGN_SECONDS} seconds, got ${expiresIn}`);
  }
  const region = config.region ?? defaultRegion(config.endpoint);
  const base = bucketEndpoint({
    bucket,
    endpoint: config.endpoint,
    region,
    virtualHostedStyle: config.virtualHostedStyle,
    allowHttp: config.client?.allowHttp ?? false,
    allowHttpKey: S3_DIALECT.allowHttpKey,
  });
  const datetime = (options.now ?? new Date()).toISOString().replace(/[:-]|\.\d{3}/g, "");
  const cache = options.cache ?? new Map<string, ArrayBuffer>();
  const root = `s3://${bucket}`;
  return Promise.all(
    options.items.map(async (item) => {
      const url = new URL(item.method === "LIST" ? `${base}/?${queryString(listQuery({ ...item, maxKeys: item.maxKeys ?? MAX_LIST_KEYS }))}` : `${base}/${encodeKey(item.key, root)}`);
      url.searchParams.set("X-Amz-Expires", String(expiresIn));
      const signer = new AwsV4Signer({
        method: item.method === "LIST" ? "GET" : item.method,
        url: url.toString(),
        accessKeyId: config.accessKeyId as string,
        secretAccessKey: config.secretAccessKey as string,
        ...(config.sessionToken !== undefined ? { sessionToken: config.sessionToken } : {}),
        service: "s3",
        region,
        signQuery: true,
        datetime,
        cache,
      });
      return (await signer.sign()).url.toString();
    }),
  );
}

/** A stable identity of a request (for caching its URL). */
export function presignItemId(item: PresignItem): string {
  if (item.method !== "LIST") return `${item.method}\u0000${item.key}`;
  return ["LIST", item.prefix, item.startAfter ?? "", item.continuationToken ?? "", String(item.maxKeys ?? MAX_LIST_KEYS)].join("\u0000");
}
