/**
 * The CLI `changes` command (DESIGN.md "CLI"): the table's change data feed between two versions
 * (`--from V [--to V]`) or times (`--from-timestamp ISO [--to-timestamp ISO]`), with `--columns`
 * and `--where` as in `scan`, streamed in ndjson, json, csv or an Arrow IPC stream. Each row has
 * the table's columns plus `_change_type`, `_commit_version` and `_commit_timestamp`.
 */
import { InvalidInputError } from "../../core/errors.js";
import type { ObjectStore } from "../../core/storage/object-store.js";
import { changePlanFields, planChanges, type ChangesOptions } from "../../core/changes/change-plan.js";
import { changeBatches } from "../../core/changes/read-changes.js";
import { deltaSchemaToArrow } from "../../core/schema/arrow-schema.js";
import { encodeRows, ROW_OUTPUT_FORMATS, type RowOutputFormat } from "../../core/scan/row-output.js";
import { intFlag, stringFlag, type ParsedArgs } from "./args.js";
import type { Output } from "./output.js";

/** `changes`: the change rows of a version (or time) range. */
export async function changesCommand(store: ObjectStore, flags: ParsedArgs["flags"], out: Output): Promise<void> {
  const format = (stringFlag(flags, "format") ?? "ndjson") as RowOutputFormat;
  if (!ROW_OUTPUT_FORMATS.includes(format)) throw new InvalidInputError(`unknown --format ${format}; use one of ${ROW_OUTPUT_FORMATS.join(", ")}`);
  const from = intFlag(flags, "from");
  const fromTimestamp = stringFlag(flags, "from-timestamp");
  if ((from === undefined) === (fromTimestamp === undefined)) throw new InvalidInputError("give exactly one of --from V and --from-timestamp ISO");
  const options: ChangesOptions = {
    store,
    startingVersion: from,
    startingTimestamp: fromTimestamp,
    endingVersion: intFlag(flags, "to"),
    endingTimestamp: stringFlag(flags, "to-timestamp"),
    columns: stringFlag(flags, "columns")
      ?.split(",")
      .map((c) => c.trim())
      .filter((c) => c.length > 0),
    where: stringFlag(flags, "where"),
    timeZone: stringFlag(flags, "time-zone"),
  };
  const plan = await planChanges(options);
  const fields = await changePlanFields(plan, options);
  const batches = changeBatches(plan, { ...options, limit: intFlag(flags, "limit") });
  for await (const chunk of encodeRows({ batches, fields, arrowSchema: deltaSchemaToArrow({ kind: "struct", fields }), format })) await out.write(chunk);
}
