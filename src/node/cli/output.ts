/**
 * Where CLI output goes: stdout by default or a file (`--out`), written with backpressure so large
 * NDJSON or binary outputs stream instead of piling up in memory. A reader that goes away
 * (`delta-edge scan ... | head`: EPIPE) is not an error: writes then throw OutputClosed, which
 * the CLI ends on quietly with status 0. A file that cannot be opened or written is a
 * StorageError naming it.
 */
import { createWriteStream } from "node:fs";
import type { Writable } from "node:stream";
import { StorageError } from "../../core/errors.js";

/** A sink for CLI output. */
export interface Output {
  write(chunk: string | Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/** Thrown by writes once the reader of stdout has gone away (EPIPE): stop, quietly. */
export class OutputClosed extends Error {
  constructor() {
    super("the output was closed by its reader");
    this.name = "OutputClosed";
  }
}

function errno(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** Output to a Node writable stream (stdout or a file named `name` in errors). */
export function streamOutput(stream: Writable, closeStream: boolean, name = "stdout"): Output {
  let failure: Error | undefined;
  const pending = new Set<(error: Error) => void>(); // writes waiting for 'drain'
  const fail = (error: unknown): void => {
    failure ??= errno(error) === "EPIPE" ? new OutputClosed() : new StorageError(`cannot write the output to ${name}`, { cause: error });
    for (const reject of pending) reject(failure);
    pending.clear();
  };
  stream.on("error", fail);
  return {
    write(chunk) {
      if (failure !== undefined) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        const ok = stream.write(chunk, (err) => {
          if (err) fail(err);
        });
        if (failure !== undefined) return reject(failure);
        if (ok) return resolve();
        const drained = (): void => {
          pending.delete(failed);
          resolve();
        };
        const failed = (error: Error): void => {
          stream.off("drain", drained);
          reject(error);
        };
        pending.add(failed);
        stream.once("drain", drained);
      });
    },
    close() {
      if (!closeStream) {
        stream.off("error", fail); // stdout outlives this output
        return failure instanceof OutputClosed || failure === undefined ? Promise.resolve() : Promise.reject(failure);
      }
      if (failure !== undefined) return Promise.reject(failure);
      return new Promise((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(new StorageError(`cannot write the output to ${name}`, { cause: err })) : resolve())));
    },
  };
}

/** Output for `--out FILE` (opened now: a path that cannot be written fails here), or stdout. */
export async function openOutput(file: string | undefined): Promise<Output> {
  if (file === undefined) return streamOutput(process.stdout, false);
  const stream = createWriteStream(file);
  await new Promise<void>((resolve, reject) => {
    stream.once("open", () => resolve());
    stream.once("error", (error) => reject(new StorageError(`cannot write --out ${file}`, { cause: error })));
  });
  return streamOutput(stream, true, file);
}
