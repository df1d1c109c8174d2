import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Two workers on the 2-core CI machine: many suites wait on child processes (pyarrow, moto,
    // workerd, Chromium), so the default of one worker (cores - 1) leaves a core idle.
    maxWorkers: 2,
  },
});
