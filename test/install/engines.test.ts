import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SUPPORTED_NODE_MAJORS } from "../../src/native.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

interface Manifest {
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
  files?: string[];
}

function json<T>(...path: string[]): T {
  return JSON.parse(readFileSync(join(ROOT, ...path), "utf8")) as T;
}

const manifest = json<Manifest>("package.json");
const folders = readdirSync(join(ROOT, "native")).filter((name) => /^node\d+$/.test(name));

describe("the Node majors edgelite supports", () => {
  it("are the same in package.json's engines, the native/ folders and the loader", () => {
    const majors = [...SUPPORTED_NODE_MAJORS].sort((a, b) => a - b);
    expect(manifest.engines?.node).toBe(majors.map((major) => `${major}.x`).join(" || "));
    expect(folders.map((name) => Number(name.slice(4))).sort((a, b) => a - b)).toEqual(majors);
  });

  it("each native/node<major> is for that major only, with a lockfile that pins what its package.json asks for", () => {
    for (const folder of folders) {
      const major = folder.slice(4);
      const own = json<Manifest>("native", folder, "package.json");
      expect(own.engines?.node, folder).toBe(`${major}.x`);
      expect(Object.keys(own.dependencies ?? {}).sort(), folder).toEqual(["better-sqlite3", "isolated-vm"]);
      const lock = json<{ packages: Record<string, { version?: string; dependencies?: Record<string, string> }> }>("native", folder, "package-lock.json");
      expect(lock.packages[""]?.dependencies, folder).toEqual(own.dependencies);
      for (const [name, version] of Object.entries(own.dependencies ?? {})) {
        expect(lock.packages[`node_modules/${name}`]?.version, `${folder} ${name}`).toBe(version);
      }
    }
  });

  it("the package itself installs neither native module: its install script builds the running major's", () => {
    const all = { ...manifest.dependencies, ...manifest.optionalDependencies };
    expect(Object.keys(all).filter((name) => /isolated-vm|better-sqlite3/.test(name))).toEqual([]);
    expect(manifest.scripts?.install).toBe("node bin/install-native.js");
    expect(manifest.files).toEqual(expect.arrayContaining(["bin", "native"]));
  });
});
