/**
 * A signature-checking gateway in front of moto_server, for tests of signed reads: moto checks
 * no presigned URLs (and with IAM enforced it even refuses CORS preflights), so this HTTP server
 * on 127.0.0.1 verifies every request's SigV4 signature (test/helpers/sigv4-verify.ts, header or
 * query form) against the keys it was given, answers refusals the way S3 does (403 with an XML
 * `<Error>`, CORS headers for the request's origin), and forwards what passes to moto unchanged.
 * CORS preflights go to moto's bucket URL, so the bucket's CORS configuration answers them (moto
 * refuses a preflight at a private object's own URL: it checks anonymous read access first).
 * Unsigned requests are refused (the bucket is private). `clockOffsetMs` moves its clock (expired
 * URLs without waiting); `log` records what reached it.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { verifySigV4 } from "../sigv4-verify.js";

/** One request the gateway received. */
export interface GatewayRequest {
  method: string;
  url: string;
  headers: Record<string, string | undefined>;
  /** The verdict: `ok`, `preflight` or the S3 error code it answered. */
  outcome: string;
}

/** A running gateway. */
export interface SigV4Gateway {
  /** Base URL, e.g. http://127.0.0.1:41234 (use it as the S3 endpoint). */
  endpoint: string;
  /** Added to the gateway's clock when checking expiry and skew. */
  clockOffsetMs: number;
  log: GatewayRequest[];
  stop(): Promise<void>;
}

/** Starts a gateway to moto at `upstream` accepting the given access keys (id -> secret). */
export async function startSigV4Gateway(options: { upstream: string; keys: Record<string, string> }): Promise<SigV4Gateway> {
  const upstream = new URL(options.upstream);
  const secrets = new Map(Object.entries(options.keys));
  const log: GatewayRequest[] = [];
  const gateway: SigV4Gateway = { endpoint: "", clockOffsetMs: 0, log, stop: async () => undefined };
  const server: Server = createServer((req, res) => {
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(", ") : v;
    const entry: GatewayRequest = { method: req.method ?? "GET", url: req.url ?? "/", headers, outcome: "ok" };
    log.push(entry);
    if (entry.method === "OPTIONS") {
      entry.outcome = "preflight";
      forward(req, res, upstream, `/${(entry.url.split("?")[0] ?? "").split("/")[1] ?? ""}`);
      return;
    }
    const verdict = verifySigV4({ method: entry.method, url: entry.url, headers }, secrets, Date.now() + gateway.clockOffsetMs);
    if (verdict.ok) {
      forward(req, res, upstream);
      return;
    }
    const [status, code, message] = verdict.anonymous === true ? [403, "AccessDenied", "Access Denied"] : [verdict.status, verdict.code, verdict.message];
    entry.outcome = code;
    req.resume();
    const cors: Record<string, string> = headers["origin"] === undefined ? {} : { "Access-Control-Allow-Origin": headers["origin"], Vary: "Origin" };
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>gateway</RequestId></Error>`;
    res.writeHead(status, { "Content-Type": "application/xml", "x-amz-error-code": code, ...cors });
    res.end(entry.method === "HEAD" ? undefined : body);
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  gateway.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  gateway.stop = async () => {
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
  };
  return gateway;
}

function forward(req: IncomingMessage, res: ServerResponse, upstream: URL, path = req.url): void {
  const headers = { ...req.headers, host: upstream.host };
  const out = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path, headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  out.on("error", (error) => {
    if (!res.headersSent) res.writeHead(502, { "Content-Type": "text/plain" });
    res.end(`gateway: ${error.message}`);
  });
  req.pipe(out);
}
