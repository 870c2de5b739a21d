import { spawn, spawnSync, type ChildProcess, type ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../bin/edgelite.js", import.meta.url));

/** As root, permission bits stop nobody: tests that need a refused permission run the CLI as `nobody`. */
export const UNPRIVILEGED: { uid: number; gid: number } | Record<string, never> = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
/**
 * Whether that user can run this checkout's CLI at all: a clone under a private folder (`mktemp -d` makes
 * them 0700) is out of nobody's reach, and then root cannot be made to meet a refused permission.
 */
export const UNPRIVILEGED_CAN_RUN = spawnSync(process.execPath, [BIN, "--version"], { ...UNPRIVILEGED, stdio: "ignore" }).status === 0;

export interface ServerProcess {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `edgelite serve` as a user would (the built CLI) and waits for its ready line. */
export function spawnServer(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [BIN, "serve", "--port", "0", ...args], { env: { ...process.env, NO_COLOR: "1", ...env } });
  let out = "";
  let err = "";
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}\n${err}`)), 20_000);
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, stdout: () => out, stderr: () => err, exited });
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before it was ready:\n${out}\n${err}`));
    });
  });
}

/** Runs the CLI to completion (as another user if `as` says so: the caller must be root). */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, as: { uid: number; gid: number } | Record<string, never> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: "1", ...env }, ...as });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts `edgelite dev` on a free port and waits for its "serving <url>" line (`ready` captures the URL otherwise, e.g. in JSON). */
export async function startDev(args: string[], ready = /serving (http:\/\/\S+?)\/ /): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [BIN, "dev", ...args, "--port", "0"], { env: { ...process.env, NO_COLOR: "1" } });
  let out = "";
  child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = ready.exec(out);
      if (match) {
        clearInterval(timer);
        resolve(match[1]!);
      }
    }, 20);
    child.on("exit", () => {
      clearInterval(timer);
      reject(new Error(out));
    });
  });
  return { child, url, output: () => out };
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` holds (never a timing assertion: it only bounds how long a broken reload is awaited). */
export async function until(what: string, check: () => Promise<boolean> | boolean, output: () => string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await check()) return;
    await pause(20);
  }
  throw new Error(`gave up waiting for ${what}; dev printed:\n${output()}`);
}
