/**
 * S3 addressing: parsing `s3://bucket/prefix` (and `s3a://`, `gs://`) table URLs, encoding object
 * keys for request paths, the `scheme://bucket/prefix` root of a store at a key prefix, and choosing the bucket endpoint (custom endpoint or AWS, path-style or
 * virtual-hosted). Keys are encoded per path segment with RFC 3986 rules (everything but
 * `A-Z a-z 0-9 - . _ ~` escaped, `+` as %2B): aws4fetch decodes the path and re-encodes it for the
 * canonical request (turning a literal `+` into a space first), so the path must already be in
 * that exact form for the signature to match what the server computes.
 */
import { InvalidInputError } from "../errors.js";

/** Percent-encodes one key segment (RFC 3986 unreserved characters only are left as is). */
export function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Encodes an object key for a request path. Refuses keys a URL cannot carry verbatim: empty, or
 * with a `.`/`..` segment (URL parsers collapse them), or with unpaired UTF-16 surrogates.
 */
export function encodeKey(key: string, root: string): string {
  const segments = key.split("/");
  if (key === "" || segments.some((s) => s === "." || s === "..")) {
    throw new InvalidInputError("invalid object key (empty, or a '.' or '..' segment)", { path: `${root}/${key}` });
  }
  try {
    return segments.map(encodeSegment).join("/");
  } catch (cause) {
    throw new InvalidInputError("invalid object key (unpaired surrogate)", { path: `${root}/${key}`, cause });
  }
}

/** Query string from pairs, values encoded so that URLSearchParams decodes them back exactly. */
export function queryString(params: readonly (readonly [string, string | undefined])[]): string {
  return params
    .filter((p): p is readonly [string, string] => p[1] !== undefined)
    .map(([k, v]) => (v === "" ? encodeSegment(k) : `${encodeSegment(k)}=${encodeSegment(v)}`))
    .join("&");
}

/** Normalizes a key prefix: no leading slashes, exactly one trailing slash (or empty). */
export function normalizePrefix(prefix: string | undefined): string {
  const parts = (prefix ?? "").split("/").filter((s) => s !== "");
  return parts.length === 0 ? "" : `${parts.join("/")}/`;
}

/** The root URL of a store at a normalized key prefix in a bucket: `scheme://bucket/a/b` (no trailing slash). */
export function prefixedRoot(scheme: string, bucket: string, prefix: string): string {
  return `${scheme}://${bucket}${prefix === "" ? "" : `/${prefix.slice(0, -1)}`}`;
}

/** A bucket and a key prefix parsed from a table URL. */
export interface BucketLocation {
  bucket: string;
  /** Normalized prefix (`a/b/`, or empty). */
  prefix: string;
}

/** Parses `s3://bucket/prefix`, `s3a://bucket/prefix` or `gs://bucket/prefix`. */
export function parseBucketUrl(url: string, schemes: readonly string[]): BucketLocation {
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^?#]*)$/.exec(url);
  const scheme = match?.[1]?.toLowerCase();
  if (match === null || scheme === undefined || !schemes.includes(scheme)) {
    throw new InvalidInputError(`expected a ${schemes.map((s) => `${s}://`).join(" or ")}bucket/prefix URL`, { path: url });
  }
  const bucket = match[2] as string;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(bucket)) {
    throw new InvalidInputError(`invalid bucket name "${bucket}"`, { path: url });
  }
  let prefix: string;
  try {
    prefix = decodeURIComponent(match[3] ?? "");
  } catch (cause) {
    throw new InvalidInputError("invalid percent-encoding in the URL path", { path: url, cause });
  }
  return { bucket, prefix: normalizePrefix(prefix) };
}

/** The signing region when none is configured: `auto` for R2 endpoints, else `us-east-1`. */
export function defaultRegion(endpoint: string | undefined): string {
  return endpoint !== undefined && /\.r2\.cloudflarestorage\.com(:\d+)?(\/|$)/.test(endpoint) ? "auto" : "us-east-1";
}

/** Inputs of {@link bucketEndpoint}. */
export interface EndpointInputs {
  bucket: string;
  endpoint?: string | undefined;
  region: string;
  virtualHostedStyle?: boolean | undefined;
  allowHttp: boolean;
  /** The option to name when a plain http endpoint is refused. */
  allowHttpKey: string;
}

/**
 * The base URL of a bucket, without a trailing slash: `https://bucket.s3.<region>.amazonaws.com`
 * or `https://s3.<region>.amazonaws.com/bucket` on AWS; `<endpoint>/bucket` (path-style, the
 * default for custom endpoints) or `<scheme>://bucket.<endpoint host>` with a custom endpoint.
 */
export function bucketEndpoint(inputs: EndpointInputs): string {
  const { bucket, region } = inputs;
  if (inputs.endpoint === undefined) {
    const virtual = inputs.virtualHostedStyle ?? !bucket.includes(".");
    return virtual ? `https://${bucket}.s3.${region}.amazonaws.com` : `https://s3.${region}.amazonaws.com/${bucket}`;
  }
  let endpoint: URL;
  try {
    endpoint = new URL(inputs.endpoint);
  } catch (cause) {
    throw new InvalidInputError(`invalid endpoint URL "${inputs.endpoint}"`, { path: inputs.endpoint, cause });
  }
  if (endpoint.protocol !== "https:" && endpoint.protocol !== "http:") {
    throw new InvalidInputError(`endpoint must be an http(s) URL, got "${inputs.endpoint}"`, { path: inputs.endpoint });
  }
  if (endpoint.protocol === "http:" && !inputs.allowHttp) {
    throw new InvalidInputError(
      `plain http endpoint "${inputs.endpoint}" refused: set ${inputs.allowHttpKey}=true (allowHttp) to allow unencrypted requests`,
      { path: inputs.endpoint },
    );
  }
  const path = endpoint.pathname.replace(/\/+$/, "");
  if (inputs.virtualHostedStyle === true) {
    const host = endpoint.host.startsWith(`${bucket}.`) ? endpoint.host : `${bucket}.${endpoint.host}`;
    return `${endpoint.protocol}//${host}${path}`;
  }
  return `${endpoint.protocol}//${endpoint.host}${path}/${encodeSegment(bucket)}`;
}

/** Percent-encodes a URL path as WHATWG URL (and Rust's url crate) do for non-special schemes. */
export function encodeUrlPath(path: string): string {
  let out = "";
  for (const ch of path) {
    const c = ch.codePointAt(0) as number;
    if (c <= 0x20 || c >= 0x7f || '"#<>?`{}'.includes(ch)) {
      for (const b of new TextEncoder().encode(ch)) out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
    } else {
      out += ch;
    }
  }
  return out;
}
