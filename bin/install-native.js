#!/usr/bin/env node
// Installs the native modules edgelite needs, for the running Node major only, then checks that they work.
//
// npm runs this as edgelite's `install` script (in a clone: `npm ci`; in a project: `npm install <edgelite>`).
// Run it again with `npm run native` in a clone, or `npm rebuild edgelite` in a project that installed edgelite;
// `node bin/install-native.js --check` only checks (exit 1 when unusable).
//
// Why a script and not dependencies: isolated-vm builds against one Node major (5.0.4 for Node 20, 6.x for 22,
// 7.x for 24) and better-sqlite3 12 crashes on Node 24 while 13 crashes on Node 20. npm cannot pick dependencies by
// Node major (the registry packages' `engines` are open-ended, and `file:` wrappers with tight engines do not
// resolve when edgelite is itself installed from a git URL), so as dependencies every install compiled the versions
// for the other majors too. Instead each major has a folder native/node<major>/ (package.json + lockfile, so the
// versions and their integrity are pinned), and this script runs `npm ci` for the running major's folder inside
// node_modules/.edgelite-native/node<major>/, where src/native.ts loads from. npm ignores dot-folders in
// node_modules, so later installs leave it alone; `npm ci` at the top removes it and this script builds it again.
//
// Exit status: 0 when the sandbox and SQLite load and work; 1 otherwise, after a plain message saying what to do
// (npm then reports the install as failed: an unusable sandbox is found here, not at the first function run).
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const NODE_VERSION = process.versions.node;
const MAJOR = Number(NODE_VERSION.split(".")[0]);
const SOURCE = join(ROOT, "native", `node${MAJOR}`);
const TARGET = join(ROOT, "node_modules", ".edgelite-native", `node${MAJOR}`);
const LOCKFILE = "package-lock.json";
const ADVICE =
  "The one-time build needs python3, make and a C++ compiler (g++ or clang); where Node's headers cannot be downloaded, " +
  "set npm_config_nodedir to a folder holding them (include/node). Fix that, then run `npm rebuild edgelite` in your project " +
  "(in a clone of edgelite: `npm run native`). See docs/install.md.";

/** Config a surrounding `npm install` exports that would send the nested `npm ci` elsewhere or make it do less. */
const FOREIGN_NPM_CONFIG = /^npm_config_(workspaces?|include_workspace_root|global|location|prefix|save.*|package_lock_only|dry_run|omit|include|production|only)$/i;

function main() {
  if (!existsSync(join(SOURCE, "package.json"))) {
    fail(`edgelite supports Node ${describe(supportedMajors())}; this is Node ${NODE_VERSION}. Switch to one of those and install again.`);
  }
  const wanted = JSON.parse(readFileSync(join(SOURCE, "package.json"), "utf8")).dependencies;
  if (preparingGitDependency()) {
    say("edgelite: no native build while npm prepares edgelite from git; the project's own install builds it next.");
    return;
  }
  if (process.argv.includes("--check")) {
    if (!check(wanted)) process.exit(1);
    return;
  }
  const force = process.argv.includes("--force");
  if (!force && installedLockfileMatches() && check(wanted, { quietFailure: true })) return;

  say(
    `edgelite: installing the sandbox (isolated-vm ${wanted["isolated-vm"]}) and SQLite (better-sqlite3 ${wanted["better-sqlite3"]}) ` +
      `for Node ${MAJOR} into ${TARGET}. Where no prebuilt binary can be downloaded this compiles them once (a few minutes).`,
  );
  const started = Date.now();
  rmSync(TARGET, { recursive: true, force: true });
  mkdirSync(TARGET, { recursive: true });
  for (const file of ["package.json", LOCKFILE]) copyFileSync(join(SOURCE, file), join(TARGET, file));
  const npm = runNpm(["ci", "--no-audit", "--no-fund", "--prefix", TARGET]);
  if (npm.error || npm.status !== 0) {
    const how = npm.error ? npm.error.message : `exit ${npm.status ?? npm.signal}`;
    fail(`edgelite: building the sandbox and SQLite for Node ${NODE_VERSION} failed (npm ci in ${TARGET}: ${how}; its output is above). ${ADVICE}`);
  }
  if (!check(wanted, { seconds: Math.round((Date.now() - started) / 1000) })) process.exit(1);
}

