import autocannon from "autocannon";
import { spawn, type ChildProcess } from "node:child_process";

export interface Measured {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

export interface SpawnedServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts a server in its own process (so the load generator does not share its event loop) and waits for "listening on <url>". */
export function spawnListening(command: string, args: string[]): Promise<SpawnedServer> {
  const child: ChildProcess = spawn(command, args, { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, NO_COLOR: "1" } });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        resolve({
          url: match[1]!,
          stop: () =>
            new Promise<void>((done) => {
              child.once("exit", () => done());
              child.kill("SIGTERM");
            }),
        });
      }
    });
    child.once("exit", (code) => reject(new Error(`${command} ${args.join(" ")} exited with ${code}:\n${out}`)));
  });
}

export async function load(options: autocannon.Options): Promise<Measured> {
  const result = await autocannon({ connections: 10, duration: 4, ...options });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
