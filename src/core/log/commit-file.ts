/**
 * Commit files (`N.json`, `x.y.compacted.json`, JSON V2 checkpoints): newline-delimited JSON, one
 * action per line. Parsing is the hot path of log replay, so it does one JSON.parse per line and
 * nothing else; stats stay JSON strings until a scan asks for them.
 */
import { ProtocolError } from "../errors.js";
import type { Action } from "./actions.js";

/** Parses the bytes of an NDJSON log file into actions. */
export function parseActions(bytes: Uint8Array, context: { path: string; version?: number | undefined }): Action[] {
  const text = decoder.decode(bytes);
  const actions: Action[] = [];
  let start = 0;
  const n = text.length;
  while (start < n) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = n;
    if (end > start) {
      const line = text.slice(start, end);
      let action: unknown;
      try {
        action = JSON.parse(line);
      } catch (cause) {
        if (line.trim() === "") {
          start = end + 1;
          continue;
        }
        throw new ProtocolError(`corrupt log line ${actions.length + 1}: not JSON`, { ...context, cause });
      }
      if (typeof action !== "object" || action === null) {
        throw new ProtocolError(`corrupt log line ${actions.length + 1}: not an object`, context);
      }
      actions.push(action as Action);
    }
    start = end + 1;
  }
  return actions;
}

const decoder = new TextDecoder();
