/**
 * Test helpers for the DV suites: the 163 independently decoded deletion vectors in
 * ../shared/conformance/dv-fixtures, the table folder each one belongs to, and a ranged-read
 * DV loader over local files (the test's stand-in for an ObjectStore). Data is read in place.
 */

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DeletionVectorDescriptor } from "../../src/core/log/actions.js";
import type { DvByteRange, DvByteReader, DvLocation } from "../../src/core/log/deletion-vector.js";
import { NotFoundError } from "../../src/core/errors.js";

import { CONFORMANCE } from "../helpers/conformance.js";

/** One fixture entry, as stored in dv-fixtures/*.json. */
export interface DvFixture {
  table: string;
  commit: string;
  action: "add" | "remove";
  path: string;
  deletionVector: DeletionVectorDescriptor;
  dvFile: string | null;
  deletedRowIndexes: number[];
}

/** A fixture with where it came from and where its table lives. */
export interface LocatedFixture extends DvFixture {
  source: string;
  index: number;
  /** Absolute folder of the table. */
  tableRoot: string;
}

/**
 * How each fixture file names tables, mapped to the folders under ../shared/conformance:
 * delta-rs tables by name, delta-golden tables as golden/<name>/delta, kernel-rs golden tables
 * as golden/<name>/delta (the name already ends in /delta), kernel-rs test data as kernel/<name>
 * (after the `kernel-tests-data[-extracted]/` prefix).
 */
const TABLE_FOLDERS: Record<string, (table: string) => string> = {
  "dv-deltars-data.json": (t) => join("delta-rs", t),
  "dv-golden-delta-golden.json": (t) => join("golden", t, "delta"),
  "dv-golden-kernel-rs-golden-extracted.json": (t) => join("golden", t),
  "dv-kernel-rs-data.json": (t) => join("kernel", t.replace(/^kernel-tests-data(-extracted)?\//, "")),
};

/** Every fixture, in file order. Throws for a fixture file this mapping does not know. */
export function loadDvFixtures(): LocatedFixture[] {
  const dir = join(CONFORMANCE, "dv-fixtures");
  const out: LocatedFixture[] = [];
  for (const source of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
    const folder = TABLE_FOLDERS[source];
    if (folder === undefined) throw new Error(`unknown DV fixture file ${source}`);
    const entries = JSON.parse(readFileSync(join(dir, source), "utf8")) as DvFixture[];
    entries.forEach((entry, index) => {
      out.push({ ...entry, source, index, tableRoot: join(CONFORMANCE, folder(entry.table)) });
    });
  }
  return out;
}

/** Whether a fixture's table (its _delta_log) is present under ../shared/conformance. */
export function tablePresent(f: LocatedFixture): boolean {
  return existsSync(join(f.tableRoot, "_delta_log"));
}

/** The actions of one commit file of a fixture's table. */
export function commitActions(f: LocatedFixture): Record<string, unknown>[] {
  const text = readFileSync(join(f.tableRoot, "_delta_log", f.commit), "utf8");
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** One call the file reader saw. */
export interface ReadCall {
  location: DvLocation;
  range: DvByteRange;
}

/**
 * A DV reader over a local table folder: relative keys under `tableRoot`, absolute `file:` URIs
 * as files. Missing files throw NotFoundError. Records every call in `calls`.
 */
export function fileReader(tableRoot: string): { read: DvByteReader; calls: ReadCall[] } {
  const calls: ReadCall[] = [];
  const read: DvByteReader = async (location, range) => {
    calls.push({ location, range });
    const file = location.kind === "relative" ? join(tableRoot, location.key) : fileURLToPath(location.uri);
    if (!existsSync(file)) throw new NotFoundError(`no such file ${file}`);
    const handle = await open(file, "r");
    try {
      const buffer = new Uint8Array(range.length);
      const { bytesRead } = await handle.read(buffer, 0, range.length, range.offset);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  };
  return { read, calls };
}

/** Decoded row indexes as a plain array (numbers, or bigints for 64-bit results). */
export function toList(rows: Uint32Array | BigUint64Array): Array<number | bigint> {
  return Array.from(rows as Iterable<number | bigint>);
}
