import { defineConfig } from "vitest/config";

// The AWS SDK for JavaScript warns once per process on Node below 22 that its releases after January 2027 will
// need Node 22 (NodeVersionSupportWarning). Every test worker, worker thread and CLI subprocess inherits this
// environment, so without it `npm test` on Node 20 prints the same notice a dozen times. This is the switch the
// SDK documents for it (aws/aws-sdk-js-v3#7983); other warnings still print. A value already set wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

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
