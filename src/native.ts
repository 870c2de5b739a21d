import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The two native modules edgelite needs, built for the running Node major only.
 *
 * Each supported major has a folder `native/node<major>/` in the package (a package.json and its lockfile naming
 * the isolated-vm and better-sqlite3 versions that work on that major). At install time `bin/install-native.js`
 * installs the running major's folder into `node_modules/.edgelite-native/node<major>/` (npm ignores folders whose
 * name starts with a dot), so an install compiles only what this Node can load. This module finds that folder and
 * loads from it; when it cannot, it throws a NativeModuleUnavailable that says what to do.
 */

/** The Node majors edgelite supports: package.json's `engines` and the `native/node<major>` folders say the same (test/install checks). */
export const SUPPORTED_NODE_MAJORS: readonly number[] = [20, 22, 24];

export type NativeModuleName = "isolated-vm" | "better-sqlite3";

const PURPOSE: Readonly<Record<NativeModuleName, string>> = {
  "isolated-vm": "the CloudFront Functions sandbox",
  "better-sqlite3": "SQLite",
};

/** Where the install puts the running major's native modules, relative to a folder that holds node_modules. */
export const NATIVE_FOLDER = join("node_modules", ".edgelite-native");

/** Points edgelite at another folder of native modules (the folder that holds `node_modules/isolated-vm`). */
export const NATIVE_DIR_VARIABLE = "EDGELITE_NATIVE_DIR";

export const NATIVE_REBUILD_ADVICE =
  "Build it with `npm rebuild edgelite` in the project that installed edgelite (in a clone of edgelite: `npm run native`); " +
  "the one-time build needs python3, make and a C++ compiler (g++ or clang), and `npm_config_nodedir` pointing at Node's headers " +
  "when they cannot be downloaded. See docs/install.md.";

/** A native module edgelite needs could not be loaded: not installed, built for another Node, or its build failed. */
export class NativeModuleUnavailable extends Error {
  readonly code = "EDGELITE_NATIVE_UNAVAILABLE";
  constructor(
    readonly moduleName: NativeModuleName,
    readonly nodeVersion: string,
    readonly reason: string,
  ) {
    super(`${PURPOSE[moduleName]} (${moduleName}) could not be loaded for Node ${nodeVersion}: ${reason}. ${NATIVE_REBUILD_ADVICE}`);
    this.name = "NativeModuleUnavailable";
  }
}

export function nodeMajor(version: string = process.versions.node): number {
  return Number(version.split(".")[0]);
}

/**
 * The folder holding this Node major's native modules: $EDGELITE_NATIVE_DIR when set, otherwise the first
 * `node_modules/.edgelite-native/node<major>` found walking up from this file (the package's own node_modules; in a
 * checkout whose node_modules is shared, that one).
 */
export function nativeDirectory(major: number = nodeMajor(), env: NodeJS.ProcessEnv = process.env): string | undefined {
  const override = env[NATIVE_DIR_VARIABLE];
  if (override) return override;
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, NATIVE_FOLDER, `node${major}`);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

export interface LoadNativeOptions {
  /** The folder to load from (defaults to nativeDirectory()). */
  directory?: string;
  /** The running Node version (defaults to process.versions.node). */
  nodeVersion?: string;
}

/** Loads `name` built for the running Node major, or throws NativeModuleUnavailable saying why and what to do. */
export function loadNativeModule(name: NativeModuleName, options: LoadNativeOptions = {}): unknown {
  const nodeVersion = options.nodeVersion ?? process.versions.node;
  const major = nodeMajor(nodeVersion);
  if (!SUPPORTED_NODE_MAJORS.includes(major)) {
    throw new NativeModuleUnavailable(name, nodeVersion, `edgelite supports Node ${describeMajors()}; use one of those`);
  }
  const directory = options.directory ?? nativeDirectory(major);
  if (!directory) {
    throw new NativeModuleUnavailable(
      name,
      nodeVersion,
      `it is not installed (no ${join(NATIVE_FOLDER, `node${major}`)} next to edgelite: its install step, bin/install-native.js, did not run or failed)`,
    );
  }
  const version = installedVersion(directory, name);
  if (!version) {
    throw new NativeModuleUnavailable(name, nodeVersion, `it is not installed in ${directory}`);
  }
  try {
    return createRequire(join(directory, "package.json"))(name);
  } catch (error) {
    throw new NativeModuleUnavailable(name, nodeVersion, `${name} ${version} in ${directory} did not load (${firstLine(error)})`);
  }
}

/** The version of `name` installed in `directory`, or undefined. */
export function installedVersion(directory: string, name: NativeModuleName): string | undefined {
  try {
    const manifest: unknown = JSON.parse(readFileSync(join(directory, "node_modules", name, "package.json"), "utf8"));
    const version = (manifest as { version?: unknown }).version;
    return typeof version === "string" ? version : undefined;
  } catch {
    return undefined;
  }
}

export function describeMajors(majors: readonly number[] = SUPPORTED_NODE_MAJORS): string {
  return majors.length < 2 ? majors.join("") : `${majors.slice(0, -1).join(", ")} and ${majors.at(-1)}`;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]!.trim();
}
