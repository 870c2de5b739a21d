import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cidrBlocks } from "../../../src/iac/template/cidr.js";

const ipv4 = (text: string) => text.split(".").reduce((sum, octet) => sum * 256 + Number(octet), 0);

describe("Fn::Cidr's blocks", () => {
  it("are `count` consecutive, aligned blocks of 2^cidrBits addresses inside the IPv4 block", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 1, max: 256 }), (address, prefix, bits, count) => {
        const block = `${[24, 16, 8, 0].map((shift) => (address >>> shift) & 255).join(".")}/${prefix}`;
        const fits = bits <= 32 - prefix && count <= 2 ** (32 - prefix - bits);
        if (!fits) {
          expect(() => cidrBlocks(block, count, bits)).toThrow();
          return;
        }
        const blocks = cidrBlocks(block, count, bits);
        expect(blocks).toHaveLength(count);
        const network = prefix === 0 ? 0 : Math.floor(address / 2 ** (32 - prefix)) * 2 ** (32 - prefix);
        blocks.forEach((cidr, index) => {
          const [start, length] = cidr.split("/");
          expect(Number(length)).toBe(32 - bits);
          expect(ipv4(start!)).toBe(network + index * 2 ** bits);
        });
      }),
      { numRuns: 300 },
    );
  });

  it("write IPv6 addresses in RFC 5952's short form", () => {
    expect(cidrBlocks("2001:db8::/40", 3, 80)).toEqual(["2001:db8::/48", "2001:db8:1::/48", "2001:db8:2::/48"]);
    expect(cidrBlocks("fd00:0:0:1::/64", 2, 0)).toEqual(["fd00:0:0:1::/128", "fd00:0:0:1::1/128"]);
    expect(cidrBlocks("::/0", 1, 127)).toEqual(["::/1"]);
    expect(() => cidrBlocks("2001:db8::1::/64", 1, 1)).toThrow(/not an IPv4 or IPv6 address/);
    expect(() => cidrBlocks("10.0.0.0", 1, 1)).toThrow(/not a CIDR block/);
  });
});
