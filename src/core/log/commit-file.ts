/**
 * Commit files (`N.json`, `x.y.compacted.json`, JSON V2 checkpoints, JSON sidecars):
 * newline-delimited JSON, one action per line, into checked Actions (toAction). Replay reads
 * commits through ReplayState.applyText instead (same checks, with a fast path); this is for the
 * callers that want every action (checkpoints, sidecars, conflict checks, log cleanup).
 */
import { ProtocolError } from "../errors.js";
import { toAction, type Action, type ActionSource } from "./actions.js";

/** Parses the bytes of an NDJSON log file into actions; a bad line is a ProtocolError naming it. */
export function parseActions(bytes: Uint8Array, source: ActionSource): Action[] {
  const text = decoder.decode(bytes);
  const actions: Action[] = [];
  let start = 0;
  let lineNo = 0;
  const n = text.length;
  while (start < n) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = n;
    lineNo++;
    if (end > start) {
      const action = parseActionLine(text.slice(start, end), `line ${lineNo}`, source);
      if (action) actions.push(action);
    }
    start = end + 1;
  }
  return actions;
}

/**
 * JSON.parse and shape check of one log line; undefined for a blank line.
 * @param where the line's position for messages: "line 3" (counting from 1).
 */
export function parseActionLine(line: string, where: string, source: ActionSource): Action | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (cause) {
    if (line.trim() === "") return undefined;
    throw new ProtocolError(`corrupt log ${where}: not complete JSON (${(cause as Error).message})`, { ...source, cause });
  }
  return toAction(raw, where, source);
}

const decoder = new TextDecoder();
