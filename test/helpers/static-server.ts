/**
 * A loopback static file server that behaves like a CDN in front of a Delta table: GET and HEAD of
 * files under a folder, single byte ranges (206 with Content-Range, suffix ranges, 416 past the
 * end), Last-Modified and ETag, 404 for anything missing and no directory listings. It counts and
 * logs requests so tests can assert what a reader fetched. Knobs simulate less friendly hosts, and
 * `faults` makes it a flaky origin: 500/503/429 answers, connection resets and bodies cut short
 * after full headers, decided per request by a seeded {@link FaultPlan} (reproducible).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { open, stat } from "node:fs/promises";
import { join, resolve, sep } from "node:path";
import type { AddressInfo } from "node:net";
import type { FaultPlan, HttpFault } from "./faults.js";

/** Options of {@link startStaticServer}. */
export interface StaticServerOptions {
  /** The folder served at the URL root. */
  root: string;
  /** Ignore Range headers and always answer 200 with the whole file (a naive host). */
  ignoreRange?: boolean;
  /** Answer HEAD with this status (e.g. 403 or 405, like some signed-URL hosts). */
  headStatus?: number;
  /** Require this exact Authorization header (401 otherwise). */
  authorization?: string;
  /** Inject faults into GET and HEAD requests ("lost" is treated as "reset"). */
  faults?: FaultPlan<HttpFault>;
}

/** One request the server saw. */
export interface LoggedRequest {
  method: string;
  /** The raw (still percent-encoded) request path. */
  path: string;
  range?: string;
  status: number;
}

/** A running static server. */
export interface StaticServer {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  /** Requests served so far, in order. */
  requests: LoggedRequest[];
  /** Forgets the request log. */
  reset(): void;
  /** Stops listening and closes open connections. */
  stop(): Promise<void>;
}

/** Starts a static file server on 127.0.0.1 with an ephemeral port. */
export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const root = resolve(options.root);
  const requests: LoggedRequest[] = [];
  const server: Server = createServer((req, res) => {
    // Logged before the response goes out (a client may see the response before handle() settles).
    let logged = false;
    const log = (status: number): void => {
      if (logged) return;
      logged = true;
      logRequest(requests, req, status);
    };
    handle(root, options, req, res, log).then(
      () => undefined,
      (error: unknown) => {
        log(500);
        if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
        res.end(String(error));
      },
    );
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reset: () => void requests.splice(0),
    stop: () =>
      new Promise<void>((ok, fail) => {
        server.close((error) => (error ? fail(error) : ok()));
        server.closeAllConnections();
      }),
  };
}

function logRequest(requests: LoggedRequest[], req: IncomingMessage, status: number): void {
  const entry: LoggedRequest = { method: req.method ?? "", path: (req.url ?? "").split("?")[0] ?? "", status };
  if (req.headers.range !== undefined) entry.range = req.headers.range;
  requests.push(entry);
}

async function handle(root: string, options: StaticServerOptions, req: IncomingMessage, res: ServerResponse, log: (status: number) => void): Promise<number> {
  const send = (status: number, headers: Record<string, string> = {}, body = ""): number => {
    log(status);
    res.writeHead(status, { "Content-Type": "text/plain", ...headers });
    res.end(req.method === "HEAD" ? undefined : body);
    return status;
  };
  if (req.method !== "GET" && req.method !== "HEAD") return send(405, { Allow: "GET, HEAD" }, "read-only");
  if (options.authorization !== undefined && req.headers.authorization !== options.authorization) return send(401, {}, "unauthorized");
  if (req.method === "HEAD" && options.headStatus !== undefined) return send(options.headStatus);
  const fault = options.faults?.next(`${req.method} ${req.url ?? ""} ${req.headers.range ?? ""}`);
  if (fault === "500" || fault === "503") return send(Number(fault), {}, "injected failure");
  if (fault === "429") return send(429, { "Retry-After": "0" }, "slow down");
  if (fault === "reset" || fault === "lost" || (fault === "cut" && req.method === "HEAD")) {
    log(0);
    req.socket.destroy();
    return 0;
  }

  const file = filePath(root, req.url ?? "/");
  const info = file === undefined ? undefined : await stat(file).catch(() => undefined);
  if (file === undefined || info === undefined || !info.isFile()) return send(404, {}, "not found");

  const size = info.size;
  const headers: Record<string, string> = {
    "Content-Type": "application/octet-stream",
    "Last-Modified": info.mtime.toUTCString(),
    ETag: `"${size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`,
    "Accept-Ranges": options.ignoreRange ? "none" : "bytes",
  };
  let start = 0;
  let end = size; // exclusive
  let status = 200;
  const range = options.ignoreRange ? undefined : req.headers.range;
  if (range !== undefined) {
    const parsed = parseRange(range, size);
    if (parsed === "unsatisfiable") return send(416, { "Content-Range": `bytes */${size}` });
    if (parsed !== undefined) {
      [start, end] = parsed;
      status = 206;
      headers["Content-Range"] = `bytes ${start}-${end - 1}/${size}`;
    }
  }
  headers["Content-Length"] = String(end - start);
  log(status);
  res.writeHead(status, headers);
  if (req.method === "HEAD" || end === start) {
    res.end();
    return status;
  }
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(end - start);
    await handle.read(buffer, 0, buffer.byteLength, start);
    if (fault === "cut") {
      // Full headers went out; half the body follows, then the connection drops.
      res.write(buffer.subarray(0, Math.floor(buffer.byteLength / 2)), () => res.socket?.destroy());
      return status;
    }
    res.end(buffer);
  } finally {
    await handle.close();
  }
  return status;
}

/** Maps a request path to a file under root (per-segment percent-decoding); undefined if it escapes. */
function filePath(root: string, url: string): string | undefined {
  const path = url.split("?")[0] ?? "";
  let segments: string[];
  try {
    segments = path.split("/").slice(1).map(decodeURIComponent);
  } catch {
    return undefined;
  }
  if (segments.some((s) => s === "" || s === "." || s === ".." || s.includes("/") || s.includes("\0"))) return undefined;
  const file = join(root, ...segments);
  return file.startsWith(root + sep) ? file : undefined;
}

/** Parses one `bytes=` range to [start, end) (end exclusive); undefined when it should be ignored. */
function parseRange(header: string, size: number): [number, number] | "unsatisfiable" | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (match === null) return undefined; // multiple ranges or garbage: serve the whole file
  const [, first = "", last = ""] = match;
  if (first === "" && last === "") return undefined;
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0) return "unsatisfiable";
    return size === 0 ? "unsatisfiable" : [Math.max(0, size - suffix), size];
  }
  const start = Number(first);
  if (start >= size) return "unsatisfiable";
  const end = last === "" ? size : Math.min(size, Number(last) + 1);
  if (end <= start) return undefined;
  return [start, end];
}
