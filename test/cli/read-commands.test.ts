/**
 * The CLI's read commands as a user runs them: `info` at every DAT version (version and protocol
 * as table_version_metadata.json says), `history`, `files`, on local paths, file:// URLs and an
 * http(s) table served by a static server without listing; errors as one line on stderr.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { CONFORMANCE } from "../helpers/conformance.js";
import { startStaticServer, type StaticServer } from "../helpers/static-server.js";
import { runCli } from "./run-cli.js";

const DAT = join(CONFORMANCE, "dat/reader_tests/generated");

describe("delta-edge info at every DAT version", () => {
  for (const name of readdirSync(DAT).sort()) {
    const expectedDir = join(DAT, name, "expected");
    if (!existsSync(expectedDir)) continue;
    for (const v of readdirSync(expectedDir).sort()) {
      it(`${name} ${v}`, async () => {
        const meta = JSON.parse(readFileSync(join(expectedDir, v, "table_version_metadata.json"), "utf8")) as {
          version: number;
          min_reader_version: number;
          min_writer_version: number;
        };
        const args = ["info", join(DAT, name, "delta"), ...(v === "latest" ? [] : ["--version", v.slice(1)])];
        const r = await runCli(args);
        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
        const info = JSON.parse(r.stdout) as { version: number; protocol: { minReaderVersion: number; minWriterVersion: number } };
        expect(info.version).toBe(meta.version);
        expect(info.protocol.minReaderVersion).toBe(meta.min_reader_version);
        expect(info.protocol.minWriterVersion).toBe(meta.min_writer_version);
      });
    }
  }
});

describe("delta-edge read commands", () => {
  const table = join(CONFORMANCE, "golden/basic-with-inserts-deletes-checkpoint/delta");

  it("info prints the documented fields", async () => {
    const r = await runCli(["info", pathToFileURL(table).href]);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout) as Record<string, unknown>;
    for (const k of ["version", "protocol", "metadata", "schema", "partitionColumns", "numFiles", "sizeBytes"]) expect(info).toHaveProperty(k);
    expect(info.version).toBe(13);
    expect((info.schema as { type: string }).type).toBe("struct");
  });

  it("history prints a JSON array newest first, honouring --limit", async () => {
    const r = await runCli(["history", table, "--limit", "3"]);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { version: number; timestamp: number; operation: string }[];
    expect(rows.map((x) => x.version)).toEqual([13, 12, 11]);
    for (const row of rows) {
      expect(typeof row.timestamp).toBe("number");
      expect(["WRITE", "DELETE"]).toContain(row.operation);
    }
  });

  it("files prints one NDJSON line per live file, at a version too", async () => {
    const partitioned = join(CONFORMANCE, "delta-rs/delta-0.8.0-special-partition");
    const r = await runCli(["files", partitioned]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { path: string; size: number; partitionValues: Record<string, string>; numRecords: number | null });
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) {
      expect(Object.keys(l)).toEqual(["path", "size", "partitionValues", "numRecords"]);
      // The printed path is the file's real location relative to the table root.
      expect(existsSync(join(partitioned, l.path)), l.path).toBe(true);
    }
    const v0 = await runCli(["files", table, "--version", "0"]);
    expect(v0.stdout.trim().split("\n").length).toBe(1);
  });

  it("files --where keeps only files that may match (partition pruning)", async () => {
    const partitioned = join(CONFORMANCE, "delta-rs/delta-0.8.0-partitioned");
    const r = await runCli(["files", partitioned, "--where", "year = '2021' AND month = '12'"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { partitionValues: Record<string, string> });
    expect(lines.length).toBe(2);
    for (const l of lines) expect(l.partitionValues).toMatchObject({ year: "2021", month: "12" });
    const bad = await runCli(["files", partitioned, "--where", "year = "]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/INVALID_INPUT/);
  });

  it("errors are one line on stderr naming the table and the version, with a non-zero exit", async () => {
    const bad = join(CONFORMANCE, "golden/deltalog-invalid-protocol-version/delta");
    const r = await runCli(["info", bad]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trim().split("\n");
    expect(lines.length).toBe(1);
    expect(lines[0]).toContain(bad);
    expect(lines[0]).toContain("version 0");
    expect(lines[0]).toContain("UNSUPPORTED_FEATURE");
    const missing = await runCli(["info", table, "--version", "99"]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/version 99 does not exist; the latest version is 13/);
    const usage = await runCli(["info", table, "--verison", "1"]);
    expect(usage.code).not.toBe(0);
    expect(usage.stderr).toMatch(/unknown option --verison/);
  });

  it("info --timestamp travels in time", async () => {
    const r = await runCli(["info", join(CONFORMANCE, "delta-rs/cdc_ict_table"), "--timestamp", "2026-07-12T16:36:52.175Z"]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { version: number }).version).toBe(2);
  });
});

describe("delta-edge on an http table without listing (static hosting)", () => {
  let server: StaticServer;
  beforeAll(async () => {
    server = await startStaticServer({ root: CONFORMANCE });
  });
  afterAll(async () => {
    await server.stop();
  });

  it("info, history and files read a checkpointed table over HTTP with ranged GETs and HEAD probes", async () => {
    const url = `${server.url}/golden/basic-with-inserts-deletes-checkpoint/delta`;
    const info = await runCli(["info", url]);
    expect(info.stderr).toBe("");
    expect((JSON.parse(info.stdout) as { version: number; numFiles: number }).version).toBe(13);
    const local = await runCli(["info", join(CONFORMANCE, "golden/basic-with-inserts-deletes-checkpoint/delta")]);
    expect((JSON.parse(info.stdout) as { numFiles: number }).numFiles).toBe((JSON.parse(local.stdout) as { numFiles: number }).numFiles);
    const files = await runCli(["files", url, "--version", "12"]);
    expect(files.code).toBe(0);
    const history = await runCli(["history", url, "--limit", "2"]);
    expect((JSON.parse(history.stdout) as { version: number }[]).map((h) => h.version)).toEqual([13, 12]);
    // The server never lists: every request is for a named file.
    expect(server.requests.every((r) => !r.path.endsWith("/"))).toBe(true);
  });

  it("reads a V2-checkpoint table with sidecars over HTTP", async () => {
    const r = await runCli(["info", `${server.url}/kernel/v2-checkpoints-parquet-with-sidecars`]);
    expect(r.stderr).toBe("");
    expect((JSON.parse(r.stdout) as { version: number; numFiles: number }).numFiles).toBe(101);
  });
});
