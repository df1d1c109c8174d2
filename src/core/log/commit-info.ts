/**
 * Reading just the commitInfo of a commit, for history and timestamp time travel, without fetching
 * whole commits: Spark writes commitInfo first and delta-rs last, so read the head of the file,
 * then its tail, and only then the whole file. Most commits cost one small ranged request.
 */
import { NotFoundError } from "../errors.js";
import type { ObjectStore } from "../storage/object-store.js";
import type { CommitInfo } from "./actions.js";
import { commitKey } from "./path.js";

const PROBE_BYTES = 16 * 1024;

/** The commitInfo of a version's commit, or undefined when it has none. */
export async function readCommitInfo(store: ObjectStore, version: number): Promise<CommitInfo | undefined> {
  const key = commitKey(version);
  let head: Uint8Array;
  try {
    head = await store.get(key, { range: { offset: 0, length: PROBE_BYTES } });
  } catch (err) {
    if (err instanceof NotFoundError) throw new NotFoundError(`commit ${version} does not exist`, { path: store.root, version });
    throw err;
  }
  const whole = head.byteLength < PROBE_BYTES;
  const fromHead = findCommitInfo(decoder.decode(head), { dropFirst: false, dropLast: !whole });
  if (fromHead.found || whole) return fromHead.info;
  const tail = await store.get(key, { range: { suffix: PROBE_BYTES } });
  const fromTail = findCommitInfo(decoder.decode(tail), { dropFirst: true, dropLast: false });
  if (fromTail.found) return fromTail.info;
  const all = await store.get(key);
  return findCommitInfo(decoder.decode(all), { dropFirst: false, dropLast: false }).info;
}

function findCommitInfo(
  text: string,
  { dropFirst, dropLast }: { dropFirst: boolean; dropLast: boolean },
): { found: boolean; info: CommitInfo | undefined } {
  const lines = text.split("\n");
  if (dropFirst) lines.shift();
  if (dropLast) lines.pop();
  for (const line of lines) {
    if (!line.startsWith('{"commitInfo"')) {
      // Cheap pre-filter; fall back to a parse only when the key appears somewhere in the line.
      if (!line.includes('"commitInfo"')) continue;
    }
    try {
      const action = JSON.parse(line) as { commitInfo?: CommitInfo };
      if (action.commitInfo) return { found: true, info: action.commitInfo };
    } catch {
      // A truncated line: not ours to judge here.
    }
  }
  return { found: false, info: undefined };
}

const decoder = new TextDecoder();
