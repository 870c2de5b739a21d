import type { IncomingMessage, ServerResponse } from "node:http";
import type { Clock } from "../../clock.js";
import { MAX_HOST_NAME_LENGTH } from "../../limits.js";
import { CloudFrontError, type AuthErrorCode } from "../../service/errors.js";
import { KvsError } from "../../service/kvsErrors.js";
import { LogsError } from "../../service/logsErrors.js";
import type { ApiReply, Operation, Protocol } from "../operation.js";
import { hostName, HostAllowList, withoutAccountLabel } from "./hosts.js";
import { isPreflight, OriginPolicy } from "./origins.js";
import { verifyRequest } from "./signature.js";

/**
 * Who may talk to the API and the data plane (docs/security.md, "Who may talk to edgelite"):
 * a Host that cannot be DNS-rebound, no foreign web page (Origin / Sec-Fetch-Site), and, with --auth,
 * a valid AWS signature. The edge (distribution traffic) is not guarded: CloudFront's viewers are anonymous.
 */
export interface AccessOptions {
  /** Host names served besides loopback ones: the --host value and each --allowed-host. */
  allowedHosts?: readonly string[];
  /** Browser origins (scheme://host[:port]) whose pages may call the API: each --cors. */
  corsOrigins?: readonly string[];
  /** Access key id → secret (--auth, EDGELITE_AUTH). Empty or absent: requests are not authenticated. */
  credentials?: ReadonlyMap<string, string>;
}

export type Admission = { reply: ApiReply } | { error: CloudFrontError | KvsError | LogsError } | undefined;

/** The signing names of the services on this port. */
const SIGNING_NAME = { "rest-xml": "cloudfront", "rest-json": "cloudfront-keyvaluestore", "aws-json-1.1": "logs" } as const;

export class AccessGuard {
  private readonly hosts: HostAllowList;
  private readonly origins: OriginPolicy;
  private readonly credentials: ReadonlyMap<string, string>;

  constructor(
    options: AccessOptions,
    private readonly clock: Clock,
  ) {
    this.hosts = new HostAllowList(options.allowedHosts ?? []);
    this.origins = new OriginPolicy(options.corsOrigins ?? []);
    this.credentials = options.credentials ?? new Map();
  }

  /** True when --auth was given: every API and data-plane request must be signed. */
  get authenticates(): boolean {
    return this.credentials.size > 0;
  }

  /** Whether the request's Host is one edgelite answers (loopback, --host, --allowed-host). */
  allowsHost(req: IncomingMessage): boolean {
    return this.hosts.allows(req.headers.host);
  }

  /**
   * `edgelite dev` serves every Host as its distribution: the same allow-list keeps a rebound page from
   * reading the developer's origin through it. Undefined when allowed, else the refusal's text.
   */
  devHostRefusal(req: IncomingMessage): string | undefined {
    return this.allowsHost(req) ? undefined : hostMessage(req.headers.host ?? "", "edgelite dev answers");
  }

  /**
   * Before routing: a refusal (bad Host, foreign page), the answer to a CORS preflight, or nothing (go on; for
   * a --cors origin the CORS headers are already set on `res`). `protocol` (the data plane's or the API's) picks the error's shape.
   */
  admit(req: IncomingMessage, res: ServerResponse, protocol: Protocol): Admission {
    if (!this.allowsHost(req)) return { error: refusal(protocol, hostMessage(req.headers.host ?? "", "edgelite answers its API")) };
    const verdict = this.origins.judge(req.headers);
    if (!verdict.allowed) {
      return {
        error: refusal(
          protocol,
          `edgelite refuses requests from ${verdict.reason}: any site you visit could otherwise drive this API from your browser. ` +
            `To let a page at that origin call the API, start edgelite with --cors <origin> (for example --cors http://localhost:3000).`,
        ),
      };
    }
    if (verdict.cors === undefined) return undefined;
    if (isPreflight(req.method ?? "", req.headers)) return { reply: { status: 204, headers: this.origins.preflightHeaders(verdict.cors.origin, req.headers) } };
    for (const [name, value] of Object.entries(verdict.cors.headers)) res.setHeader(name, value);
    return undefined;
  }

  /** After the body is read: with --auth, throws AWS's error unless the request is signed by a known key. */
  async authenticate(req: IncomingMessage, body: Buffer, operation: Operation): Promise<void> {
    if (!this.authenticates) return;
    const protocol = operation.protocol ?? "rest-xml";
    const failure = await verifyRequest(
      { method: req.method ?? "GET", rawUrl: req.url ?? "/", rawHeaders: req.rawHeaders, body },
      { credentials: this.credentials, service: SIGNING_NAME[protocol], now: this.clock.now() },
    );
    if (failure) throw authError(protocol, failure.code, failure.message);
  }
}

function refusal(protocol: Protocol, message: string): CloudFrontError | KvsError | LogsError {
  if (protocol === "aws-json-1.1") return new LogsError("AccessDeniedException", message);
  return protocol === "rest-json" ? new KvsError("AccessDeniedException", message) : new CloudFrontError("AccessDenied", message);
}

function authError(protocol: Protocol, code: AuthErrorCode, message: string): CloudFrontError | KvsError | LogsError {
  if (protocol === "aws-json-1.1") return new LogsError(code, message);
  return protocol === "rest-json" ? new KvsError(code, message) : new CloudFrontError(code, message);
}

function hostMessage(header: string, who: string): string {
  const name = hostName(header);
  const shown = name !== undefined && name.length <= MAX_HOST_NAME_LENGTH ? name : undefined;
  return (
    `${who} only for loopback hosts (localhost, *.localhost, 127.0.0.1, [::1]), the --host it listens on and each --allowed-host; ` +
    `${shown === undefined ? "this request's Host is not one of them" : `Host '${shown}' is not one of them`} (a web page could reach the API through DNS rebinding). ` +
    `If you reach edgelite under this name on purpose, start it with --allowed-host ${shown === undefined ? "<name>" : withoutAccountLabel(shown)}.`
  );
}
