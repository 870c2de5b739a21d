import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { http, type RawResponse } from "../../helpers.js";
import { freePortRange } from "../../portRange.js";
import { BIN, pause, spawnServer, type ServerProcess } from "../../process.js";

/**
 * What the end-to-end tests of `edgelite up` share: a fixture copied to a folder of its own (the watch tests
 * edit it), the real aws-cdk CLI synthesizing it offline, `bin/edgelite.js up` as a subprocess, an origin
 * that echoes what it was sent, and requests to a distribution by its Host.
 */

const REPO = fileURLToPath(new URL("../../..", import.meta.url));
export const FIXTURES = join(REPO, "test", "fixtures", "iac");
const CDK_CLI = join(REPO, "node_modules", "aws-cdk", "bin", "cdk");
/** A synth takes ~5 s alone; two cores shared by the whole suite make it several times that. */
const SYNTH_TIMEOUT_MS = 120_000;
const READY_TIMEOUT_MS = 90_000;
const POLL_MS = 100;

export interface Workspace {
  readonly path: string;
  remove(): void;
}

/** A copy of `test/fixtures/iac/<name>` in a temporary folder, with the project's node_modules linked (the app imports aws-cdk-lib). */
export function copyFixture(name: string): Workspace {
  const path = mkdtempSync(join(tmpdir(), `edgelite-up-${name}-`));
  cpSync(join(FIXTURES, name), path, { recursive: true });
  symlinkSync(join(REPO, "node_modules"), join(path, "node_modules"));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A fixture's key value store file (CloudFront's import format) as a map, for what a test expects of the store. */
export function importFileEntries(relativePath: string): ReadonlyMap<string, string> {
  const { data } = JSON.parse(readFileSync(join(FIXTURES, relativePath), "utf8")) as { data: Array<{ key: string; value: string }> };
  return new Map(data.map(({ key, value }) => [key, value]));
}

/** The command the tests (and `--synth`) synthesize an app with: the real CDK CLI, no AWS account, no network. */
export function synthCommand(): string {
  return `node ${CDK_CLI} synth --app "node app.mjs" -o cdk.out --no-notices -q`;
}

/** Environment for the CDK CLI: no version check, notices or telemetry (they would go to the network). */
export const CDK_OFFLINE_ENV: NodeJS.ProcessEnv = { CDK_DISABLE_VERSION_CHECK: "1", CDK_DISABLE_CLI_TELEMETRY: "true" };

/** Runs `cdk synth` in `appDir` into `appDir/cdk.out`; rejects with the CLI's output when it fails. */
export function synthesize(appDir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CDK_CLI, "synth", "--app", "node app.mjs", "-o", "cdk.out", "--no-notices", "-q"], {
      cwd: appDir,
      env: { ...process.env, ...CDK_OFFLINE_ENV },
      timeout: SYNTH_TIMEOUT_MS,
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => (code === 0 ? resolve(join(appDir, "cdk.out")) : reject(new Error(`cdk synth failed (${signal ?? `exit ${code}`}):\n${output}`))));
  });
}

/** Runs `edgelite up <args>` to its exit (killed after `timeoutMs`: a command that should have failed may serve instead). */
export function runUp(args: string[], timeoutMs = 60_000, cwd = REPO): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, "up", ...args], { cwd, env: { ...process.env, NO_COLOR: "1" }, timeout: timeoutMs });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("close", (code) => resolve({ code, output }));
  });
}

/** A stack template as synthesized, for what the tests look up rather than hard-code (logical ids, origin ids). */
export function readTemplate(file: string): { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> } {
  return JSON.parse(readFileSync(file, "utf8")) as { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
}

export interface Distribution {
  readonly id: string;
  /** `<DomainName>:<port>`, the Host a request to the API port names it by. */
  readonly host: string;
}

export interface UpProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** The API's URL (`listening on …`). */
  readonly url: string;
  /** stdout and stderr as they came. */
  output(): string;
  /** The distributions the output announced (`distribution <id> serving at …`), latest line last. */
  distributions(): Distribution[];
  /** A request to a distribution through the API port, with its Host. */
  get(distribution: Distribution, path: string, headers?: Record<string, string>): Promise<RawResponse>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
  readonly exited: Promise<number | null>;
}

const SERVING = /distribution (\S+) serving at http:\/\/([^/\s]+)\//g;

/**
 * Starts `edgelite up <args>` on a free API port and a free range of distribution ports, and waits until
 * `ready(output)` holds (by default: the API listens and a distribution is announced).
 */