/** Loads both modules from TARGET and uses them once; prints one line saying they are ready, or what is wrong. */
function check(wanted, { seconds, quietFailure = false } = {}) {
  const require = createRequire(join(TARGET, "package.json"));
  const problems = [];
  let sqliteVersion = "";
  try {
    const ivm = require("isolated-vm");
    const isolate = new ivm.Isolate({ memoryLimit: 8 });
    try {
      const answer = isolate.createContextSync().evalSync("6 * 7");
      if (answer !== 42) throw new Error(`a test script answered ${String(answer)}, not 42`);
    } finally {
      isolate.dispose();
    }
  } catch (error) {
    problems.push(`the CloudFront Functions sandbox (isolated-vm ${wanted["isolated-vm"]}) could not be loaded for Node ${NODE_VERSION}: ${firstLine(error)}`);
  }
  try {
    const Database = require("better-sqlite3");
    const db = new Database(":memory:");
    try {
      sqliteVersion = db.prepare("select sqlite_version() as v").get().v;
    } finally {
      db.close();
    }
  } catch (error) {
    problems.push(`SQLite (better-sqlite3 ${wanted["better-sqlite3"]}) could not be loaded for Node ${NODE_VERSION}: ${firstLine(error)}`);
  }
  if (problems.length > 0) {
    if (!quietFailure) console.error(`edgelite: ${problems.join("; ")}. ${ADVICE}`);
    return false;
  }
  const took = seconds === undefined ? "already built" : `built in ${seconds} s`;
  say(`edgelite: ready for Node ${NODE_VERSION}: sandbox isolated-vm ${wanted["isolated-vm"]}, SQLite ${sqliteVersion} (better-sqlite3 ${wanted["better-sqlite3"]}), ${took}.`);
  return true;
}

/**
 * Installing edgelite from a git URL, npm first clones it and runs `npm install` in the clone to run `prepare` (tsc),
 * packs the result (without node_modules) and then installs that into the project, where this script runs again.
 * The build in the throwaway clone would only double the wait. npm (pacote) marks that inner install with
 * _PACOTE_NO_PREPARE_; a clone is a package root, not a folder inside node_modules. Should npm rename the variable,
 * the cost is only the double build.
 */
function preparingGitDependency() {
  return process.env._PACOTE_NO_PREPARE_ !== undefined && basename(dirname(ROOT)) !== "node_modules" && !process.argv.includes("--check");
}

function installedLockfileMatches() {
  try {
    return readFileSync(join(TARGET, LOCKFILE), "utf8") === readFileSync(join(SOURCE, LOCKFILE), "utf8");
  } catch {
    return false;
  }
}

/** Runs the npm that runs this script (npm_execpath) with this Node, or `npm` from PATH when run by hand. */
function runNpm(args) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) if (!FOREIGN_NPM_CONFIG.test(key)) env[key] = value;
  // The build scripts (node-gyp) run `node` from PATH: make it this Node, whose headers they must build against.
  env.PATH = [dirname(process.execPath), process.env.PATH ?? ""].join(delimiter);
  const execPath = process.env.npm_execpath;
  if (execPath && /^npm-cli\.c?js$/.test(basename(execPath))) {
    return spawnSync(process.execPath, [execPath, ...args], { stdio: "inherit", env });
  }
  return spawnSync("npm", args, { stdio: "inherit", env, shell: process.platform === "win32" });
}

function supportedMajors() {
  return readdirSync(join(ROOT, "native"))
    .filter((name) => /^node\d+$/.test(name))
    .map((name) => Number(name.slice(4)))
    .sort((a, b) => a - b);
}

function describe(majors) {
  return majors.length < 2 ? majors.join("") : `${majors.slice(0, -1).join(", ")} and ${majors.at(-1)}`;
}

function firstLine(error) {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0].trim();
}

function say(line) {
  console.log(line);
}

function fail(message) {
  console.error(message);
  process.exit(1);
}

main();
