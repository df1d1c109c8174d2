/**
 * The CLI on corrupt logs, as a user runs it: every read command reports a torn commit, an action
 * of the wrong shape or a bad schemaString as one PROTOCOL_ERROR line naming the file and version
 * (`info` the same way as `scan`), never JS internals and never rows that were deleted.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CONFORMANCE } from "../helpers/conformance.js";
import { runCli } from "./run-cli.js";

const SIMPLE = join(CONFORMANCE, "delta-rs/simple_table");
let root: string;

/** A copy of simple_table with `change` applied to commit `version`. */
function tableWith(name: string, version: number, change: (text: string) => string): string {
  const dir = join(root, name);
  cpSync(SIMPLE, dir, { recursive: true });
  const file = join(dir, "_delta_log", `${String(version).padStart(20, "0")}.json`);
  writeFileSync(file, change(readFileSync(file, "utf8")));
  return dir;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "delta-edge-corrupt-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("read commands on corrupt logs", () => {
  it("a torn last commit: info, files and scan refuse it (scan used to return deleted rows)", async () => {
    const dir = tableWith("torn", 4, (t) => t.slice(0, Math.floor(t.length / 2)));
    for (const command of ["info", "files", "scan"]) {
      const r = await runCli([command, dir]);
      expect(r.code, command).not.toBe(0);
      expect(r.stdout, command).toBe("");
      expect(r.stderr, command).toMatch(/PROTOCOL_ERROR: corrupt log line \d+: not complete JSON/);
      expect(r.stderr, command).toContain("00000000000000000004.json, version 4");
      expect(r.stderr.trim().split("\n"), command).toHaveLength(1);
    }
    // history reads only commitInfo lines; the torn commit's commitInfo is intact, so it lists it.
    expect((await runCli(["history", dir])).code).toBe(0);
  });

  it("an action of the wrong shape names the field, the line, the file and the version", async () => {
    const dir = tableWith("shape", 3, (t) => `${t.trimEnd()}\n{"add":{"path":7,"partitionValues":{},"size":1,"modificationTime":1,"dataChange":true}}\n`);
    for (const command of ["info", "files", "scan"]) {
      const r = await runCli([command, dir]);
      expect(r.code, command).not.toBe(0);
      expect(r.stderr, command).toMatch(/PROTOCOL_ERROR: corrupt log line \d+: add\.path must be a string, got number 7/);
      expect(r.stderr, command).toContain("00000000000000000003.json, version 3");
      expect(r.stderr, command).not.toMatch(/Cannot read properties|TypeError/);
    }
  });

  it("a bad schemaString: info reports the same ProtocolError as scan", async () => {
    const dir = tableWith("schema", 0, (t) => t.replace(/"schemaString":"(?:[^"\\]|\\.)*"/, '"schemaString":"{\\"type\\":\\"struct\\",\\"fields\\":[{\\"name\\":"'));
    const info = await runCli(["info", dir]);
    const scan = await runCli(["scan", dir]);
    for (const r of [info, scan]) {
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/PROTOCOL_ERROR: schemaString is not valid JSON/);
      expect(r.stderr).toContain("version 4");
    }
    const message = (s: string): string => s.slice(s.indexOf("PROTOCOL_ERROR"));
    expect(message(info.stderr)).toBe(message(scan.stderr));
  });
});
