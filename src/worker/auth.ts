/**
 * Bearer-token authorization. Writes (POST) need `Authorization: Bearer <WRITE_TOKEN>`; when the
 * WRITE_TOKEN secret is unset, writes are refused outright. Reads are open unless READ_TOKEN is
 * set, in which case they need the read token or the write token. A missing or malformed header
 * is 401 (with `WWW-Authenticate: Bearer`), a wrong token 403. Tokens are compared in constant
 * time: both sides are hashed with SHA-256 and the digests compared without early exit, so
 * neither the content nor the length of the secret leaks through timing.
 */
import type { Env } from "./env.js";
import { HttpError } from "./http.js";

/** What a request wants to do. */
export type Access = "read" | "write";

/** Throws HttpError 401/403 unless the request may perform `access`. */
export async function authorize(request: Request, env: Env, access: Access): Promise<void> {
  const writeToken = nonEmpty(env.WRITE_TOKEN);
  const readToken = nonEmpty(env.READ_TOKEN);
  if (access === "write" && writeToken === undefined) {
    throw new HttpError(403, "WRITES_DISABLED", "writes are disabled: the WRITE_TOKEN secret is not set");
  }
  if (access === "read" && readToken === undefined) return;
  const header = request.headers.get("Authorization");
  const match = header === null ? null : /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  if (match === null) {
    throw new HttpError(401, "UNAUTHORIZED", `${access === "write" ? "writes" : "reads"} need an Authorization: Bearer <token> header`, {
      "WWW-Authenticate": 'Bearer realm="delta-edge"',
    });
  }
  const token = match[1] as string;
  const accepted = access === "write" ? [writeToken] : [readToken, writeToken];
  let ok = false;
  for (const secret of accepted) if (secret !== undefined && (await sameSecret(token, secret))) ok = true;
  if (!ok) throw new HttpError(403, "FORBIDDEN", `the bearer token does not allow ${access === "write" ? "writes" : "reads"}`);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/** Constant-time equality of two strings (compares SHA-256 digests without early exit). */
export async function sameSecret(a: string, b: string): Promise<boolean> {
  const encoder = new TextEncoder();
  const [x, y] = await Promise.all([crypto.subtle.digest("SHA-256", encoder.encode(a)), crypto.subtle.digest("SHA-256", encoder.encode(b))]);
  const u = new Uint8Array(x);
  const v = new Uint8Array(y);
  let diff = 0;
  for (let i = 0; i < u.length; i++) diff |= (u[i] as number) ^ (v[i] as number);
  return diff === 0;
}
