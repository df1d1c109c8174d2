/**
 * Delta log file names (PROTOCOL.md "Delta Log Entries", "Checkpoints", "Log Compaction Files",
 * "Version Checksum File"): formatting the keys we read and write, and classifying every name found
 * in `_delta_log/`. Only exact names count; anything else (`._x.json`, `.x.json.crc`, temp files,
 * `.s3-optimization-N`) is ignored.
 */

/** The folder that holds the log, relative to the table root. */
export const LOG_DIR = "_delta_log/";

/** Key of the `_last_checkpoint` hint. */
export const LAST_CHECKPOINT_KEY = `${LOG_DIR}_last_checkpoint`;

/** Folder of V2 checkpoint sidecars. */
export const SIDECAR_DIR = `${LOG_DIR}_sidecars/`;

/** Zero-pads a version to the 20 digits used in log file names. */
export function padVersion(version: number): string {
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
 */
export function parseLogFileName(name: string): LogFileName | undefined {
  let m = COMMIT.exec(name);
  if (m) return { kind: "commit", version: Number(m[1]) };
  m = CLASSIC.exec(name);
  if (m) return { kind: "checkpoint", version: Number(m[1]), format: "parquet" };
  m = MULTIPART.exec(name);
  if (m) {
    const part = Number(m[2]);
    const parts = Number(m[3]);
    if (part < 1 || part > parts) return undefined;
    return { kind: "checkpoint", version: Number(m[1]), format: "parquet", part, parts };
  }
  m = V2.exec(name);
  if (m) return { kind: "checkpoint", version: Number(m[1]), format: m[3] as "json" | "parquet", uuid: m[2] as string };
  m = COMPACTED.exec(name);
  if (m) {
    const version = Number(m[1]);
    const endVersion = Number(m[2]);
    return endVersion >= version ? { kind: "compacted", version, endVersion } : undefined;
  }
  m = CRC.exec(name);
  if (m) return { kind: "crc", version: Number(m[1]) };
  return undefined;
}
