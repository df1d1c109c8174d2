/**
 * The delta-edge CLI (DESIGN.md "CLI"): parses the command line, opens the table's store from its
 * URL or path plus storage options, runs the command and turns any failure into one line on
 * stderr naming the table, the version and the cause: exit 1 for a failure, 2 for a command line
 * that names no command or table. A reader closing the output early (`| head`) is not a failure:
 * the command stops quietly with status 0.
 */
import { DeltaError } from "../../core/errors.js";
import type { ObjectStore } from "../../core/storage/object-store.js";
import { openStore } from "../index.js";
import { repairIncomplete } from "../../core/logstore/select.js";
import { flagsOf, parseArgs, type FlagSpec, type ParsedArgs } from "./args.js";
import { openOutput, OutputClosed, type Output } from "./output.js";
import { filesCommand, historyCommand, infoCommand } from "./read-commands.js";
import { optionFlags } from "./storage-options.js";
import { scanCommand } from "./scan-command.js";
import { changesCommand } from "./changes-command.js";
import { checkpointCommand, optimizeCommand, vacuumCommand, writeCommand } from "./write-commands.js";
import { MERGE_FLAGS, deleteCommand, mergeCommand, restoreCommand, updateCommand } from "./dml-commands.js";

const COMMON: Record<string, FlagSpec> = { option: { kind: "list" }, out: { kind: "string" }, help: { kind: "boolean" } };

/** Which snapshot: `--version N | --timestamp ISO`. */
const AT = flagsOf("string", "version", "timestamp");
/** What rows to print and how (scan and changes). */
const ROWS = flagsOf("string", "columns", "where", "limit", "format", "time-zone");

/** Runs a command on the table's store (most need only their flags; merge keeps their order). */
type Run = (store: ObjectStore, flags: ParsedArgs["flags"], out: Output, args: ParsedArgs) => Promise<void>;

const COMMANDS: Record<string, { flags: Record<string, FlagSpec>; usage: string; run: Run }> = {
  info: { flags: AT, usage: "info <table> [--version N | --timestamp ISO]", run: infoCommand },
  history: { flags: { limit: { kind: "string" } }, usage: "history <table> [--limit N]", run: historyCommand },
  scan: {
    flags: { ...AT, ...ROWS },
    usage: "scan <table> [--version N | --timestamp ISO] [--columns a,b] [--where EXPR] [--limit N] [--format ndjson|json|csv|arrow|parquet] [--out FILE]",
    run: scanCommand,
  },
  write: {
    flags: {
      ...flagsOf("string", "input", "format", "mode", "partition-by", "replace-where", "schema-mode", "compression"),
      property: { kind: "list" },
      ...flagsOf("string", "name", "description", "max-line-bytes", "max-field-bytes"),
    },
    usage:
      "write <table> --input FILE [--format parquet|arrow|ndjson|csv] [--mode error|append|overwrite|ignore] [--partition-by a,b] [--replace-where EXPR] [--schema-mode merge|overwrite] [--compression snappy|zstd|...] [--property KEY=VALUE] [--name NAME] [--description TEXT] [--max-line-bytes N] [--max-field-bytes N]",
    run: writeCommand,
  },
  changes: {
    flags: { ...flagsOf("string", "from", "to", "from-timestamp", "to-timestamp"), ...ROWS },
    usage: "changes <table> --from V [--to V] | --from-timestamp ISO [--to-timestamp ISO] [--columns a,b] [--where EXPR] [--limit N] [--format ndjson|json|csv|arrow] [--out FILE]",
    run: changesCommand,
  },
  checkpoint: { flags: { version: { kind: "string" } }, usage: "checkpoint <table> [--version N]", run: checkpointCommand },
  vacuum: {
    flags: { "retention-hours": { kind: "string" }, "dry-run": { kind: "boolean" }, "no-enforce-retention": { kind: "boolean" } },
    usage: "vacuum <table> [--retention-hours N] [--dry-run] [--no-enforce-retention]",
    run: vacuumCommand,
  },
  optimize: { flags: { "target-size": { kind: "string" }, where: { kind: "string" } }, usage: "optimize <table> [--target-size BYTES] [--where EXPR]", run: optimizeCommand },
  files: {
    flags: { ...AT, where: { kind: "string" } },
    usage: "files <table> [--version N | --timestamp ISO] [--where EXPR]",
    run: filesCommand,
  },
  delete: { flags: { where: { kind: "string" } }, usage: "delete <table> --where EXPR", run: deleteCommand },
  update: { flags: { set: { kind: "list" }, where: { kind: "string" } }, usage: 'update <table> --set "col = EXPR" [--set ...] [--where EXPR]', run: updateCommand },
  merge: {
    flags: MERGE_FLAGS,
    usage:
      'merge <table> --source FILE [--format parquet|arrow|ndjson|csv] --on EXPR [--source-alias NAME] [--target-alias NAME] [--when-matched-update "col = EXPR,..."] [--when-matched-update-all [COND]] [--when-matched-delete [COND]] [--when-not-matched-insert "col = EXPR,..."] [--when-not-matched-insert-all [COND]] [--when-not-matched-by-source-update "col = EXPR,..."] [--when-not-matched-by-source-delete [COND]] [--condition COND (of the clause before it)]',
    run: (store, _flags, out, args) => mergeCommand(store, args, out),
  },
  restore: { flags: AT, usage: "restore <table> --version N | --timestamp ISO", run: restoreCommand },
};

