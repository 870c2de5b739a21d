import { createRequire } from "node:module";

/** The part of isolated-vm's API edgelite uses (declared here: the installed alias differs per Node major). */
export interface IsolatedVm {
  Isolate: new (options: { memoryLimit: number }) => Isolate;
  /** A host function the isolate can call synchronously (arguments and result are copied). */
  Callback: new (fn: (...args: never[]) => unknown) => unknown;
}

export interface Isolate {
  readonly isDisposed: boolean;
  compileScriptSync(code: string, options?: { filename?: string }): Script;
  createContextSync(): Context;
  getHeapStatisticsSync(): { used_heap_size: number; total_heap_size: number; heap_size_limit: number; externally_allocated_size?: number };
  dispose(): void;
}

export interface Context {
  readonly global: Reference;
  evalSync(code: string, options?: { timeout?: number }): unknown;
  release(): void;
}

export interface Script {
  runSync(context: Context, options?: { timeout?: number; reference?: boolean }): unknown;
  release(): void;
}

export interface Reference {
  readonly typeof: string;
  deleteSync(property: string): void;
  getSync(property: string, options?: { reference?: boolean }): unknown;
  applySync(receiver: undefined, args: unknown[], options?: { timeout?: number; arguments?: { reference?: boolean } }): unknown;
  derefInto(): unknown;
  release(): void;
}

const PACKAGE_BY_MAJOR: Record<number, string> = { 20: "isolated-vm-node20", 22: "isolated-vm-node22", 24: "isolated-vm-node24" };

let loaded: IsolatedVm | undefined;

/**
 * isolated-vm builds against one Node major: 5.0.4 is the last for Node 20, 6.x needs Node 22, 7.x Node 24.
 * package.json installs each under its own alias as an optional dependency (npm skips those whose
 * `engines` exclude the running Node), and this picks the one that matches.
 */
export function loadIsolatedVm(): IsolatedVm {
  if (loaded) return loaded;
  const major = Number(process.versions.node.split(".")[0]);
  const name = PACKAGE_BY_MAJOR[major];
  if (!name) {
    throw new Error(`edgelite's sandbox supports Node 20, 22 and 24; this is Node ${process.versions.node}.`);
  }
  const require = createRequire(import.meta.url);
  try {
    loaded = require(name) as IsolatedVm;
  } catch (error) {
    throw new Error(
      `The sandbox engine (${name}, isolated-vm) is not installed or did not build for Node ${process.versions.node}: ${(error as Error).message}. ` +
        "Reinstall with `npm install` (it builds with python3, make and a C++ compiler).",
    );
  }
  return loaded;
}
