import { createServer } from "node:net";

/** Whether this process can listen on the port of 127.0.0.1 now. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

/**
 * A range of `size` ports that are free now, below the ephemeral range (outgoing connections do not take
 * them) and away from the default 4600-4699, so tests running at once rarely meet.
 */
export async function freePortRange(size: number): Promise<{ from: number; to: number; flag: string }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const from = 20_000 + Math.floor(Math.random() * 10_000);
    const ports = Array.from({ length: size }, (_, i) => from + i);
    if ((await Promise.all(ports.map(portIsFree))).every(Boolean)) return { from, to: from + size - 1, flag: `${from}-${from + size - 1}` };
  }
  throw new Error(`no ${size} free ports in a row between 20000 and 30000`);
}
