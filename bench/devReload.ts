import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * bench/dev-reload: how long `edgelite dev` takes from a save to the new code answering HTTP, for each way
 * a file is saved (in place, temporary file renamed over it, `sed -i`, delete then create). Each save is
 * awaited by polling the dev port as fast as it answers; the figure includes the watcher's debounce.
 */
const SAVES_PER_KIND = Number(process.env.BENCH_DEV_SAVES ?? 50);
const BIN = fileURLToPath(new URL("../../bin/edgelite.js", import.meta.url));

const version = (v: string) => `function handler(event) { return { statusCode: 200, statusDescription: 'OK', headers: { 'x-version': { value: '${v}' } } }; }\n`;

const SAVES: Record<string, (file: string, text: string) => void> = {
  "in-place": (file, text) => writeFileSync(file, text),
  "rename-replace": (file, text) => {
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
  },
  "sed-i": (file, text) => {
    const result = spawnSync("sed", ["-i", `s/.*/${text.trim().replace(/[/&\\]/g, "\\$&")}/`, file]);
    if (result.status !== 0) throw new Error(`sed failed: ${result.stderr.toString()}`);
  },
  "delete-create": (file, text) => {
    unlinkSync(file);
    writeFileSync(file, text);
  },
};

export async function benchDevReload(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), "edgelite-bench-dev-"));
  const file = join(dir, "fn.js");
  writeFileSync(file, version("start"));
  const child = spawn(process.execPath, [BIN, "dev", file, "--origin", dir, "--port", "0"], { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, NO_COLOR: "1" } });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const url = await new Promise<URL>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const match = /serving (http:\/\/\S+?)\/ /.exec(out);
        if (match) resolve(new URL(match[1]!));
      });
      child.once("exit", (code) => reject(new Error(`edgelite dev exited with ${code}:\n${out}`)));
    });
    const versionNow = () =>
      new Promise<string | undefined>((resolve, reject) => {
        const req = request({ host: url.hostname, port: url.port, path: "/", agent }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.headers["x-version"] as string | undefined));
        });
        req.on("error", reject);
        req.end();
      });
    const figures: Record<string, { p50Ms: number; p99Ms: number; maxMs: number }> = {};
    let n = 0;
    for (const [kind, save] of Object.entries(SAVES)) {
      const latencies: number[] = [];
      for (let i = 0; i < SAVES_PER_KIND; i++) {
        const v = `v${++n}`;
        const started = performance.now();
        save(file, version(v));
        for (let polls = 0; (await versionNow()) !== v; polls++) {
          if (performance.now() - started > 30_000) throw new Error(`${kind}: save ${v} never went live`);
        }
        latencies.push(performance.now() - started);
      }
      latencies.sort((a, b) => a - b);
      const at = (q: number) => +latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)]!.toFixed(1);
      figures[kind] = { p50Ms: at(0.5), p99Ms: at(0.99), maxMs: at(1) };
    }
    return { savesPerKind: SAVES_PER_KIND, debounceIncluded: true, ...figures };
  } finally {
    agent.destroy();
    child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}
