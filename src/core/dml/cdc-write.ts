/**
 * Change data files (PROTOCOL.md "Change Data Files", "Add CDC File"): the rows a DML commit
 * changed, with a `_change_type` column (insert, delete, update_preimage, update_postimage),
 * written as Spark does: Parquet files `_change_data/[<partition dir>/]cdc-<n>-<uuid>.c000...`
 * holding the data columns (partition values in the action, as for data files) and committed as
 * `cdc` actions with `dataChange: false`. The writer runs beside the DML's data writer, fed
 * through a bounded channel, so change rows are never all held in memory.
 */
import type { RecordBatch } from "apache-arrow";
import type { AddFile, CdcFile } from "../log/actions.js";
import { writeDataFiles, type WriteDataFilesOptions } from "../write/data-files.js";
import { BatchChannel } from "./batch-channel.js";
import { changeDataSchema } from "./row-batches.js";

/** A running change data writer. */
export interface ChangeDataWriter {
  /** Queues change rows (table columns plus `_change_type`), waiting while the writer is behind. */
  push(batch: RecordBatch): Promise<void>;
  /** Stops the writer (its files are deleted); `done()` then rejects with `error`. */
  abort(error: unknown): void;
  /** Ends the input and returns the cdc actions of the files written. */
  finish(): Promise<CdcFile[]>;
  /** Settles when the writer has stopped. */
  done(): Promise<CdcFile[]>;
}

/** Starts a change data writer for a table (same options as its data files). */
export function startChangeDataWriter(options: Omit<WriteDataFilesOptions, "data">): ChangeDataWriter {
  const channel = new BatchChannel();
  const written = writeDataFiles({ ...options, schema: changeDataSchema(options.schema), data: channel, fileKind: "cdc" }).then((files) =>
    files.map(cdcAction),
  );
  written.catch(() => undefined); // surfaced by finish()/done()
  return {
    push: (batch) => channel.push(batch),
    abort: (error) => channel.fail(error),
    finish: () => {
      channel.close();
      return written;
    },
    done: () => written,
  };
}

function cdcAction(file: AddFile): CdcFile {
  return { path: file.path, partitionValues: file.partitionValues, size: file.size, dataChange: false };
}
