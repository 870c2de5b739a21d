import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

/** Which way imports point (docs/architecture.md), as dependency-cruiser checks them with .dependency-cruiser.cjs. */
const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "..");
const DEPCRUISE = join(ROOT, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs");
const CONFIG = join(ROOT, ".dependency-cruiser.cjs");

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
  cycle?: Array<{ name: string }>;
}

async function violationsIn(cwd: string): Promise<Violation[]> {
  const { stdout } = await run(process.execPath, [DEPCRUISE, "src", "--config", CONFIG, "--output-type", "json"], { cwd, maxBuffer: 64 * 1024 * 1024 });
  const result = JSON.parse(stdout) as { summary: { violations: Violation[]; totalCruised: number } };
  return result.summary.violations;
}

const describeViolation = (v: Violation) => `${v.rule.name}: ${v.from} → ${v.cycle ? v.cycle.map((step) => step.name).join(" → ") : v.to}`;

/**
 * Violations being removed by issue 11's work in progress. Whoever removes one deletes its line here: the test
 * fails on any violation not listed AND on any listed one that no longer occurs. This list must end empty.
 */
const KNOWN_VIOLATIONS: readonly string[] = [
];

describe("import rules", () => {
  it("hold for the source tree", async () => {
    const violations = await violationsIn(ROOT);
    expect(violations.map(describeViolation).sort()).toEqual([...KNOWN_VIOLATIONS].sort());
  });

  describe("catch a wrong import", () => {
    const scratch = mkdtempSync(join(tmpdir(), "edgelite-imports-"));
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(scratch, path)), { recursive: true });
      writeFileSync(join(scratch, path), text);
    };
    cpSync(join(ROOT, "tsconfig.json"), join(scratch, "tsconfig.json"));
    write("src/limits.ts", "export const LIMIT = 1;\n");
    write("src/api/reply.ts", 'export const reply = "xml";\n');
    write("src/store/records.ts", 'import { LIMIT } from "../limits.js";\nexport const records = LIMIT;\n');
    write("src/service/things.ts", 'import { records } from "../store/records.js";\nexport const things = records;\n');
    write("src/cli/main.ts", 'export const main = 1;\n');
    write("src/edge/a.ts", 'import { b } from "./b.js";\nexport const a = () => b;\n');
    write("src/edge/b.ts", 'import type { a } from "./a.js";\nexport const b = 1 as unknown as typeof a;\n');

    const cases: Array<[rule: string, from: string, importLine: string]> = [
      ["runtime-is-self-contained", "src/runtime/engine.ts", 'import { things } from "../service/things.js";'],
      ["store-below-services", "src/store/sqlite.ts", 'import { things } from "../service/things.js";'],
      ["service-without-wire-formats", "src/service/xmlish.ts", 'import { reply } from "../api/reply.js";'],
      ["api-without-store", "src/api/op.ts", 'import { records } from "../store/records.js";'],
      ["edge-without-api", "src/edge/serve.ts", 'import { reply } from "../api/reply.js";'],
      ["leaves-are-leaves", "src/clock.ts", 'import { things } from "./service/things.js";'],
      ["cli-is-the-top", "src/compose.ts", 'import { main } from "./cli/main.js";'],
    ];
    for (const [, from, importLine] of cases) write(from, `${importLine}\nexport const probe = 1;\n`);
    let found: Promise<Violation[]> | undefined;
    const violations = () => (found ??= violationsIn(scratch));

    it.each(cases)("%s (%s)", async (rule, from) => {
      expect((await violations()).filter((v) => v.from === from).map((v) => v.rule.name)).toEqual([rule]);
    });

    it("no-circular, type-only imports included", async () => {
      const cycles = (await violations()).filter((v) => v.rule.name === "no-circular");
      expect(cycles.map(describeViolation)).toEqual(["no-circular: src/edge/a.ts → src/edge/b.ts → src/edge/a.ts"]);
    });
  });
});
