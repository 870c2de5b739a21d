import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { loadNativeModule, NATIVE_DIR_VARIABLE, nativeDirectory, NativeModuleUnavailable, nodeMajor } from "../../src/native.js";
import { tempDir } from "../helpers.js";
import { runCli } from "../process.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const NODE = process.versions.node;
const REBUILD = "Build it with `npm rebuild edgelite` in the project that installed edgelite (in a clone of edgelite: `npm run native`)";

const dirs: Array<{ remove(): void }> = [];
afterEach(() => dirs.splice(0).forEach((dir) => dir.remove()));

function scratch(): string {
  const dir = tempDir("edgelite-native-");
  dirs.push(dir);
  return dir.path;
}

/** A folder shaped like node_modules/.edgelite-native/node<major> whose `name` module throws `message` when loaded. */
function folderWithBrokenModule(name: string, version: string, message: string): string {
  const folder = scratch();
  writeFileSync(join(folder, "package.json"), JSON.stringify({ name: "edgelite-native-test", private: true }));
  const module = join(folder, "node_modules", name);
  mkdirSync(module, { recursive: true });
  writeFileSync(join(module, "package.json"), JSON.stringify({ name, version, main: "index.js" }));
  writeFileSync(join(module, "index.js"), `throw new Error(${JSON.stringify(message)});\n`);
  return folder;
}

function unavailable(load: () => unknown): NativeModuleUnavailable {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(NativeModuleUnavailable);
    return error as NativeModuleUnavailable;
  }
  throw new Error("expected NativeModuleUnavailable");
}

describe("loading the native modules", () => {
  it("says the sandbox is not installed, for which Node, and how to build it", () => {
    const missing = join(scratch(), "nothing-here");
    const error = unavailable(() => loadNativeModule("isolated-vm", { directory: missing }));
    expect(error.message).toBe(
      `the CloudFront Functions sandbox (isolated-vm) could not be loaded for Node ${NODE}: it is not installed in ${missing}. ` +
        `${REBUILD}; the one-time build needs python3, make and a C++ compiler (g++ or clang), and \`npm_config_nodedir\` pointing at ` +
        "Node's headers when they cannot be downloaded. See docs/install.md.",
    );
    expect(error.code).toBe("EDGELITE_NATIVE_UNAVAILABLE");
    expect(error.moduleName).toBe("isolated-vm");
  });

  it("passes on the first line of the loader's own error when a build does not load (built for another Node, say)", () => {
    const folder = folderWithBrokenModule(
      "isolated-vm",
      "5.0.4",
      "The module '/x/out/isolated_vm.node'\nwas compiled against a different Node.js version using NODE_MODULE_VERSION 127.",
    );
    const error = unavailable(() => loadNativeModule("isolated-vm", { directory: folder }));
    expect(error.message).toContain(
      `the CloudFront Functions sandbox (isolated-vm) could not be loaded for Node ${NODE}: isolated-vm 5.0.4 in ${folder} did not load ` +
        "(The module '/x/out/isolated_vm.node'). Build it with",
    );
  });

  it("names SQLite when better-sqlite3 is the one missing", () => {
    const folder = folderWithBrokenModule("isolated-vm", "5.0.4", "unused");
    const error = unavailable(() => loadNativeModule("better-sqlite3", { directory: folder }));
    expect(error.message).toMatch(new RegExp(`^SQLite \\(better-sqlite3\\) could not be loaded for Node ${NODE.replace(/\./g, "\\.")}: it is not installed in `));
  });

  it("refuses a Node major edgelite does not support, naming the ones it does", () => {
    const error = unavailable(() => loadNativeModule("isolated-vm", { nodeVersion: "23.4.0", directory: scratch() }));
    expect(error.message).toContain("could not be loaded for Node 23.4.0: edgelite supports Node 20, 22 and 24; use one of those.");
  });

  it("finds the folder the install made for this major, or the one $EDGELITE_NATIVE_DIR names", () => {
    expect(nativeDirectory(nodeMajor(), { [NATIVE_DIR_VARIABLE]: "/somewhere/else" })).toBe("/somewhere/else");
    const found = nativeDirectory(nodeMajor(), {});
    if (process.env[NATIVE_DIR_VARIABLE] === undefined) {
      expect(found).toBe(join(ROOT, "node_modules", ".edgelite-native", `node${nodeMajor()}`));
    }
  });
});

