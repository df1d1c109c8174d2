/**
 * Helpers shared by the strategies that stage a commit in a temp file before making it visible
 * (copy-if-absent, DynamoDB lock): temp file names (delta-rs's `_delta_log/_commit_<uuid>.json.tmp`,
 * which log listings skip: they stop at the first name starting with `_`), the optional copy
 * operations some stores offer (S3's CopyObject), a portable copy (server-side when the store can,
 * else read and write), and an existence check.
 */
import { LOG_DIR } from "../log/path.js";
import type { CopyCondition } from "../storage/s3-dialect.js";
import type { ObjectStore } from "../storage/object-store.js";

/** A store with a server-side copy that overwrites the destination (S3Store). */
export interface CopyingStore extends ObjectStore {
  copy(from: string, to: string): Promise<void>;
}

/** A store with a create-only copy: AlreadyExistsError when the destination exists (S3Store). */
export interface CopyIfAbsentStore extends ObjectStore {
  copyIfAbsent(from: string, to: string, condition?: CopyCondition): Promise<void>;
}

/** Whether a store has a server-side `copy`. */
export function hasCopy(store: ObjectStore): store is CopyingStore {
  return typeof (store as Partial<CopyingStore>).copy === "function";
}

/** Whether a store has `copyIfAbsent`. */
export function hasCopyIfAbsent(store: ObjectStore): store is CopyIfAbsentStore {
  return typeof (store as Partial<CopyIfAbsentStore>).copyIfAbsent === "function";
}

/** A fresh temp commit file name, relative to `_delta_log/` (`_commit_<uuid>.json.tmp`). */
export function newTempCommitName(): string {
  return `_commit_${crypto.randomUUID()}.json.tmp`;
}

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const TEMP_COMMIT_KEY = new RegExp(`^_delta_log/(?:_commit_${UUID}\\.json\\.tmp|\\.tmp/\\d{20}\\.json\\.${UUID})$`);

/**
 * Whether a store key is a staged commit: delta-rs's and ours, `_delta_log/_commit_<uuid>.json.tmp`,
 * or Spark's S3DynamoDBLogStore's `_delta_log/.tmp/<version>.json.<uuid>`.
 */
export function isTempCommitKey(key: string): boolean {
  return TEMP_COMMIT_KEY.test(key);
}

/** The store key of a temp commit name (relative to `_delta_log/`). */
export function tempCommitKey(name: string): string {
  return `${LOG_DIR}${name}`;
}

/**
 * Copies `from` to `to`, overwriting `to`: server-side when the store can, else by reading and
 * writing. NotFoundError when `from` does not exist.
 */
export async function copyObject(store: ObjectStore, from: string, to: string): Promise<void> {
  if (hasCopy(store)) return store.copy(from, to);
  await store.put(to, await store.get(from));
}

/** Deletes a key, ignoring failures (temp-file cleanup must never fail a commit). */
export async function deleteQuietly(store: ObjectStore, key: string): Promise<void> {
  try {
    await store.delete(key);
  } catch {
    // a leftover temp file is harmless: listings skip it, vacuum removes it after the retention
  }
}
