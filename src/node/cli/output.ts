/**
 * Where CLI output goes: stdout by default or a file (`--out`), written with backpressure so large
 * NDJSON or binary outputs stream instead of piling up in memory.
 */
import { createWriteStream } from "node:fs";
import type { Writable } from "node:stream";

/** A sink for CLI output. */
export interface Output {
  write(chunk: string | Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/** Output to a Node writable stream (stdout or a file). */
export function streamOutput(stream: Writable, closeStream: boolean): Output {
  return {
    write(chunk) {
      return new Promise((resolve, reject) => {
        const ok = stream.write(chunk, (err) => (err ? reject(err) : undefined));
        if (ok) resolve();
        else stream.once("drain", resolve);
      });
    },
    close() {
      if (!closeStream) return Promise.resolve();
      return new Promise((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
    },
  };
}

/** Output for `--out FILE`, or stdout when file is undefined. */
export function openOutput(file: string | undefined): Output {
  return file === undefined ? streamOutput(process.stdout, false) : streamOutput(createWriteStream(file), true);
}
