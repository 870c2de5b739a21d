import { credentialsFromEnv, signRequest, type AwsCredentials, type SignedRequestInit, type SignedService } from "../awsSigning.js";
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

export type Service = SignedService;
export type RequestInit = SignedRequestInit;

export type SignedFetch = (service: Service, url: string, init?: RequestInit) => Promise<Response>;

/**
 * fetch, signed as the AWS SDKs sign (SigV4 for the CloudFront API, SigV4A with region set `*` for the
 * data plane) when AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set, or with `credentials` when given;
 * plain otherwise. A server that does not answer is a CliError naming `endpoint` (fetch itself says only
 * "fetch failed").
 */
export function signedFetch(endpoint: string, env: NodeJS.ProcessEnv = process.env, credentials: AwsCredentials | undefined = credentialsFromEnv(env)): SignedFetch {
  const send = async (url: string, init: RequestInit) => {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    } catch (error) {
      throw unreachable(endpoint, error);
    }
  };
  return async (service, url, init = {}) => send(url, credentials === undefined ? init : await signRequest(service, url, init, credentials));
}
