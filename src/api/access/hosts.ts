import { isIPv4, isIPv6 } from "node:net";
import { DATA_PLANE_ACCOUNT_LABEL } from "../kvs/operations.js";

/**
 * Which `Host` the API and the data plane answer. A browser tricked by DNS rebinding sends the attacker's
 * name (`evil.example`) to 127.0.0.1, so only names that cannot be rebound are served by default: loopback
 * addresses and `localhost` names (RFC 6761: `*.localhost` always means this machine, browsers hard-wire it).
 */

/** A Host header's name: lower-case, without port or trailing dot, IPv6 in brackets; undefined when malformed. */
export function hostName(header: string): string | undefined {
  // A registered name (RFC 3986 reg-name, the characters DNS and hosts files use) or a bracketed IPv6 address.
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9_.-]+)(?::[0-9]{1,5})?$/i.exec(header.trim());
  if (!match) return undefined;
  const name = match[1]!.toLowerCase().replace(/\.$/, "");
  if (name.startsWith("[")) return isIPv6(name.slice(1, -1)) ? name : undefined;
  return name === "" ? undefined : name;
}

/** `localhost`, `*.localhost`, 127.0.0.0/8 and [::1]. */
export function isLoopbackName(name: string): boolean {
  if (name === "localhost" || name.endsWith(".localhost")) return true;
  if (name === "[::1]") return true;
  return isIPv4(name) && name.startsWith("127.");
}

/** How a name given to --host or --allowed-host is compared: `::1` and `[::1]` alike, any case, no port. */
export function normaliseAllowedHost(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed.startsWith(".")) {
    const rest = hostName(trimmed.slice(1));
    return rest === undefined ? undefined : `.${rest}`;
  }
  return hostName(isIPv6(trimmed) ? `[${trimmed}]` : trimmed);
}

/** The name without the SDK's account label, if it has one: what --allowed-host needs. */
export function withoutAccountLabel(name: string): string {
  return DATA_PLANE_ACCOUNT_LABEL.test(name) ? name.slice(13) : name;
}

export class HostAllowList {
  private readonly exact = new Set<string>();
  private readonly suffixes: string[] = [];

  /** `names`: the --host value and each --allowed-host; `.example.com` allows example.com and its subdomains. */
  constructor(names: Iterable<string>) {
    for (const value of names) {
      const name = normaliseAllowedHost(value);
      if (name === undefined) continue;
      if (name.startsWith(".")) {
        this.suffixes.push(name);
        this.exact.add(name.slice(1));
      } else {
        this.exact.add(name);
      }
    }
  }

  /** A request without Host (HTTP/1.0) comes from no browser, so nothing can rebind it: it is allowed. */
  allows(hostHeader: string | undefined): boolean {
    if (hostHeader === undefined) return true;
    const name = hostName(hostHeader);
    if (name === undefined) return false;
    return this.allowsName(name) || this.allowsName(withoutAccountLabel(name));
  }

  private allowsName(name: string): boolean {
    return isLoopbackName(name) || this.exact.has(name) || this.suffixes.some((suffix) => name.endsWith(suffix));
  }
}
