/**
 * Command-line argument parsing for the delta-edge CLI: one positional command and table, then
 * `--flag value` / `--flag=value` options (repeatable ones collect into arrays; "optional" ones take
 * a value only when one follows that is not a flag). Unknown flags are errors that name the flag,
 * so typos never silently change what a command does. The flags are also kept in command-line
 * order (`sequence`), for options whose order matters (MERGE clauses).
 */
import { InvalidInputError } from "../../core/errors.js";

/** How one flag is parsed. */
export interface FlagSpec {
  /**
   * "string" takes a value; "boolean" takes none; "list" takes a value and repeats; "optional"
   * repeats and takes a value when the next argument is not a flag (or with `--flag=value`).
   */
  kind: "string" | "boolean" | "list" | "optional";
}

/** Flags of one kind, in the order named: `flagsOf("string", "version", "timestamp")`. */
export function flagsOf(kind: FlagSpec["kind"], ...names: string[]): Record<string, FlagSpec> {
  return Object.fromEntries(names.map((name) => [name, { kind }]));
}

/** Parsed arguments. */
export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | boolean | string[]>;
  /** Every flag in command-line order, with its value (true for none). */
  sequence: { name: string; value: string | true }[];
}

/** Parses argv (without node and script) against the allowed flags. */
export function parseArgs(argv: readonly string[], specs: Record<string, FlagSpec>): ParsedArgs {
  const positionals: string[] = [];
  const flags: ParsedArgs["flags"] = {};
  const sequence: ParsedArgs["sequence"] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith("--") || arg === "--") {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const spec = specs[name];
    if (!spec) {
      const known = Object.keys(specs).map((k) => `--${k}`).join(", ");
      throw new InvalidInputError(`unknown option --${name} (known: ${known})`);
    }
    if (spec.kind === "boolean") {
      if (eq >= 0) throw new InvalidInputError(`option --${name} takes no value`);
      flags[name] = true;
      sequence.push({ name, value: true });
      continue;
    }
    if (spec.kind === "optional") {
      let value: string | true = true;
      if (eq >= 0) value = arg.slice(eq + 1);
      else if (argv[i + 1] !== undefined && !(argv[i + 1] as string).startsWith("--")) value = argv[++i] as string;
      const prev = flags[name];
      flags[name] = [...(Array.isArray(prev) ? prev : []), value === true ? "" : value];
      sequence.push({ name, value });
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined) throw new InvalidInputError(`option --${name} needs a value`);
    sequence.push({ name, value });
    if (spec.kind === "list") {
      const prev = flags[name];
      flags[name] = Array.isArray(prev) ? [...prev, value] : [value];
    } else {
      if (flags[name] !== undefined) throw new InvalidInputError(`option --${name} given twice`);
      flags[name] = value;
    }
  }
  return { positionals, flags, sequence };
}

/** A flag as a non-negative integer, or undefined when absent. */
export function intFlag(flags: ParsedArgs["flags"], name: string): number | undefined {
  const v = flags[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || !/^\d+$/.test(v)) throw new InvalidInputError(`--${name} must be a non-negative integer, got '${String(v)}'`);
  const n = Number(v);
  // Beyond 2^53-1 Number() rounds: refuse rather than act on a neighbouring value.
  if (!Number.isSafeInteger(n)) throw new InvalidInputError(`--${name} must be at most 2^53-1 (${Number.MAX_SAFE_INTEGER}), got '${v}'`);
  return n;
}

/** A flag as a string, or undefined when absent. */
export function stringFlag(flags: ParsedArgs["flags"], name: string): string | undefined {
  const v = flags[name];
  return typeof v === "string" ? v : undefined;
}
