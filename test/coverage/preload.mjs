// Loaded into every Node process of a coverage run (NODE_OPTIONS=--import, see run.mjs); acts only in the CLI
// (bin/edgelite.js), whose code vitest's coverage cannot see: it records the main thread's V8 coverage
// through the inspector and writes it where run.mjs collects it, on exit.
//
// Not NODE_V8_COVERAGE: that variable is inherited by every thread, and isolated-vm aborts the process
// (ivm::IsolateEnvironment::GetCurrent's assertion) when a runner-pool worker's coverage is written as it
// stops. So the workers' own code (src/runtime/poolWorker.ts, the SQLite journal's thread) is not counted.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { join } from "node:path";
import { isMainThread, threadId } from "node:worker_threads";

const dir = process.env.EDGELITE_COVERAGE_DIR;
if (dir && isMainThread && /[/\\]bin[/\\]edgelite\.js$/.test(process.argv[1] ?? "")) {
  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.startPreciseCoverage", { callCount: true, detailed: true });
  process.on("exit", () => {
    // A session on the main thread answers synchronously, so this runs to the end before the process does.
    session.post("Profiler.takePreciseCoverage", (error, coverage) => {
      if (!error) writeFileSync(join(dir, `coverage-${process.pid}-${Date.now()}-${threadId}.json`), JSON.stringify(coverage));
    });
  });
}
