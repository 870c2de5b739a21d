import { createHash } from "node:crypto";

/**
 * CloudFront ETags are not content hashes but a fixed encoding of a per-resource version counter:
 * every new resource is `ETVPDKIKX0DER`, its first update `E3UN6WX5RRO2AG`, the next `E1F83G8C2ARO7P`,
 * and the KeyValueStore data plane uses the same suffixes after `KV` (`KV3UN6WX5RRO2AG`); see
 * ../shared/spec/api-resolved.md §0. We emit exactly those for versions 1–3 and, for later versions,
 * a deterministic suffix of the same form (13 upper-case alphanumerics). Clients treat them as opaque.
 */
const KNOWN_SUFFIXES = ["TVPDKIKX0DER", "3UN6WX5RRO2AG", "1F83G8C2ARO7P"];

const generated = new Map<number, string>();

function suffixForVersion(version: number): string {
  const known = KNOWN_SUFFIXES[version - 1];
  if (known !== undefined) return known;
  let suffix = generated.get(version);
  if (suffix === undefined) {
    const digest = createHash("sha256").update(`edgelite-etag-${version}`).digest("hex");
    suffix = BigInt(`0x${digest.slice(0, 20)}`).toString(36).toUpperCase().padStart(13, "0").slice(0, 13);
    if (generated.size < 100_000) generated.set(version, suffix);
  }
  return suffix;
}

export function etagForVersion(version: number, prefix: "E" | "KV" = "E"): string {
  return prefix + suffixForVersion(version);
}
