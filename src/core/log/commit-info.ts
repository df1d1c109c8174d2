/**
 * Reading just the commitInfo of a commit, for history and timestamp time travel, without fetching
 * whole commits: Spark writes commitInfo first and delta-rs last, so read the head of the file,
 * then its tail, and only then the whole file. Most commits cost one small ranged request. A
 * complete line that mentions commitInfo goes through the same check as replay (parseActionLine):
 * a torn or wrong-shaped one is a ProtocolError naming the commit, not a silently missing entry.
 * Only the partial lines at the edges of a ranged read are skipped.
 */
import { NotFoundError } from "../errors.js";
import type { ObjectStore } from "../storage/object-store.js";
import type { ActionSource, CommitInfo } from "./actions.js";
import { parseActionLine } from "./commit-file.js";
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
  const source = { path: `${store.root}/${key}`, version };
  const whole = head.byteLength < PROBE_BYTES;
  const fromHead = findCommitInfo(decoder.decode(head), { dropFirst: false, dropLast: !whole, source });
  if (fromHead.found || whole) return fromHead.info;
  const tail = await store.get(key, { range: { suffix: PROBE_BYTES } });
  const fromTail = findCommitInfo(decoder.decode(tail), { dropFirst: true, dropLast: false, source });
  if (fromTail.found) return fromTail.info;
  const all = await store.get(key);
  return findCommitInfo(decoder.decode(all), { dropFirst: false, dropLast: false, source }).info;
}

function findCommitInfo(
  text: string,
  { dropFirst, dropLast, source }: { dropFirst: boolean; dropLast: boolean; source: ActionSource },
): { found: boolean; info: CommitInfo | undefined } {
  const lines = text.split("\n");
  if (dropFirst) lines.shift();
  if (dropLast) lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    // Cheap pre-filter: parse only lines where the key appears.
    if (!line.startsWith('{"commitInfo"') && !line.includes('"commitInfo"')) continue;
    // Line numbers are known only when the text starts at the start of the file.
    const action = parseActionLine(line, dropFirst ? "line near the end" : `line ${i + 1}`, source);
    if (action?.commitInfo) return { found: true, info: action.commitInfo };
  }
  return { found: false, info: undefined };
}

const decoder = new TextDecoder();