describe("an unusable sandbox or SQLite at the command line", () => {
  const missing = { [NATIVE_DIR_VARIABLE]: "/nonexistent/edgelite-native" };

  it("serve stops before listening, and its first line says what to do", async () => {
    const result = await runCli(["serve", "--in-memory", "--port", "0"], missing);
    expect(result.code).toBe(69); // EX_UNAVAILABLE (docs/cli.md)
    expect(result.stdout).toBe("");
    expect(result.stderr.split("\n")[0]).toContain(
      `the CloudFront Functions sandbox (isolated-vm) could not be loaded for Node ${NODE}: it is not installed in /nonexistent/edgelite-native. ${REBUILD}`,
    );
  });

  it("serve with a data directory names SQLite", async () => {
    const result = await runCli(["serve", "--data-dir", scratch(), "--port", "0"], missing);
    expect(result.code).toBe(69); // EX_UNAVAILABLE (docs/cli.md)
    expect(result.stderr.split("\n")[0]).toMatch(/^(error: )?SQLite \(better-sqlite3\) could not be loaded for Node /);
  });

  it("test says it instead of running the function", async () => {
    const file = join(scratch(), "viewer-request.js");
    writeFileSync(file, "function handler(event) { return event.request; }\n");
    const result = await runCli(["test", file], missing);
    expect(result.code).toBe(69); // EX_UNAVAILABLE (docs/cli.md)
    expect(result.stderr).toContain(`the CloudFront Functions sandbox (isolated-vm) could not be loaded for Node ${NODE}`);
  });
});

describe("bin/install-native.js", () => {
  it("--check passes where the install built this major's modules, and says so", () => {
    if (process.env[NATIVE_DIR_VARIABLE] !== undefined) return; // the modules come from elsewhere in this run
    const result = spawnSync(process.execPath, [join(ROOT, "bin", "install-native.js"), "--check"], { encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^edgelite: ready for Node ${NODE.replace(/\./g, "\\.")}: sandbox isolated-vm \\S+, SQLite 3\\.\\S+ \\(better-sqlite3 \\S+\\), already built\\.\\n$`));
  });

  it("--check fails with the plain message when the sandbox does not load", () => {
    // A copy of the package's script and native/ folders beside a node_modules whose isolated-vm is broken.
    const root = scratch();
    cpSync(join(ROOT, "bin", "install-native.js"), join(root, "bin", "install-native.js"));
    cpSync(join(ROOT, "native"), join(root, "native"), { recursive: true });
    writeFileSync(join(root, "package.json"), JSON.stringify({ name: "edgelite-copy", type: "module" }));
    const broken = folderWithBrokenModule("isolated-vm", "0.0.0", "Module did not self-register: '/x/isolated_vm.node'.");
    cpSync(broken, join(root, "node_modules", ".edgelite-native", `node${nodeMajor()}`), { recursive: true });
    const result = spawnSync(process.execPath, [join(root, "bin", "install-native.js"), "--check"], { encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `edgelite: the CloudFront Functions sandbox (isolated-vm `,
    );
    expect(result.stderr).toContain(`) could not be loaded for Node ${NODE}: Module did not self-register: '/x/isolated_vm.node'.`);
    expect(result.stderr).toContain("SQLite (better-sqlite3 ");
    expect(result.stderr).toContain("The one-time build needs python3, make and a C++ compiler (g++ or clang)");
    expect(result.stderr).toContain("run `npm rebuild edgelite` in your project (in a clone of edgelite: `npm run native`)");
  });
});
