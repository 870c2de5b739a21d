import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

/**
 * Worker threads and CLI subprocesses run the build in dist/, not the TypeScript the tests import: a test
 * run on a stale build would pass on code that no longer exists. Before the first test (and before each
 * re-run in watch mode) this brings dist/ up to date with src/ and bench/, or stops the run with tsc's
 * errors. `npm test` builds first, so it finds nothing to do here.
 */
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DIST = join(ROOT, "dist");
/** Written after a build here: a source touched without a change (tsc then emits nothing) is not stale twice. */
const STAMP = join(DIST, ".built-by-test-setup");
const BUILD_INFO = join(DIST, ".tsbuildinfo");
const SOURCE_DIRS = ["src", "bench"];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

const mtime = (path: string) => (existsSync(path) ? statSync(path).mtimeMs : undefined);

/** What the build lacks: "missing" when an output does not exist, "stale" when a source is newer than it. */
export function buildState(): "fresh" | "stale" | "missing" {
  const stamp = mtime(STAMP) ?? 0;
  let state: "fresh" | "stale" = "fresh";
  for (const dir of SOURCE_DIRS) {
    for (const source of sources(join(ROOT, dir))) {
      const output = mtime(join(DIST, relative(ROOT, source)).replace(/\.ts$/, ".js"));
      if (output === undefined) return "missing";
      if (statSync(source).mtimeMs > Math.max(output, stamp)) state = "stale";
    }
  }
  return state;
}

function build(): void {
  const state = buildState();
  if (state === "fresh") return;
  // tsc --incremental trusts its build info over the files on disk: without an output, build everything.
  if (state === "missing") rmSync(BUILD_INFO, { force: true });
  const started = new Date();
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  try {
    execFileSync(process.execPath, [tsc, "-p", join(ROOT, "tsconfig.json"), "--incremental", "--tsBuildInfoFile", BUILD_INFO], { cwd: ROOT, encoding: "utf8", stdio: "pipe" });
  } catch (error) {
    const output = error instanceof Error && "stdout" in error ? String(error.stdout) : String(error);
    throw new Error(`dist/ is ${state} and the build failed, so workers and CLI subprocesses cannot run the code under test:\n${output}`);
  }
  // Dated from the build's start: a source saved while tsc ran is still newer than the stamp.
  writeFileSync(STAMP, "");
  utimesSync(STAMP, started, started);
}

export default function setup(project: TestProject): void {
  build();
  project.onTestsRerun(() => build());
}
