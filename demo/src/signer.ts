/**
 * Which store reads a table URL in the explorer: `s3://bucket/prefix` (or `s3a://`) through a
 * signer — the Worker's POST /api/presign, the page holds no keys and fetches presigned URLs
 * straight from the bucket (PresignedS3Store) — or with keys typed into the S3 form (S3Store,
 * SigV4 in the page; the keys live in that store object only). Any other URL is read over HTTP.
 * Also the hints added to S3 refusals of keys typed here. No DOM.
 */
import { HttpStore, InvalidInputError, PresignedS3Store, storeFromUrl, type ObjectStore } from "../../src/browser/index.js";

/** Keys typed into the S3 form (kept in memory only). */
export interface S3Keys {
  /** Endpoint URL; empty for AWS. */
  endpoint: string;
  /** Region; empty for the default (us-east-1, `auto` on R2). */
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Session token of temporary credentials, or empty. */
  sessionToken: string;
}

/** How to sign reads of an s3:// table. */
export interface SignWith {
  /** The signer's origin (`&signer=` in the page URL). */
  signer?: string | null | undefined;
  /** The signer's read token, when it needs one. */
  token?: string | undefined;
  /** Keys to sign with in the page. */
  keys?: S3Keys | undefined;
}

/** Whether a table URL names a bucket (s3:// or s3a://). */
export function isBucketUrl(url: string): boolean {
  return /^s3a?:\/\//i.test(url);
}

/** The store that reads `url`. */
export function storeForTable(url: string, how: SignWith): ObjectStore {
  if (!isBucketUrl(url)) return new HttpStore({ url });
  if (how.keys !== undefined) return keysStore(url, how.keys);
  if (how.signer !== undefined && how.signer !== null && how.signer !== "") {
    return new PresignedS3Store({ url, signer: new URL(how.signer, location.href).toString(), token: how.token });
  }
  throw new InvalidInputError(`${url} is a bucket: open it with a signer (add &signer=<Worker origin> to the page URL) or with keys (the S3 form)`);
}

/** An S3Store signing in the page with the typed keys (delta-rs option names, as the CLI takes them). */
function keysStore(url: string, keys: S3Keys): ObjectStore {
  const options: Record<string, string> = { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey };
  if (keys.endpoint !== "") options["AWS_ENDPOINT_URL"] = keys.endpoint;
  if (keys.endpoint.startsWith("http:")) options["AWS_ALLOW_HTTP"] = "true";
  if (keys.region !== "") options["AWS_REGION"] = keys.region;
  if (keys.sessionToken !== "") options["AWS_SESSION_TOKEN"] = keys.sessionToken;
  return storeFromUrl({ url, options });
}

/** What an S3 refusal of keys typed here most likely means ("" when nothing to add). */
export function s3Hint(message: string): string {
  if (/signer/.test(message)) return ""; // PresignedS3Store explains its refusals itself
  if (/SignatureDoesNotMatch/.test(message)) return "the secret access key does not belong to this access key id";
  if (/InvalidAccessKeyId/.test(message)) return "the bucket does not know this access key id";
  if (/RequestTimeTooSkewed/.test(message)) return "this computer's clock is off by more than 15 minutes";
  if (/ExpiredToken|TokenRefreshRequired/.test(message)) return "the session token has expired";
  return "";
}
