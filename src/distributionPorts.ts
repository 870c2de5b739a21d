import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { MAX_PORT } from "./limits.js";

/**
 * Each distribution on a port of its own (`edgelite serve --distribution-ports <from>-<to>`), so that it is
 * reachable as `http://127.0.0.1:<port>/` by clients that cannot resolve `*.cloudfront.localhost` or set a
 * Host header (Node's fetch, autocannon, curl without --resolve). Every request on such a port is that
 * distribution's traffic, whatever its Host. This module only holds the listeners: which port, opened and
 * closed when; what a request on one gets is the server's business (src/server.ts).
 */

export interface PortRange {
  readonly from: number;
  readonly to: number;
}

/**
 * 4600-4699: right after the API's 4599, so one firewall or port-forward range covers a whole edgelite;
 * clear of the ports dev tools take by default (3000 React/Express, 4200 Angular, 5000/5173 Flask/Vite,
 * 8000/8080 Django/many, 9000 MinIO, 4566 LocalStack) and below the ephemeral range (32768+ on Linux,
 * 49152+ elsewhere) that outgoing connections use. Nothing registered in IANA's list is commonly run there.
 */
export const DEFAULT_DISTRIBUTION_PORTS: PortRange = { from: 4600, to: 4699 };

/** `<from>-<to>` (both included, from ≤ to, 1–65535) as a range, or a sentence saying what is wrong with it. */
export function parsePortRange(text: string): PortRange | string {
  const match = /^(\d{1,5})-(\d{1,5})$/.exec(text.trim());
  if (!match) return `expected <from>-<to>, two port numbers such as 4600-4699, got "${text}"`;
  const from = Number(match[1]);
  const to = Number(match[2]);
  if (from < 1 || to > MAX_PORT) return `ports are from 1 to ${MAX_PORT}, got ${from}-${to}`;
  if (from > to) return `the first port must not be above the last, got ${from}-${to}`;
  return { from, to };
}

export const formatRange = (range: PortRange) => `${range.from}-${range.to}`;

export interface DistributionPortsOptions {
  /** The interface to listen on (serve's --host). */
  host: string;
  range: PortRange;
  /** A listener for one distribution's traffic (not yet listening). */
  createServer(distribution: { id: string; domainName: string }): Server;
  /** Told when a distribution's port moved or none was free. */
  notice(message: string): void;
}

/** What a distribution asks for: its port, the one it had (stored), and whether only that one will do. */
export interface PortRequest {
  id: string;
  domainName: string;
  preferred?: number;
  /** Try `preferred` only (at start, before distributions without a free port of their own take the rest). */
  exact?: boolean;
  /** Ports other distributions keep though they are not open now (another process holds them this run): not taken. */
  avoid?: ReadonlySet<number>;
}

export class DistributionPorts {
  private readonly open = new Map<string, { port: number; server: Server }>();
  /** Ports being tried right now (two creations at once must not pick the same one). */
  private readonly trying = new Set<number>();

  constructor(private readonly options: DistributionPortsOptions) {}

  get range(): PortRange {
    return this.options.range;
  }

  /** The port a distribution is served on now, if any. */
  portOf(id: string): number | undefined {
    return this.open.get(id)?.port;
  }

  /**
   * Opens the distribution's listener: on its preferred port when that is in the range and free, else the
   * first free one of the range (saying so). Undefined when none is free (also said, with the flag to widen).
   */
  async listen(request: PortRequest): Promise<number | undefined> {
    const known = this.open.get(request.id);
    if (known) return known.port;
    const { from, to } = this.options.range;
    const inRange = (port: number) => port >= from && port <= to;
    const preferred = request.preferred !== undefined && inRange(request.preferred) ? request.preferred : undefined;
    if (preferred !== undefined) {
      const server = await this.tryPort(request, preferred);
      if (server) return this.keep(request.id, preferred, server);
    }
    if (request.exact) return undefined;
    for (let port = from; port <= to; port++) {
      if (port === preferred || request.avoid?.has(port)) continue;
      const server = await this.tryPort(request, port);
      if (!server) continue;
      if (request.preferred !== undefined) {
        const why = preferred === undefined ? `its port ${request.preferred} is outside --distribution-ports ${formatRange(this.options.range)}` : `its port ${request.preferred} is taken by another process`;
        this.options.notice(`distribution ${request.id}: ${why}; serving it on ${port} for now (it keeps ${request.preferred} for when that is free)`);
      }
      return this.keep(request.id, port, server);
    }
    this.options.notice(
      `distribution ${request.id}: no free port in ${formatRange(this.options.range)}, so it has no plain URL; it is still served to requests whose Host is ${request.domainName}. ` +
        `Widen the range with --distribution-ports <from>-<to> (for example ${from}-${Math.min(MAX_PORT, to + 100)}).`,
    );
    return undefined;
  }

  /** Closes a distribution's listener (deleted): new connections are refused, requests in flight finish. */
  close(id: string): void {
    const held = this.open.get(id);
    if (!held) return;
    this.open.delete(id);
    held.server.close();
    held.server.closeIdleConnections();
  }

  /**
   * Stops every listener: `closed` settles once their requests in flight are answered; `force` closes the
   * connections still open (the end of the shutdown grace).
   */
  closeAll(): { closed: Promise<void>; force(): void } {
    const servers = [...this.open.values()].map(({ server }) => server);
    this.open.clear();
    const closed = Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
          }),
      ),
    ).then(() => undefined);
    return { closed, force: () => servers.forEach((server) => server.closeAllConnections()) };
  }

  private keep(id: string, port: number, server: Server): number {
    this.open.set(id, { port, server });
    return port;
  }

  private held(port: number): boolean {
    for (const { port: taken } of this.open.values()) if (taken === port) return true;
    return this.trying.has(port);
  }

  /** A listener on `port`, or undefined when this process or another holds it (or may not bind it). */
  private async tryPort(request: PortRequest, port: number): Promise<Server | undefined> {
    if (this.held(port)) return undefined;
    this.trying.add(port);
    const server = this.options.createServer(request);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, this.options.host, () => {
          server.off("error", reject);
          resolve();
        });
      });
      return (server.address() as AddressInfo).port === port ? server : undefined;
    } catch {
      // EADDRINUSE (another process), EACCES (a privileged port): the next one.
      return undefined;
    } finally {
      this.trying.delete(port);
    }
  }
}
