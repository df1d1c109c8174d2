/**
 * A deterministic stand-in for the iris.csv the dagster examples download (no network here):
 * 50 rows per species around each species' real means, as an Arrow Table with the same five
 * columns, optionally with a `time` column (seconds since the epoch, as in the time-partition
 * snippet).
 */
import { Float64, Int64, Table, Utf8, vectorFromArray } from "apache-arrow";

export const SPECIES = ["Iris-setosa", "Iris-versicolor", "Iris-virginica"] as const;

const MEANS: Record<string, [number, number, number, number]> = {
  "Iris-setosa": [5.0, 3.4, 1.5, 0.2],
  "Iris-versicolor": [5.9, 2.8, 4.3, 1.3],
  "Iris-virginica": [6.6, 3.0, 5.6, 2.0],
};

/** One iris row. */
export interface IrisRow {
  sepal_length_cm: number;
  sepal_width_cm: number;
  petal_length_cm: number;
  petal_width_cm: number;
  species: string;
}

/** The rows of some species (all by default), `perSpecies` each; `seed` varies the jitter. */
export function irisRows(species: readonly string[] = SPECIES, perSpecies = 50, seed = 1): IrisRow[] {
  let x = seed * 7919 + 17;
  const jitter = (): number => {
    x = (x * 48271) % 2147483647;
    return Math.round(((x / 2147483647) * 0.8 - 0.4) * 10) / 10;
  };
  const rows: IrisRow[] = [];
  for (const s of species) {
    const m = MEANS[s] ?? [5, 3, 3, 1];
    for (let i = 0; i < perSpecies; i++) {
      rows.push({
        sepal_length_cm: round(m[0] + jitter()),
        sepal_width_cm: round(m[1] + jitter()),
        petal_length_cm: round(Math.max(0.1, m[2] + jitter())),
        petal_width_cm: round(Math.max(0.1, m[3] + jitter() / 2)),
        species: s,
      });
    }
  }
  return rows;
}

const round = (v: number): number => Math.round(v * 10) / 10;

/** Iris rows as an Arrow Table; with `time` (epoch seconds) when given. */
export function irisTable(rows: readonly IrisRow[], time?: number): Table {
  const columns = {
    sepal_length_cm: vectorFromArray(rows.map((r) => r.sepal_length_cm), new Float64()),
    sepal_width_cm: vectorFromArray(rows.map((r) => r.sepal_width_cm), new Float64()),
    petal_length_cm: vectorFromArray(rows.map((r) => r.petal_length_cm), new Float64()),
    petal_width_cm: vectorFromArray(rows.map((r) => r.petal_width_cm), new Float64()),
    species: vectorFromArray(rows.map((r) => r.species), new Utf8()),
  };
  if (time === undefined) return new Table(columns);
  return new Table({ ...columns, time: vectorFromArray(rows.map(() => BigInt(time)), new Int64()) });
}

/** The day's midnight (UTC) in epoch seconds, for a `YYYY-MM-DD` partition key. */
export function epochSeconds(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / 1000;
}
