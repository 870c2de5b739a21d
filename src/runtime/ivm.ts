import { loadNativeModule } from "../native.js";

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

let loaded: IsolatedVm | undefined;

/**
 * isolated-vm builds against one Node major: 5.0.4 is the last for Node 20, 6.x needs Node 22, 7.x Node 24. The
 * install builds only the running major's (src/native.ts); this loads it or throws NativeModuleUnavailable
 * ("the CloudFront Functions sandbox (isolated-vm) could not be loaded for Node …: … Build it with …").
 */
export function loadIsolatedVm(): IsolatedVm {
  loaded ??= loadNativeModule("isolated-vm") as IsolatedVm;
  return loaded;
}
