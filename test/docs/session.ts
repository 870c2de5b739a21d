import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, connect } from "node:net";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { showsExpected, type Snippet } from "./markdown.js";

/**
 * A reader following a document top to bottom in a fresh folder: what one shell block exports or `cd`s into
 * is there for the next block (shell variables too: blocks run with `set -a`, as if typed into one terminal),
 * JavaScript blocks run as .mjs files in the folder and may import the project's dependencies and `edgelite`
 * itself, Python blocks run with Debian's /usr/bin/python3 (and its boto3, which .ci/run installs), and
 * `background` blocks (a server) keep running, as in a second terminal, until the document ends or a block
 * starting the same command replaces them (the reader's Ctrl-C and restart).
 *
 * The documents use edgelite's default ports (4599 for `serve` and `up`, 8080 for `dev`). Each document gets free
 * ports instead, so a developer's own `edgelite serve` on 4599, or another test, never meets the snippets: every
 * "4599" and "8080" in a block is replaced by the document's port, and a background `edgelite serve`/`up`/`dev`
 * without `--port` gets one. Nothing else in a block is changed.
 */

export const REPO = fileURLToPath(new URL("../..", import.meta.url));
const DEBIAN_PYTHON = "/usr/bin/python3";
/** The ports documents may name, and the commands that listen on each by default. */
const DEFAULT_PORTS: ReadonlyMap<number, readonly string[]> = new Map([
  [4599, ["serve", "up"]],
  [8080, ["dev"]],
]);
/** A background edgelite command: `edgelite serve`, `edgelite up`, `edgelite dev`. */
const EDGELITE_COMMAND = /edgelite\s+(serve|up|dev)\b/;
const BLOCK_TIMEOUT_MS = 120_000;
const READY_TIMEOUT_MS = 60_000;

/**
 * A folder whose node_modules holds the project's dependencies and `edgelite` (the repository, as after
 * `npm install --save-dev git+…`), with `edgelite` and the dependencies' commands (`cdk` of aws-cdk, as after
 * `npm install --save-dev aws-cdk`) in node_modules/.bin for npx. Documents run in folders below it. Links,
 * not copies: nothing is installed.
 */
export function prepareProjectFolder(root: string): void {
  const modules = join(root, "node_modules");
  mkdirSync(join(modules, ".bin"), { recursive: true });
  const installed = join(REPO, "node_modules");
  for (const entry of readdirSync(installed)) {
    if (entry === ".bin" || entry === "edgelite") continue;
    symlinkSync(join(installed, entry), join(modules, entry));
  }
  symlinkSync(REPO, join(modules, "edgelite"));
  symlinkSync(join(REPO, "bin", "edgelite.js"), join(modules, ".bin", "edgelite"));
  for (const command of readdirSync(join(installed, ".bin"))) {
    if (command !== "edgelite") symlinkSync(join(installed, ".bin", command), join(modules, ".bin", command));
  }
}

/**
 * The folder of an `aws` that has CloudFront's KeyValueStore commands (released in November 2023): the
 * documents' CLI examples use them. Debian 12's awscli (2.9.19) predates them; PATH is searched first.
 */
