import { InvalidArgumentError } from "commander";
import type { AccessOptions } from "../api/access/guard.js";
import { isLoopbackName, normaliseAllowedHost } from "../api/access/hosts.js";
import { normaliseOrigin } from "../api/access/origins.js";

/** `--allowed-host <name>` (repeatable): a Host the API answers besides loopback names. */
export function collectAllowedHost(value: string, previous: string[] = []): string[] {
  if (normaliseAllowedHost(value) === undefined) throw new InvalidArgumentError(`expected a host name or IP address such as edgelite.internal or 192.168.1.20, got "${value}"`);
  return [...previous, value];
}

/** `--cors <origin>` (repeatable): a web page origin that may call the API from a browser. */
export function collectCorsOrigin(value: string, previous: string[] = []): string[] {
  const origin = normaliseOrigin(value);
  if (origin === undefined) throw new InvalidArgumentError(`expected an origin such as http://localhost:3000 (scheme, host and port only), got "${value}"`);
  return [...previous, origin];
}

/** `--auth ACCESS_KEY:SECRET` (repeatable). */
export function collectAuth(value: string, previous: Map<string, string> = new Map()): Map<string, string> {
  const [accessKeyId, secret] = parseCredential(value, "--auth");
  return new Map(previous).set(accessKeyId, secret);
}

/** --auth pairs, else EDGELITE_AUTH (`KEY:SECRET[,KEY:SECRET…]`). */
export function credentialsFrom(flags: Map<string, string> | undefined, env: string | undefined): Map<string, string> {
  if (flags && flags.size > 0) return flags;
  const credentials = new Map<string, string>();
  for (const pair of (env ?? "").split(",")) {
    if (pair.trim() === "") continue;
    const [accessKeyId, secret] = parseCredential(pair.trim(), "EDGELITE_AUTH");
    credentials.set(accessKeyId, secret);
  }
  return credentials;
}

function parseCredential(value: string, source: string): [string, string] {
  const colon = value.indexOf(":");
  const accessKeyId = colon === -1 ? "" : value.slice(0, colon);
  const secret = colon === -1 ? "" : value.slice(colon + 1);
  // The key id travels in `Credential=<key>/<date>/…`: no slash, comma, space or control character.
  if (!/^[\x21-\x7e]+$/.test(accessKeyId) || /[/,]/.test(accessKeyId) || !/^[\x21-\x7e]+$/.test(secret)) {
    throw new InvalidArgumentError(`${source}: expected ACCESS_KEY:SECRET (for example AKIDEDGELITE:s3cret), got "${colon === -1 ? value : `${accessKeyId}:…`}"`);
  }
  return [accessKeyId, secret];
}

export interface AccessFlags {
  allowedHost?: string[];
  cors?: string[];
  auth?: Map<string, string>;
}

export function accessOptions(flags: AccessFlags, env: NodeJS.ProcessEnv = process.env): AccessOptions {
  return { allowedHosts: flags.allowedHost ?? [], corsOrigins: flags.cors ?? [], credentials: credentialsFrom(flags.auth, env.EDGELITE_AUTH) };
}

/** Whether `--host` makes the server reachable from other machines (anything but a loopback name or address). */
export function reachableFromNetwork(host: string): boolean {
  const name = normaliseAllowedHost(host);
  return name === undefined || !isLoopbackName(name);
}

/** The loud line for an API that other machines can reach and that takes unsigned requests; undefined otherwise. */
export function exposureWarning(host: string, authenticated: boolean): string | undefined {
  if (authenticated || !reachableFromNetwork(host)) return undefined;
  return (
    `edgelite: WARNING: listening on ${host}, which other machines can reach, without --auth: ` +
    `anyone who can connect to this port can create, change and delete your functions, distributions and key value stores. ` +
    `Start with --auth ACCESS_KEY:SECRET (or EDGELITE_AUTH=ACCESS_KEY:SECRET) to require AWS-signed requests, or listen on 127.0.0.1.`
  );
}
