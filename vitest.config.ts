import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Each file starts real runtimes; two cores run two files at once.
    maxWorkers: 2,
    reporters: ["default", "./test/summary-reporter.ts"],
  },
});