export async function awsCliWithKeyValueStore(path: string): Promise<string> {
  const candidates = [...path.split(delimiter).filter((dir) => dir !== ""), "/usr/local/bin", "/usr/bin"];
  const tried: string[] = [];
  for (const dir of new Set(candidates)) {
    const aws = join(dir, "aws");
    if (!existsSync(aws)) continue;
    // Not spawnSync: a test worker blocked for long misses vitest's RPC deadlines.
    const { stderr } = await new Promise<{ stderr: string }>((resolve) => {
      execFile(aws, ["cloudfront", "create-key-value-store"], { env: { ...process.env, AWS_PAGER: "" }, timeout: 60_000 }, (_error, _stdout, err) => resolve({ stderr: String(err) }));
    });
    // A CLI that knows the command complains about its missing --name; an older one about the command itself.
    if (/--name/.test(stderr)) return dir;
    tried.push(aws);
  }
  throw new Error(
    `the documents' AWS CLI examples need an AWS CLI with the KeyValueStore commands (November 2023 or later); ` +
      `${tried.length > 0 ? `these lack them: ${tried.join(", ")}` : "none was found on PATH"}. Install a newer AWS CLI v2 or v1.`,
  );
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

interface Background {
  key: string;
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

export class ReaderSession {
  private cwd: string;
  private env: NodeJS.ProcessEnv;
  private readonly background = new Map<string, Background>();
  private count = 0;

  constructor(
    private readonly folder: string,
    env: NodeJS.ProcessEnv,
    /** Each default port a document names → the port used instead. */
    private readonly ports: ReadonlyMap<number, number>,
  ) {
    this.cwd = folder;
    this.env = { ...env };
  }

  /** The block's code with the document's ports in place of the defaults. */
  localise(code: string): string {
    let out = code;
    for (const [from, to] of this.ports) out = out.replace(new RegExp(`\\b${from}\\b`, "g"), String(to));
    return out;
  }

  async run(snippet: Snippet): Promise<void> {
    const code = this.localise(snippet.code);
    if (snippet.background) return this.start(snippet, code);
    const where = `${snippet.file}:${snippet.line}`;
    const output = await this.runOnce(snippet, code, where);
    if (!snippet.expected) return;
    const shown = showsExpected(output, snippet.expected.map((line) => this.localise(line)));
    if (!shown.ok) throw new Error(`the block at ${where} did not print "${shown.missing}" (its text output block):\n${code}\n--- output ---\n${output}`);
  }

  private async runOnce(snippet: Snippet, code: string, where: string): Promise<string> {
    this.count++;
    if (snippet.language === "sh") {
      const state = join(this.folder, `.snippet-${this.count}.state`);
      // set -a: variables assigned in a block are there for the next ones, as in one terminal.
      const script = `set -a -eo pipefail\n${code}\n{ pwd; env -0; } > '${state}'\n`;
      const output = await this.exec(where, "bash", ["-c", script], code);
      const [cwd, ...env] = readFileSync(state, "utf8").split("\n");
      this.cwd = cwd ?? this.cwd;
      this.env = parseEnv(env.join("\n"));
      return output;
    }
    if (snippet.language === "js") {
      const file = join(this.cwd, `.snippet-${this.count}.mjs`);
      writeFileSync(file, code);
      return this.exec(where, process.execPath, [file], code);
    }
    const file = join(this.cwd, `.snippet-${this.count}.py`);
    writeFileSync(file, code);
    return this.exec(where, DEBIAN_PYTHON, [file], code);
  }

  /** Stops what background blocks started (their whole process group: npx starts node as a child). */
  async close(): Promise<void> {
    await Promise.all([...this.background.values()].map((running) => stop(running)));
    this.background.clear();
  }

  /** Runs a block to its end; what it printed (stdout and stderr, interleaved as they came). */
  private exec(where: string, command: string, args: string[], code: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, { cwd: this.cwd, env: this.env, stdio: ["ignore", "pipe", "pipe"], timeout: BLOCK_TIMEOUT_MS });
      const output: string[] = [];
      child.stdout.on("data", (chunk: Buffer) => output.push(chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => output.push(chunk.toString()));
      child.on("error", reject);
      child.on("close", (code_, signal) => {
        if (code_ === 0) resolve(output.join(""));
        else reject(new Error(`the block at ${where} failed (${signal ?? `exit ${code_}`}):\n${code}\n--- output ---\n${output.join("")}`));
      });
    });
  }

  private async start(snippet: Snippet, written: string): Promise<void> {
    const command = EDGELITE_COMMAND.exec(written)?.[1];
    const fallback = [...DEFAULT_PORTS].find(([, names]) => command !== undefined && names.includes(command))?.[0];
    // Commands sharing a default port replace each other (`edgelite up` after `edgelite serve`), as a reader
    // stops one with Ctrl-C before starting the other.
    const key = fallback !== undefined ? `edgelite on ${fallback}` : written.trim();
    let code = written;
    // The port to wait for: --port, else the command's default, else a document port the command names.
    let port = Number(/--port[= ](\d+)/.exec(written)?.[1] ?? NaN);
    if (Number.isNaN(port) && !command) port = [...this.ports.values()].find((p) => new RegExp(`\\b${p}\\b`).test(written)) ?? NaN;
    if (command && Number.isNaN(port)) {
      port = this.ports.get(fallback ?? -1) ?? NaN;
      code = written.replace(EDGELITE_COMMAND, `$& --port ${port}`);
    }
    const where = `${snippet.file}:${snippet.line}`;
    if (Number.isNaN(port)) throw new Error(`the background block at ${where} names no port to wait for (--port N, or 4599 or 8080 in the command)`);
    const previous = this.background.get(key);
    if (previous) await stop(previous);
    const child = spawn("bash", ["-c", code], { cwd: this.cwd, env: this.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const output: string[] = [];
    child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (exitCode) => resolve(exitCode)));
    const running: Background = { key, child, output, exited };
    this.background.set(key, running);
    const deadline = Date.now() + READY_TIMEOUT_MS;
    let done = false;
    void exited.then(() => (done = true));
    // `edgelite up` listens before it applies its stacks (it applies them through its own API): it is ready
    // once it prints where its distributions are served, the last thing its first apply prints.
    const applied = () => command !== "up" || /\bserving at\b/.test(output.join(""));
    while (!(await accepts(port)) || !applied()) {
      if (done || Date.now() > deadline) {
        this.background.delete(key);
        await stop(running);
        const failure = done ? "exited" : applied() ? "did not listen" : "printed no distribution's URL";
        throw new Error(`the background block at ${where} ${failure} on port ${port}:\n${code}\n--- output ---\n${output.join("")}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function parseEnv(dump: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = Object.create(null) as NodeJS.ProcessEnv;
  for (const entry of dump.split("\0")) {
    const at = entry.indexOf("=");
    if (at <= 0) continue;
    const name = entry.slice(0, at);
    if (name === "_" || name === "SHLVL" || name === "PWD" || name === "OLDPWD") continue;
    env[name] = entry.slice(at + 1);
  }
  return env;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function stop(running: Background): Promise<void> {
  const pid = running.child.pid;
  if (pid === undefined || running.child.exitCode !== null || running.child.signalCode !== null) return;
  try {
    process.kill(-pid, "SIGTERM");
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
  }, 10_000);
  await running.exited;
  clearTimeout(timer);
}
