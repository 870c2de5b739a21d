/**
 * FROZEN: the library's viewerRequestEvent as it was before the one builder (src/runtime/builders.ts)
 * replaced it, kept verbatim (but for import paths and the request's type) as the oracle of
 * test/runtime/builders.differential.test.ts. Do not change it.
 */
import { emptyRecord, getOwn, setOwn } from "../../../src/nullPrototype.js";
import type { FunctionEvent, ValueEntry } from "../../../src/runtime/event.js";

/**
 * Well-formed events for tests, built the way CloudFront builds them from a request: lower-cased header
 * names, repeated names as `multiValue`, the Cookie header moved into `cookies`, the query string split
 * into parameters (values left percent-encoded, as CloudFront passes them). The name maps are
 * null-prototype records, as at the edge: `__proto__` is a header, cookie or query name like any other.
 */
interface ViewerRequestInit {
  method?: string;
  /** A path with an optional query string (`/a/b?x=1&x=2`) or a full URL (its host becomes the Host header). */
  url?: string;
  headers?: Record<string, string | string[]>;
  cookies?: Record<string, string | string[]>;
  ip?: string;
  distributionDomainName?: string;
  distributionId?: string;
  requestId?: string;
}

export function libraryViewerRequestEvent(init: ViewerRequestInit = {}): FunctionEvent {
  const url = new URL(init.url ?? "/", "http://localhost");
  const headers = valueMap(Object.entries(init.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value] as const));
  if (init.url && /^https?:\/\//.test(init.url) && !getOwn(headers, "host")) setOwn(headers, "host", { value: url.host });
  const cookies = valueMap(Object.entries(init.cookies ?? {}));
  const cookieHeader = getOwn(headers, "cookie");
  if (cookieHeader) {
    delete headers.cookie;
    for (const part of (cookieHeader.multiValue ?? [cookieHeader]).flatMap((entry) => entry.value.split(/;\s*/))) {
      const at = part.indexOf("=");
      if (at <= 0) continue;
      add(cookies, part.slice(0, at), part.slice(at + 1));
    }
  }
  // CloudFront passes query values as they appear in the URL (still percent-encoded).
  const querystring = emptyRecord<ValueEntry>();
  for (const part of url.search.slice(1).split("&")) {
    if (part === "") continue;
    const at = part.indexOf("=");
    add(querystring, at === -1 ? part : part.slice(0, at), at === -1 ? "" : part.slice(at + 1));
  }
  return {
    version: "1.0",
    context: {
      ...(init.distributionDomainName ? { distributionDomainName: init.distributionDomainName } : {}),
      ...(init.distributionId ? { distributionId: init.distributionId } : {}),
      eventType: "viewer-request",
      ...(init.requestId ? { requestId: init.requestId } : {}),
    },
    viewer: { ip: init.ip ?? "198.51.100.10" },
    request: { method: (init.method ?? "GET").toUpperCase(), uri: url.pathname, querystring, headers, cookies },
  };
}

function valueMap(entries: ReadonlyArray<readonly [string, string | string[]]>): Record<string, ValueEntry> {
  const map = emptyRecord<ValueEntry>();
  for (const [name, value] of entries) for (const item of Array.isArray(value) ? value : [value]) add(map, name, item);
  return map;
}

function add(map: Record<string, ValueEntry>, name: string, value: string): void {
  const existing = getOwn(map, name);
  if (!existing) setOwn(map, name, { value });
  else (existing.multiValue ??= [{ value: existing.value }]).push({ value });
}
