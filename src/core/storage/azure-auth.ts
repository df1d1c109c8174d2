/**
 * Azure Storage SharedKey request signing with WebCrypto (HMAC-SHA256 over the string-to-sign of
 * API versions 2015-02-21 and later), exactly per "Authorize with Shared Key": the verb, the
 * standard headers in their fixed order (Content-Length empty when zero), the canonicalized
 * `x-ms-*` headers (lower-case, sorted, values trimmed and whitespace-folded), and the
 * canonicalized resource `/<account><encoded URI path>` plus the sorted, decoded query
 * parameters. With Azurite's path-style URLs the account appears twice
 * (`/devstoreaccount1/devstoreaccount1/container/blob`), which is what Azurite expects.
 */
import { InvalidInputError } from "../errors.js";

const STANDARD_HEADERS = [
  "Content-Encoding",
  "Content-Language",
  "Content-Length",
  "Content-MD5",
  "Content-Type",
  "Date",
  "If-Modified-Since",
  "If-Match",
  "If-None-Match",
  "If-Unmodified-Since",
  "Range",
] as const;

/** The SharedKey string-to-sign of a request (exported for tests). */
export function stringToSign(method: string, url: URL, headers: Headers, account: string, contentLength: number): string {
  const lines: string[] = [method.toUpperCase()];
  for (const name of STANDARD_HEADERS) {
    // fetch sets Content-Length itself (browsers forbid setting it), so it comes from the body size.
    lines.push(name === "Content-Length" ? (contentLength > 0 ? String(contentLength) : "") : (headers.get(name) ?? ""));
  }
  const msHeaders = [...headers.entries()]
    .filter(([name]) => name.toLowerCase().startsWith("x-ms-"))
    .map(([name, value]) => [name.toLowerCase(), value.replace(/\s+/g, " ").trim()] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const canonicalHeaders = msHeaders.map(([name, value]) => `${name}:${value}\n`).join("");
  return `${lines.join("\n")}\n${canonicalHeaders}${canonicalizedResource(url, account)}`;
}

/** `/<account><path>` then `\n<name>:<v1,v2>` per query parameter (names lower-case, sorted). */
export function canonicalizedResource(url: URL, account: string): string {
  let out = `/${account}${url.pathname === "" ? "/" : url.pathname}`;
  const params = new Map<string, string[]>();
  for (const [name, value] of url.searchParams) {
    const lower = name.toLowerCase();
    const values = params.get(lower) ?? [];
    values.push(value);
    params.set(lower, values);
  }
  for (const name of [...params.keys()].sort()) out += `\n${name}:${(params.get(name) as string[]).sort().join(",")}`;
  return out;
}

/** Signs requests of one account with its (base64) key. */
export class SharedKeySigner {
  private readonly account: string;
  private readonly key: Promise<CryptoKey>;

  constructor(account: string, base64Key: string) {
    this.account = account;
    let raw: Uint8Array;
    try {
      raw = Uint8Array.from(atob(base64Key.trim()), (c) => c.charCodeAt(0));
    } catch (cause) {
      throw new InvalidInputError("storage option AZURE_STORAGE_ACCOUNT_KEY is not valid base64", { cause });
    }
    this.key = crypto.subtle.importKey("raw", raw as BufferSource, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  }

  /** Sets the Authorization header (`SharedKey <account>:<signature>`) on `headers`. */
  async sign(method: string, url: URL, headers: Headers, contentLength: number): Promise<void> {
    const toSign = new TextEncoder().encode(stringToSign(method, url, headers, this.account, contentLength));
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await this.key, toSign as BufferSource));
    let binary = "";
    for (const byte of mac) binary += String.fromCharCode(byte);
    headers.set("Authorization", `SharedKey ${this.account}:${btoa(binary)}`);
  }
}
