import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Brings dist/ (what workers and CLI subprocesses run) up to date with src/ before the tests.
    globalSetup: ["test/globalSetup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // With --coverage (npm run coverage, test/coverage/run.mjs): what the tests' own processes run of src/.
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      reporter: ["json"],
      reportsDirectory: "coverage/vitest",
      experimentalAstAwareRemapping: true,
      // A failing test still leaves its figures (the gate is npm test, not this run).
      reportOnFailure: true,
    },
  },
});