export async function startUp(args: string[], options: { cwd?: string; ready?: (output: string) => boolean } = {}): Promise<UpProcess> {
  const range = await freePortRange(4);
  const child = spawn(process.execPath, [BIN, "up", ...args, "--port", "0", "--distribution-ports", range.flag], {
    cwd: options.cwd ?? REPO,
    env: { ...process.env, ...CDK_OFFLINE_ENV, NO_COLOR: "1" },
  });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve((exitCode = code))));
  const ready = options.ready ?? ((output: string) => /distribution \S+ serving at/.test(output));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let url: string | undefined;
  while (url === undefined || !ready(out)) {
    if (exitCode !== undefined) throw new Error(`edgelite up exited (${exitCode}) before it was ready:\n${out}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`edgelite up was not ready within ${READY_TIMEOUT_MS} ms:\n${out}`);
    }
    url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
    await pause(POLL_MS);
  }
  const apiUrl = url;
  const distributions = () => [...out.matchAll(SERVING)].map((match) => ({ id: match[1] ?? "", host: match[2] ?? "" }));
  return {
    child,
    url: apiUrl,
    output: () => out,
    distributions,
    get: (distribution, path, headers = {}) => http(apiUrl, "GET", path, { headers: { ...headers, host: distribution.host } }),
    async stop() {
      if (exitCode === undefined) child.kill("SIGTERM");
      await exited;
    },
    exited,
  };
}

/** The one distribution `up` announced; fails when there is none or several. */
export function onlyDistribution(up: UpProcess): Distribution {
  const ids = new Set(up.distributions().map((distribution) => distribution.id));
  if (ids.size !== 1) throw new Error(`expected one distribution, the output names ${ids.size}:\n${up.output()}`);
  return up.distributions().at(-1)!;
}

/** Polls until `check` holds; the bound is only how long a broken run is awaited, never an assertion on timing. */
export async function eventually(what: string, check: () => Promise<boolean> | boolean, output: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await pause(POLL_MS);
  }
  throw new Error(`gave up waiting for ${what}; edgelite up printed:\n${output()}`);
}

/** The output's lines that mention every one of `words`. */
export function linesWith(output: string, ...words: string[]): string[] {
  return output.split("\n").filter((line) => words.every((word) => line.toLowerCase().includes(word.toLowerCase())));
}

export interface EchoRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

export interface EchoOrigin {
  readonly url: string;
  readonly requests: EchoRequest[];
  close(): Promise<void>;
}

/** An HTTP origin on 127.0.0.1 answering each request with it as JSON; `requests` holds what it received. */
export async function echoOrigin(): Promise<EchoOrigin> {
  const requests: EchoRequest[] = [];
  const server = createServer((request, response) => {
    const seen = { method: request.method ?? "", url: request.url ?? "", headers: request.headers };
    requests.push(seen);
    request.resume();
    request.on("end", () => {
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify(seen));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface CdkScenario {
  readonly app: Workspace;
  readonly up: UpProcess;
  /** An origin on this machine for `flags` to map an origin to. */
  readonly origin: EchoOrigin;
  readonly site: Distribution;
  close(): Promise<void>;
}

export interface CdkScenarioOptions {
  /** The fixture folder under test/fixtures/iac (default: cdk-app). */
  readonly fixture?: string;
  /** `up`'s flags besides the assembly, given the echo origin and the synthesized app's folder. */
  readonly flags?: (origin: EchoOrigin, appDir: string) => string[];
  readonly ready?: (output: string) => boolean;
}

/** cdk-app's flags: in memory, its `/api/*` origin (`api.example.com`) mapped to the echo origin. */
export const cdkAppFlags = (origin: EchoOrigin): string[] => ["--in-memory", "--origin", `api.example.com=${origin.url}`];
/** cdk-app is applied once its stack's output is printed. */
const cdkAppReady = (output: string) => /distribution \S+ serving at/.test(output) && linesWith(output, "SiteDomain").length > 0;

/** A CDK fixture copied, synthesized into its cdk.out and brought up from its folder (`up cdk.out …flags`). */
export async function cdkScenario(options: CdkScenarioOptions = {}): Promise<CdkScenario> {
  const app = copyFixture(options.fixture ?? "cdk-app");
  const origin = await echoOrigin();
  try {
    await synthesize(app.path);
    const flags = (options.flags ?? cdkAppFlags)(origin, app.path);
    const up = await startUp(["cdk.out", ...flags], { cwd: app.path, ready: options.ready ?? cdkAppReady });
    return {
      app,
      up,
      origin,
      site: onlyDistribution(up),
      async close() {
        await up.stop();
        await origin.close();
        app.remove();
      },
    };
  } catch (error) {
    await origin.close();
    app.remove();
    throw error;
  }
}

/** A fixture synthesized, an echo origin, and a running `edgelite serve` (in memory) for `up --endpoint`. */
export interface EndpointScenario {
  readonly app: Workspace;
  readonly server: ServerProcess;
  readonly origin: EchoOrigin;
  close(): Promise<void>;
}

export async function endpointScenario(fixture: string): Promise<EndpointScenario> {
  const app = copyFixture(fixture);
  const origin = await echoOrigin();
  const [range] = await Promise.all([freePortRange(2), synthesize(app.path)]);
  const server = await spawnServer(["--in-memory", "--distribution-ports", range.flag]);
  return {
    app,
    server,
    origin,
    async close() {
      server.child.kill("SIGTERM");
      await server.exited;
      await origin.close();
      app.remove();
    },
  };
}
