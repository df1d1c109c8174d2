/**
 * A SigV4 verifier for S3 requests, written from AWS's specification with node:crypto (not with
 * aws4fetch, which delta-edge signs with, so it is an independent check): header-signed requests
 * (`Authorization: AWS4-HMAC-SHA256 ...`) and presigned URLs (`X-Amz-Signature` in the query),
 * with S3's canonicalization (path segments URI-encoded once, query pairs sorted, form-decoded).
 * It answers as S3 does: InvalidAccessKeyId, SignatureDoesNotMatch, AccessDenied "Request has
 * expired" (presigned URL past X-Amz-Expires) and RequestTimeTooSkewed (header-signed request
 * more than 15 minutes off). test/storage/sigv4-verify.test.ts checks it on AWS's own examples.
 */
import { createHash, createHmac } from "node:crypto";

/** A request as the server received it. */
export interface ReceivedRequest {
  method: string;
  /** Path and query exactly as sent (`/bucket/key?X-Amz-...`). */
  url: string;
  /** Header values by lower-case name. */
  headers: Record<string, string | undefined>;
}

/** The verdict: `anonymous` (no signature), ok, or an S3 error. */
export type Verdict =
  | { ok: true; accessKeyId: string; presigned: boolean }
  | { ok: false; anonymous: true }
  | { ok: false; anonymous?: false; status: number; code: string; message: string };

const rfc3986 = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256 = (s: string): string => createHash("sha256").update(s, "utf8").digest("hex");
const hmac = (key: Buffer | string, s: string): Buffer => createHmac("sha256", key).update(s, "utf8").digest();

function formDecode(s: string): string {
  return decodeURIComponent(s.replace(/\+/g, " "));
}

function parseAmzDate(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  return m === null ? NaN : Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

const refuse = (code: string, message: string): Verdict => ({ ok: false, status: 403, code, message });
const MISMATCH = refuse("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.");

/** Verifies a request against known secrets (by access key id) at time `now` (ms). */
export function verifySigV4(req: ReceivedRequest, secrets: ReadonlyMap<string, string>, now: number): Verdict {
  const q = req.url.indexOf("?");
  const rawPath = q < 0 ? req.url : req.url.slice(0, q);
  const rawQuery = q < 0 ? "" : req.url.slice(q + 1);
  const pairs = rawQuery === "" ? [] : rawQuery.split("&").map((p) => {
    const eq = p.indexOf("=");
    return eq < 0 ? [formDecode(p), ""] : [formDecode(p.slice(0, eq)), formDecode(p.slice(eq + 1))];
  }) as Array<[string, string]>;
  const param = (name: string): string | undefined => pairs.find(([k]) => k === name)?.[1];
  const auth = req.headers["authorization"];
  const presigned = param("X-Amz-Signature") !== undefined;
  if (!presigned && auth === undefined) return { ok: false, anonymous: true };

  let credential: string, signedHeaders: string, signature: string, amzDate: string, payloadHash: string;
  if (presigned) {
    if (param("X-Amz-Algorithm") !== "AWS4-HMAC-SHA256") return refuse("AuthorizationQueryParametersError", "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
    credential = param("X-Amz-Credential") ?? "";
    signedHeaders = param("X-Amz-SignedHeaders") ?? "";
    signature = param("X-Amz-Signature") ?? "";
    amzDate = param("X-Amz-Date") ?? "";
    payloadHash = "UNSIGNED-PAYLOAD";
  } else {
    const m = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)\s*$/.exec(auth ?? "");
    if (m === null) return refuse("AccessDenied", "Unsupported Authorization Type");
    [, credential, signedHeaders, signature] = m as unknown as [string, string, string, string];
    amzDate = req.headers["x-amz-date"] ?? "";
    payloadHash = req.headers["x-amz-content-sha256"] ?? "";
    if (payloadHash === "") return refuse("InvalidRequest", "Missing required header for this request: x-amz-content-sha256");
  }
  const [accessKeyId = "", date = "", region = "", service = "", terminal = ""] = credential.split("/");
  const secret = secrets.get(accessKeyId);
  if (secret === undefined) return refuse("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
  const signedAt = parseAmzDate(amzDate);
  if (Number.isNaN(signedAt) || !amzDate.startsWith(date) || service !== "s3" || terminal !== "aws4_request") return MISMATCH;
  if (presigned) {
    const expires = Number(param("X-Amz-Expires"));
    if (!Number.isInteger(expires) || expires < 1 || expires > 604800) return refuse("AuthorizationQueryParametersError", "X-Amz-Expires must be between 1 and 604800 seconds");
    if (now > signedAt + expires * 1000) return refuse("AccessDenied", "Request has expired");
  } else if (Math.abs(now - signedAt) > 15 * 60 * 1000) {
    return refuse("RequestTimeTooSkewed", "The difference between the request time and the current time is too large.");
  }

  const canonicalUri = rawPath.split("/").map((seg) => rfc3986(decodeURIComponent(seg))).join("/");
  const canonicalQuery = pairs
    .filter(([k]) => !(presigned && k === "X-Amz-Signature"))
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const names = signedHeaders.split(";");
  if (!names.includes("host")) return MISMATCH;
  const canonicalHeaders = names.map((n) => `${n}:${(req.headers[n] ?? "").trim().replace(/\s+/g, " ")}\n`).join("");
  const canonicalRequest = [req.method.toUpperCase(), canonicalUri, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonicalRequest)].join("\n");
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), "aws4_request");
  const expected = createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");
  return expected === signature ? { ok: true, accessKeyId, presigned } : MISMATCH;
}
