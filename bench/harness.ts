import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";

export interface SpawnedServer {
  url: string;
  /** CPU time (user + system, all threads) the process has used so far, in microseconds; undefined off Linux. */
  cpuMicros(): number | undefined;
  stop(): Promise<void>;
}

const CLOCK_TICKS_PER_SECOND = 100;

function processCpuMicros(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Starts a server in its own process (so the load generator does not share its event loop) and waits for "listening on <url>". */
export function spawnListening(command: string, args: string[]): Promise<SpawnedServer> {
  const child: ChildProcess = spawn(command, args, { stdio: ["ignore", "pipe", "ignore"], env: { ...process.env, NO_COLOR: "1" } });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        resolve({
          url: match[1]!,
          cpuMicros: () => processCpuMicros(child.pid),
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

/** The median of a run's rounds: one noisy round does not move it. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** One load round as the benches record it. */
export interface RoundResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  statuses: Record<string, number>;
  /** CPU time of the server under test per request (all its threads), in µs; undefined off Linux. */
  cpuMicrosPerRequest?: number;
}

/** Several rounds of one load: medians of the figures, statuses summed. */
export function summariseRounds(rounds: RoundResult[]): RoundResult {
  const summary: RoundResult = {
    requestsPerSecond: Math.round(median(rounds.map((r) => r.requestsPerSecond))),
    p50Ms: median(rounds.map((r) => r.p50Ms)),
    p99Ms: median(rounds.map((r) => r.p99Ms)),
    statuses: rounds.reduce<Record<string, number>>((all, r) => {
      for (const [status, count] of Object.entries(r.statuses)) all[status] = (all[status] ?? 0) + count;
      return all;
    }, {}),
  };
  if (rounds.every((r) => r.cpuMicrosPerRequest !== undefined)) summary.cpuMicrosPerRequest = median(rounds.map((r) => r.cpuMicrosPerRequest!));
  return summary;
}
