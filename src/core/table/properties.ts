/**
 * Typed access to the table properties that change behaviour (PROTOCOL.md and Delta's
 * DeltaConfigs): intervals such as `delta.logRetentionDuration` ("interval 30 days"), the
 * checkpoint interval, append-only, in-commit timestamps. Defaults are Spark's.
 */
import { InvalidInputError } from "../errors.js";

const UNIT_MS: Record<string, number> = {
  millisecond: 1,
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
};

/** Parses a Spark CalendarInterval string ("interval 1 days", "2 weeks", "interval 36 hours") to ms. */
export function parseInterval(text: string, property = "interval"): number {
  const s = text.trim().toLowerCase().replace(/^interval\s+/, "");
  const parts = s.split(/\s+/);
  if (parts.length % 2 !== 0 || parts.length === 0) throw new InvalidInputError(`cannot parse ${property} '${text}'`);
  let total = 0;
  for (let i = 0; i < parts.length; i += 2) {
    const n = Number(parts[i]);
    const unit = (parts[i + 1] as string).replace(/s$/, "");
    const ms = UNIT_MS[unit];
    if (!Number.isFinite(n) || ms === undefined) throw new InvalidInputError(`cannot parse ${property} '${text}'`);
    total += n * ms;
  }
  return total;
}

/** Interval-valued property in ms, or the default when unset. */
export function intervalProperty(props: Readonly<Record<string, string>>, key: string, defaultMs: number): number {
  const v = props[key];
  return v === undefined ? defaultMs : parseInterval(v, key);
}

/** Days in ms. */
export const DAYS = 86_400_000;

/** `delta.setTransactionRetentionDuration` in ms, or undefined (txns never expire). */
export function txnRetentionMs(props: Readonly<Record<string, string>>): number | undefined {
  const v = props["delta.setTransactionRetentionDuration"];
  return v === undefined ? undefined : parseInterval(v, "delta.setTransactionRetentionDuration");
}
