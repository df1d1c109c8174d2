/**
 * Settings of the Worker's signing endpoint (`POST /api/presign`, presign.ts), from its vars and
 * secrets. Presigning is off unless PRESIGN_ALLOW lists what may be signed, as `bucket/prefix`
 * entries (comma or whitespace separated; `bucket` alone allows the whole bucket). The bucket's
 * endpoint, region and credentials use delta-rs's names (AWS_ENDPOINT_URL, AWS_REGION,
 * AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY as secrets, AWS_SESSION_TOKEN, AWS_ALLOW_HTTP,
 * AWS_VIRTUAL_HOSTED_STYLE_REQUEST), parsed by core's s3Config. PRESIGN_EXPIRES_SECONDS (default
 * 300, at most 3600) is the URLs' lifetime, PRESIGN_MAX_REQUESTS (default 500, at most 1000) the
 * requests signed per call. A bad setting is the operator's to fix: a 500 naming it.
 */
import { DeltaError } from "../core/errors.js";
import { s3Config, type S3Config } from "../core/storage/s3-config.js";
import { normalizePrefix } from "../core/storage/s3-url.js";
import { HttpError } from "./http.js";

/** The Worker vars and secrets presigning reads. */
export interface PresignEnv {
  /** Var: what may be presigned, e.g. `lake/tables/, public-data`. Unset: presigning is disabled. */
  PRESIGN_ALLOW?: string;
  /** Var: lifetime of presigned URLs in seconds (default 300, 1 to 3600). */
  PRESIGN_EXPIRES_SECONDS?: string;
  /** Var: requests signed per call at most (default 500, 1 to 1000). */
  PRESIGN_MAX_REQUESTS?: string;
  /** Var: S3-compatible endpoint (default AWS), e.g. `https://<account>.r2.cloudflarestorage.com`. */
  AWS_ENDPOINT_URL?: string;
  /** Var: signing region (default us-east-1; `auto` for R2). */
  AWS_REGION?: string;
  /** Secret: access key id of a key that may read the allowed prefixes (read-only is enough). */
  AWS_ACCESS_KEY_ID?: string;
  /** Secret: its secret access key. */
  AWS_SECRET_ACCESS_KEY?: string;
  /** Secret: session token of temporary credentials. */
  AWS_SESSION_TOKEN?: string;
  /** Var: `true` allows a plain http endpoint (local tests). */
  AWS_ALLOW_HTTP?: string;
  /** Var: `true` for virtual-hosted-style URLs on a custom endpoint. */
  AWS_VIRTUAL_HOSTED_STYLE_REQUEST?: string;
}

/** Parsed presign settings. */
export interface PresignSettings {
  /** Allowed key prefixes (normalized, `a/b/` or empty for the whole bucket) by bucket. */
  allow: Map<string, string[]>;
  s3: S3Config;
  expiresIn: number;
  maxRequests: number;
}

export const DEFAULT_PRESIGN_EXPIRES_SECONDS = 300;
export const MAX_PRESIGN_EXPIRES_SECONDS = 3600;
export const DEFAULT_PRESIGN_MAX_REQUESTS = 500;
export const MAX_PRESIGN_MAX_REQUESTS = 1000;

const S3_VARS = [
  "AWS_ENDPOINT_URL",
  "AWS_REGION",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_ALLOW_HTTP",
  "AWS_VIRTUAL_HOSTED_STYLE_REQUEST",
] as const;

/** The presign settings; 403 when presigning is not configured, 500 when it is misconfigured. */
export function presignSettings(env: PresignEnv): PresignSettings {
  const allowText = env.PRESIGN_ALLOW?.trim() ?? "";
  if (allowText === "") {
    throw new HttpError(403, "PRESIGN_DISABLED", "presigning is disabled: the Worker has no PRESIGN_ALLOW setting (bucket/prefix entries it may sign reads for)");
  }
  const allow = new Map<string, string[]>();
  for (const entry of allowText.split(/[\s,]+/).filter((e) => e !== "")) {
    const slash = entry.indexOf("/");
    const bucket = slash < 0 ? entry : entry.slice(0, slash);
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(bucket)) misconfigured(`PRESIGN_ALLOW entry "${entry}" does not start with a bucket name`);
    const prefix = normalizePrefix(slash < 0 ? "" : entry.slice(slash + 1));
    if (prefix.split("/").some((s) => s === "." || s === "..")) misconfigured(`PRESIGN_ALLOW entry "${entry}" has a '.' or '..' segment`);
    allow.set(bucket, [...(allow.get(bucket) ?? []), prefix]);
  }
  const vars: Record<string, string> = {};
  for (const name of S3_VARS) {
    const value = env[name];
    if (typeof value === "string") vars[name] = value;
  }
  let s3: S3Config;
  try {
    s3 = s3Config({ env: vars });
  } catch (error) {
    misconfigured(error instanceof DeltaError ? error.message : String(error));
  }
  if (s3.accessKeyId === undefined || s3.secretAccessKey === undefined) {
    misconfigured(`presigning needs the secrets AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (${s3.accessKeyId === undefined ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY"} is not set)`);
  }
  return {
    allow,
    s3,
    expiresIn: intSetting(env.PRESIGN_EXPIRES_SECONDS, "PRESIGN_EXPIRES_SECONDS", DEFAULT_PRESIGN_EXPIRES_SECONDS, MAX_PRESIGN_EXPIRES_SECONDS),
    maxRequests: intSetting(env.PRESIGN_MAX_REQUESTS, "PRESIGN_MAX_REQUESTS", DEFAULT_PRESIGN_MAX_REQUESTS, MAX_PRESIGN_MAX_REQUESTS),
  };
}

/** Whether a key (or a listing prefix) lies under one of the bucket's allowed prefixes. */
export function allowedKey(settings: PresignSettings, bucket: string, key: string): boolean {
  return (settings.allow.get(bucket) ?? []).some((prefix) => key.startsWith(prefix));
}

function intSetting(raw: string | undefined, name: string, fallback: number, max: number): number {
  if (raw === undefined || raw.trim() === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) misconfigured(`${name} must be an integer from 1 to ${max}, got '${raw}'`);
  return n;
}

function misconfigured(message: string): never {
  throw new HttpError(500, "PRESIGN_MISCONFIGURED", message);
}