const USAGE = `usage: delta-edge <command> <table> [options]

commands:
${Object.values(COMMANDS)
  .map((c) => `  delta-edge ${c.usage}`)
  .join("\n")}

<table> is a local path or a file://, https://, s3://, az://, abfss:// or gs:// URL.
common options: --option KEY=VALUE (storage settings, delta-rs names; also read from AWS_*, AZURE_* env),
                --out FILE (write output to a file)`;

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: readonly string[], env: Record<string, string | undefined> = process.env): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "help" || command === "-h") {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 1 : 0;
  }
  const spec = COMMANDS[command];
  if (!spec) {
    process.stderr.write(`delta-edge: unknown command '${command}'\n${USAGE}\n`);
    return 2;
  }
  let table: string | undefined;
  try {
    const args = parseArgs(rest, { ...COMMON, ...spec.flags });
    const { positionals, flags } = args;
    if (flags.help) {
      process.stdout.write(`usage: delta-edge ${spec.usage}\n`);
      return 0;
    }
    table = positionals[0];
    if (table === undefined || positionals.length > 1) {
      process.stderr.write(`usage: delta-edge ${spec.usage}\n`);
      return 2;
    }
    const options = optionFlags((flags.option as string[] | undefined) ?? []);
    const store = openStore({ url: table, options, env });
    // A DynamoDB-locked table may have a commit a crashed writer left half done: finish it first.
    await repairIncomplete({ store, tableUri: table });
    const out = await openOutput(typeof flags.out === "string" ? flags.out : undefined);
    try {
      await spec.run(store, flags, out, args);
    } finally {
      await out.close();
    }
    return 0;
  } catch (err) {
    if (err instanceof OutputClosed) return 0;
    process.stderr.write(`${errorLine(command, table, err)}\n`);
    return 1;
  }
}

/**
 * One line: command, table (when known), error code, message (naming path and version when
 * known) and cause. Errors that are not DeltaErrors are system errors (their errno code leads)
 * or faults of delta-edge itself, shown as INTERNAL rather than passed off as the user's.
 */
export function errorLine(command: string, table: string | undefined, err: unknown): string {
  const where = table === undefined ? "" : ` ${table}:`;
  let text: string;
  if (err instanceof DeltaError) {
    const cause = err.cause instanceof Error && !err.message.includes(err.cause.message) ? `: ${err.cause.message}` : "";
    text = `${err.code}: ${err.message}${cause}`;
  } else {
    const message = err instanceof Error ? err.message : String(err);
    const code = (err as { code?: unknown } | null)?.code;
    text = typeof code === "string" && /^E[A-Z]+$/.test(code) ? (message.startsWith(code) ? message : `${code}: ${message}`) : `INTERNAL: ${message} (a bug in delta-edge)`;
  }
  return `delta-edge ${command}:${where} ${text}`.replace(/\s*\n\s*/g, " ");
}
