/**
 * Storage settings for the CLI: `--option KEY=VALUE` flags (delta-rs's option names) are explicit
 * and checked strictly by the backend (an unknown key is an error naming it); the environment is
 * passed separately and read leniently (known names like AWS_REGION are used, others ignored), so
 * a stray variable in a user's shell never breaks a command.
 */
import { InvalidInputError } from "../../core/errors.js";

/** Parses `--option KEY=VALUE` flags. */
export function optionFlags(flags: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of flags) {
    const eq = f.indexOf("=");
    if (eq <= 0) throw new InvalidInputError(`--option takes KEY=VALUE, got '${f}'`);
    out[f.slice(0, eq)] = f.slice(eq + 1);
  }
  return out;
}
