/**
 * Storage settings for the CLI: delta-rs's option names, taken from the environment and then from
 * `--option KEY=VALUE` flags (flags win). Only keys that look like storage settings are read from
 * the environment, so unrelated variables never leak into a backend's configuration.
 */
import { InvalidInputError } from "../../core/errors.js";

const ENV_PREFIXES = ["AWS_", "AZURE_", "AZURITE_", "GOOGLE_", "DELTA_", "R2_"];

/** Collects storage options from env and `--option` flags. */
export function storageOptions(env: Record<string, string | undefined>, flags: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v !== undefined && ENV_PREFIXES.some((p) => k.startsWith(p))) out[k] = v;
  }
  for (const f of flags) {
    const eq = f.indexOf("=");
    if (eq <= 0) throw new InvalidInputError(`--option takes KEY=VALUE, got '${f}'`);
    out[f.slice(0, eq)] = f.slice(eq + 1);
  }
  return out;
}
