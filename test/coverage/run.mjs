// `npm run coverage`: the whole suite under coverage, counting the code the tests' own processes run (vitest's
// v8 coverage of src/) and the code the CLI subprocesses run from dist/ (recorded by preload.mjs, mapped back
// to src/ through the build's source maps), merged, then summed up overall and per room.
// Extra arguments go to vitest (e.g. a test folder). Exits with vitest's status.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Parser } from "acorn";
import { convert } from "ast-v8-to-istanbul";
import libCoverage from "istanbul-lib-coverage";
import libReport from "istanbul-lib-report";
import reports from "istanbul-reports";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const OUT = join(ROOT, "coverage");
const RAW = join(OUT, "v8");
const DIST_SRC = pathToFileURL(join(ROOT, "dist", "src")).href + "/";
const ROOMS = ["api", "service", "runtime", "store", "edge", "cli", "iac"];

rmSync(OUT, { recursive: true, force: true });
mkdirSync(RAW, { recursive: true });
const preload = pathToFileURL(join(ROOT, "test", "coverage", "preload.mjs")).href;
const vitest = spawnSync(process.execPath, [join(ROOT, "node_modules", "vitest", "vitest.mjs"), "run", "--coverage", ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: "inherit",
  env: { ...process.env, EDGELITE_COVERAGE_DIR: RAW, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import=${preload}`.trim() },
});

/** Every CLI process's counts for the built sources, converted to Istanbul's form against src/. */
async function subprocessCoverage() {
  const map = libCoverage.createCoverageMap({});
  for (const file of readdirSync(RAW)) {
    const { result } = JSON.parse(readFileSync(join(RAW, file), "utf8"));
    for (const script of result) {
      if (!script.url.startsWith(DIST_SRC) || !script.url.endsWith(".js")) continue;
      const path = fileURLToPath(script.url);
      const code = readFileSync(path, "utf8");
      const sourceMap = existsSync(`${path}.map`) ? JSON.parse(readFileSync(`${path}.map`, "utf8")) : undefined;
      if (!sourceMap) continue;
      const ast = Parser.parse(code, { ecmaVersion: "latest", sourceType: "module", locations: true });
      map.merge(await convert({ code, ast, sourceMap, coverage: script }));
    }
  }
  return map;
}

/**
 * Adds what the CLI processes ran to the counts of the same statements, branches and functions as vitest
 * mapped them: the two builds (esbuild's for vitest, tsc's for dist/) map back to slightly different source
 * ranges, so items are matched by where they start (line and column, else line), never added as new ones.
 */
function addInto(base, extra) {
  const at = (loc) => `${loc.start.line}:${loc.start.column}`;
  const matcher = (items) => {
    const exact = new Map();
    const byLine = new Map();
    for (const [key, loc] of Object.entries(items)) {
      if (!exact.has(at(loc))) exact.set(at(loc), key);
      if (!byLine.has(loc.start.line)) byLine.set(loc.start.line, key);
    }
    return (loc) => exact.get(at(loc)) ?? byLine.get(loc.start.line);
  };
  const statement = matcher(base.statementMap);
  for (const [key, count] of Object.entries(extra.s)) {
    const match = count > 0 ? statement(extra.statementMap[key]) : undefined;
    if (match !== undefined) base.s[match] += count;
  }
  const fn = matcher(Object.fromEntries(Object.entries(base.fnMap).map(([key, item]) => [key, item.loc])));
  for (const [key, count] of Object.entries(extra.f)) {
    const match = count > 0 ? fn(extra.fnMap[key].loc) : undefined;
    if (match !== undefined) base.f[match] += count;
  }
  const branch = matcher(Object.fromEntries(Object.entries(base.branchMap).map(([key, item]) => [key, item.loc])));
  for (const [key, counts] of Object.entries(extra.b)) {
    const match = counts.some((count) => count > 0) ? branch(extra.branchMap[key].loc) : undefined;
    if (match === undefined || base.b[match].length !== counts.length) continue;
    counts.forEach((count, i) => (base.b[match][i] += count));
  }
}

const map = libCoverage.createCoverageMap({});
const ownFile = join(OUT, "vitest", "coverage-final.json");
if (existsSync(ownFile)) map.merge(JSON.parse(readFileSync(ownFile, "utf8")));
const subprocesses = await subprocessCoverage();
for (const file of subprocesses.files()) {
  const extra = subprocesses.fileCoverageFor(file).toJSON();
  if (map.files().includes(file)) addInto(map.fileCoverageFor(file).data, extra);
  else map.addFileCoverage(extra);
}
map.filter((file) => relative(ROOT, file).startsWith("src") && file.endsWith(".ts"));

const context = libReport.createContext({ dir: OUT, coverageMap: map });
reports.create("json", { file: "coverage-merged.json" }).execute(context);
reports.create("html").execute(context);
reports.create("text-summary").execute(context);

const pct = (metric) => `${(metric.total === 0 ? 100 : (100 * metric.covered) / metric.total).toFixed(1).padStart(5)} % (${metric.covered}/${metric.total})`;
console.log("\nBy room            lines                    branches");
const roomOf = (file) => relative(join(ROOT, "src"), file).split(/[\\/]/)[0];
for (const room of [...ROOMS, "(top level)"]) {
  const summary = libCoverage.createCoverageSummary();
  for (const file of map.files()) {
    const name = roomOf(file);
    if (room === "(top level)" ? !ROOMS.includes(name) : name === room) summary.merge(map.fileCoverageFor(file).toSummary());
  }
  console.log(`${room.padEnd(18)} ${pct(summary.lines).padEnd(24)} ${pct(summary.branches)}`);
}
console.log(`\nHTML report: ${relative(ROOT, join(OUT, "index.html"))}`);
process.exit(vitest.status ?? 1);
