import { SignatureV4 } from "@smithy/signature-v4";
import { SignatureV4a } from "@smithy/signature-v4a";
import { NodeSha256 } from "../api/access/signature.js";
import { unreachable, usageError } from "./failures.js";

/**
 * How the client commands (`kvs import`, `ls`) reach a running edgelite server: its URL and signed
 * requests, as the AWS SDKs would send them.
 */

/** Where a server listens unless told otherwise: --endpoint, then AWS_ENDPOINT_URL (as the AWS SDKs and CLI read it), then edgelite serve's default. */
export const DEFAULT_ENDPOINT = "http://127.0.0.1:4599";

export function endpointOf(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const endpoint = (flag ?? (env.AWS_ENDPOINT_URL || DEFAULT_ENDPOINT)).replace(/\/+$/, "");
  const from = flag !== undefined ? "--endpoint" : "AWS_ENDPOINT_URL";
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw usageError(`${from} ${endpoint} is not a URL; give one such as ${DEFAULT_ENDPOINT}.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw usageError(`${from} ${endpoint} is not an http:// or https:// URL; give one such as ${DEFAULT_ENDPOINT}.`);
  return endpoint;
}

/** How long one request may take before the server is called unreachable. */
const REQUEST_TIMEOUT_MS = 30_000;

export type Service = "cloudfront" | "cloudfront-keyvaluestore";

export interface RequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export type SignedFetch = (service: Service, url: string, init?: RequestInit) => Promise<Response>;

/**
 * fetch, signed as the AWS SDKs sign (SigV4 for the CloudFront API, SigV4A with region set `*` for the
 * data plane) when AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set; plain otherwise. A server that
 * does not answer is a CliError naming `endpoint` (fetch itself says only "fetch failed").
 */
export function signedFetch(endpoint: string, env: NodeJS.ProcessEnv = process.env): SignedFetch {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  const credentials = accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) } : undefined;
  const send = async (url: string, init: RequestInit) => {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    } catch (error) {
      throw unreachable(endpoint, error);
    }
  };
  return async (service, url, init = {}) => {
    if (credentials === undefined) return send(url, init);
    const target = new URL(url);
    const request = {
      method: init.method ?? "GET",
      protocol: target.protocol,
      hostname: target.hostname,
      ...(target.port ? { port: Number(target.port) } : {}),
      path: target.pathname,
      query: Object.fromEntries(target.searchParams),
      headers: { ...init.headers, host: target.host },
      ...(init.body !== undefined ? { body: init.body } : {}),
    };
    const signer =
      service === "cloudfront"
        ? new SignatureV4({ service, region: "us-east-1", credentials, sha256: NodeSha256 })
        : new SignatureV4a({ service, region: "*", credentials, sha256: NodeSha256 });
    const signed = await signer.sign(request, {});
    const headers = Object.fromEntries(Object.entries(signed.headers as Record<string, string>).filter(([name]) => name !== "host"));
    return send(url, { ...init, headers });
  };
}
