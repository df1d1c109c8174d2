/**
 * Delta log file names (PROTOCOL.md "Delta Log Entries", "Checkpoints", "Log Compaction Files",
 * "Version Checksum File"): formatting the keys we read and write, and classifying every name found
 * in `_delta_log/`. Only exact names count; anything else (`._x.json`, `.x.json.crc`, temp files,
 * `.s3-optimization-N`) is ignored.
 *
 * Versions are exact: a version is a JavaScript number only while it is a safe integer
 * (<= 2^53-1 = 9007199254740991). A log file whose 20-digit version is larger (the format allows
 * up to 99999999999999999999) is a ProtocolError naming the file and quoting the version's digits,
 * never a rounded number; formatting a key for a version that is not a safe integer is refused.
 */
import { InvalidInputError, ProtocolError } from "../errors.js";

/** The folder that holds the log, relative to the table root. */
export const LOG_DIR = "_delta_log/";

/** Key of the `_last_checkpoint` hint. */
export const LAST_CHECKPOINT_KEY = `${LOG_DIR}_last_checkpoint`;

/** Folder of V2 checkpoint sidecars. */
export const SIDECAR_DIR = `${LOG_DIR}_sidecars/`;

/** Zero-pads a version to the 20 digits used in log file names. */
export function padVersion(version: number): string {
  if (!Number.isSafeInteger(version) || version < 0) {
    throw new InvalidInputError(`version ${String(version)} is not an integer from 0 to 2^53-1 (${Number.MAX_SAFE_INTEGER})`);
  }
  return String(version).padStart(20, "0");
}

/** Key of the commit file for a version. */
export function commitKey(version: number): string {
  return `${LOG_DIR}${padVersion(version)}.json`;
}

/** Key of the classic single-file checkpoint for a version. */
export function checkpointKey(version: number): string {
  return `${LOG_DIR}${padVersion(version)}.checkpoint.parquet`;
}

/** Key of part `part` of an n-part checkpoint. */
export function multipartCheckpointKey(version: number, part: number, parts: number): string {
  return `${LOG_DIR}${padVersion(version)}.checkpoint.${String(part).padStart(10, "0")}.${String(parts).padStart(10, "0")}.parquet`;
}

/** Key of the version checksum file. */
export function crcKey(version: number): string {
  return `${LOG_DIR}${padVersion(version)}.crc`;
}

/** A classified log file name. */
export type LogFileName =
  | { kind: "commit"; version: number }
  | { kind: "checkpoint"; version: number; format: "parquet"; part?: undefined; parts?: undefined; uuid?: undefined }
  | { kind: "checkpoint"; version: number; format: "parquet"; part: number; parts: number; uuid?: undefined }
  | { kind: "checkpoint"; version: number; format: "json" | "parquet"; uuid: string; part?: undefined; parts?: undefined }
  | { kind: "compacted"; version: number; endVersion: number }
  | { kind: "crc"; version: number };

const COMMIT = /^(\d{20})\.json$/;
const CLASSIC = /^(\d{20})\.checkpoint\.parquet$/;
const MULTIPART = /^(\d{20})\.checkpoint\.(\d{10})\.(\d{10})\.parquet$/;
const V2 = /^(\d{20})\.checkpoint\.([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\.(json|parquet)$/;
const COMPACTED = /^(\d{20})\.(\d{20})\.compacted\.json$/;
const CRC = /^(\d{20})\.crc$/;

/**
 * Classifies a file name (the part after `_delta_log/`). Returns undefined for anything that is
 * not a log file we use, including names with a folder (`_sidecars/...`).
 * @param tableRoot for messages.
 * @throws ProtocolError for a log file whose version is beyond 2^53-1 (see the module comment).
 */
export function parseLogFileName(name: string, tableRoot?: string): LogFileName | undefined {
  const version = (digits: string | undefined): number => logVersion(digits as string, name, tableRoot);
  let m = COMMIT.exec(name);
  if (m) return { kind: "commit", version: version(m[1]) };
  m = CLASSIC.exec(name);
  if (m) return { kind: "checkpoint", version: version(m[1]), format: "parquet" };
  m = MULTIPART.exec(name);
  if (m) {
    const part = Number(m[2]);
    const parts = Number(m[3]);
    if (part < 1 || part > parts) return undefined;
    return { kind: "checkpoint", version: version(m[1]), format: "parquet", part, parts };
  }
  m = V2.exec(name);
  if (m) return { kind: "checkpoint", version: version(m[1]), format: m[3] as "json" | "parquet", uuid: m[2] as string };
  m = COMPACTED.exec(name);
  if (m) {
    const start = version(m[1]);
    const endVersion = version(m[2]);
    return endVersion >= start ? { kind: "compacted", version: start, endVersion } : undefined;
  }
  m = CRC.exec(name);
  if (m) return { kind: "crc", version: version(m[1]) };
  return undefined;
}

/** The version of a 20-digit log file name, exactly, or a ProtocolError naming the file. */
function logVersion(digits: string, name: string, tableRoot: string | undefined): number {
  const v = Number(digits);
  if (Number.isSafeInteger(v)) return v;
  throw new ProtocolError(
    `log file ${LOG_DIR}${name} has version ${BigInt(digits).toString()}, beyond 2^53-1 (${Number.MAX_SAFE_INTEGER}), the largest version delta-edge represents exactly`,
    { path: tableRoot },
  );
}
