/**
 * CloudFront ETags are not content hashes but a fixed encoding of a per-resource version counter:
 * every new resource is `ETVPDKIKX0DER`, its first update `E3UN6WX5RRO2AG`, the next `E1F83G8C2ARO7P`,
 * and the KeyValueStore data plane uses the same suffixes after `KV` (`KV3UN6WX5RRO2AG`); see
 * terraform-provider-aws's function acceptance tests (internal/service/cloudfront/function_test.go) and the AWS
 * SDK for JavaScript's UpdateFunction and CreateKeyValueStore examples. We emit exactly those for versions 1–3 and, for later versions,
 * a deterministic suffix of the same form (13 upper-case alphanumerics). Clients treat them as opaque.
 */
const KNOWN_SUFFIXES = ["TVPDKIKX0DER", "3UN6WX5RRO2AG", "1F83G8C2ARO7P"];

/** A bijection on 32-bit integers (a murmur3-style finaliser): distinct versions give distinct words. */
function mix32(value: number): number {
  let x = value >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

const base36 = (word: number) => word.toString(36).toUpperCase().padStart(7, "0");

function suffixForVersion(version: number): string {
  const known = KNOWN_SUFFIXES[version - 1];
  if (known !== undefined) return known;
  // The first 7 characters encode mix32(version) exactly (36^7 > 2^32), so no two versions share a suffix.
  return (base36(mix32(version)) + base36(mix32(version ^ 0x9e3779b9))).slice(0, 13);
}

export function etagForVersion(version: number, prefix: "E" | "KV" = "E"): string {
  return prefix + suffixForVersion(version);
}
