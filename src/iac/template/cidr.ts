import { MAX_CIDR_COUNT } from "./limits.js";

/**
 * Fn::Cidr (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-cidr.html):
 * `count` consecutive blocks of `cidrBits` host bits from the start of `ipBlock` (IPv4 or IPv6), e.g.
 * ["192.168.0.0/24", 6, 5] → 192.168.0.0/27, 192.168.0.32/27, … Throws an Error with the reason otherwise.
 */
export function cidrBlocks(ipBlock: string, count: number, cidrBits: number): string[] {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(ipBlock.trim());
  if (!match) throw new Error(`${JSON.stringify(ipBlock)} is not a CIDR block such as 10.0.0.0/16`);
  const address = parseAddress(match[1]!);
  if (address === undefined) throw new Error(`${JSON.stringify(match[1])} is not an IPv4 or IPv6 address`);
  const prefix = Number(match[2]);
  if (prefix > address.bits) throw new Error(`/${prefix} is longer than an ${address.bits === 32 ? "IPv4" : "IPv6"} address`);
  if (!Number.isInteger(count) || count < 1 || count > MAX_CIDR_COUNT) throw new Error(`count must be between 1 and ${MAX_CIDR_COUNT}, not ${count}`);
  const newPrefix = address.bits - cidrBits;
  if (!Number.isInteger(cidrBits) || cidrBits < 0 || newPrefix < prefix) throw new Error(`cidrBits ${cidrBits} does not fit in /${prefix} (at most ${address.bits - prefix})`);
  if (BigInt(count) > 1n << BigInt(newPrefix - prefix)) throw new Error(`/${prefix} holds only ${1n << BigInt(newPrefix - prefix)} blocks of /${newPrefix}, not ${count}`);
  const size = 1n << BigInt(cidrBits);
  const network = (address.value >> BigInt(address.bits - prefix)) << BigInt(address.bits - prefix);
  return Array.from({ length: count }, (_, index) => `${formatAddress(network + BigInt(index) * size, address.bits)}/${newPrefix}`);
}

function parseAddress(text: string): { value: bigint; bits: 32 | 128 } | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    const octets = text.split(".").map(Number);
    if (octets.some((octet) => octet > 255)) return undefined;
    return { value: octets.reduce((sum, octet) => (sum << 8n) + BigInt(octet), 0n), bits: 32 };
  }
  if (!/^[0-9a-fA-F:]+$/.test(text) || text.length > 39) return undefined;
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (half: string | undefined) => (half ? half.split(":") : []);
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (all.some((group) => !/^[0-9a-fA-F]{1,4}$/.test(group))) return undefined;
  return { value: all.reduce((sum, group) => (sum << 16n) + BigInt(parseInt(group, 16)), 0n), bits: 128 };
}

function formatAddress(value: bigint, bits: 32 | 128): string {
  if (bits === 32) return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join(".");
  const groups = Array.from({ length: 8 }, (_, index) => Number((value >> BigInt(112 - index * 16)) & 0xffffn));
  // RFC 5952: the longest run of two or more zero groups (the first such) becomes "::".
  let best = { start: -1, length: 0 };
  for (let start = 0; start < 8; ) {
    if (groups[start] !== 0) {
      start++;
      continue;
    }
    let end = start;
    while (end < 8 && groups[end] === 0) end++;
    if (end - start > best.length && end - start >= 2) best = { start, length: end - start };
    start = end;
  }
  const hex = groups.map((group) => group.toString(16));
  if (best.start < 0) return hex.join(":");
  return `${hex.slice(0, best.start).join(":")}::${hex.slice(best.start + best.length).join(":")}`;
}
