#!/usr/bin/env node
import { runCli } from "../dist/src/cli/main.js";

// Failures are printed by runCli (src/cli/failures.ts). A failed command ends the process (whatever it had
// started); a successful one sets the status and lets a server it started keep running.
runCli(process.argv).then(({ exitCode, failed }) => {
  if (failed) process.exit(exitCode);
  process.exitCode = exitCode;
});
