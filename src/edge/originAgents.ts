import { readFileSync } from "node:fs";
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { rootCertificates } from "node:tls";

/**
 * Connections to origins are kept open and reused, as CloudFront's are (CloudFront Developer Guide, "Request
 * and response behavior for custom origins", persistent connections:
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/RequestAndResponseBehaviorCustomOrigin.html;
 * the API model's CustomOriginConfig.OriginKeepaliveTimeout: "how long, in seconds, CloudFront persists its
 * connection to the origin", 5 by default): one keep-alive agent per origin (scheme, host, port, keep-alive
 * timeout), an idle connection closed after that timeout.
 */

/**
 * Connections open at once to one origin; more requests wait for one to be free. CloudFront publishes no
 * such number; this bounds what one local origin (and this process's file descriptors) must take.
 */
export const ORIGIN_MAX_SOCKETS = 128;
/** Idle connections kept per origin, at most. */
export const ORIGIN_MAX_FREE_SOCKETS = 32;
/**
 * Origins with an agent at once: functions may send requests to origins they name (cf.updateRequestOrigin),
 * so the table is bounded; the least recently used agent is forgotten (its connections finish and time out).
 */
export const MAX_ORIGIN_AGENTS = 256;

/** TLS certificate errors: the origin's certificate is not one this process trusts. */
const UNTRUSTED_CERTIFICATE = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_UNTRUSTED",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** Whether an origin request failed because the origin's TLS certificate is not trusted (or not for its name). */
export const isUntrustedCertificate = (error: unknown): boolean => UNTRUSTED_CERTIFICATE.has((error as { code?: unknown } | undefined)?.code as string);

export interface OriginAgentOptions {
  /**
   * Certificates (PEM) of local CAs to trust besides Node's own (serve/dev `--origin-ca`); with them, the
   * file NODE_EXTRA_CA_CERTS names is added too (Node adds it itself only when no CA list is given).
   */
  extraCa?: readonly string[];
}

export class OriginAgents {
  private readonly agents = new Map<string, HttpAgent>();
  private readonly ca: string[] | undefined;

  constructor(options: OriginAgentOptions = {}) {
    this.ca = options.extraCa && options.extraCa.length > 0 ? [...rootCertificates, ...nodeExtraCaCerts(), ...options.extraCa] : undefined;
  }

  /** The keep-alive agent for one origin. */
  agentFor(secure: boolean, host: string, port: number, keepaliveSeconds: number): HttpAgent {
    const key = `${secure ? "https" : "http"} ${host} ${port} ${keepaliveSeconds}`;
    const known = this.agents.get(key);
    if (known) {
      // Most recently used last: the first is the one to forget.
      this.agents.delete(key);
      this.agents.set(key, known);
      return known;
    }
    // `timeout` is the idle timeout of a pooled connection (a request sets its own read timeout while it runs).
    const options = { keepAlive: true, maxSockets: ORIGIN_MAX_SOCKETS, maxFreeSockets: ORIGIN_MAX_FREE_SOCKETS, timeout: keepaliveSeconds * 1000, scheduling: "lifo" as const };
    const agent = secure ? new HttpsAgent({ ...options, ...(this.ca ? { ca: this.ca } : {}) }) : new HttpAgent(options);
    this.agents.set(key, agent);
    if (this.agents.size > MAX_ORIGIN_AGENTS) this.agents.delete(this.agents.keys().next().value as string);
    return agent;
  }

  /** Closes every pooled connection (the edge is stopping). */
  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}

/** The certificates of the file NODE_EXTRA_CA_CERTS names, as Node would read them; none if unreadable. */
function nodeExtraCaCerts(): string[] {
  const file = process.env["NODE_EXTRA_CA_CERTS"];
  if (!file) return [];
  try {
    return [readFileSync(file, "utf8")];
  } catch {
    // Node itself only warns about an unreadable file.
    return [];
  }
}
