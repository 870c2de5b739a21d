import { expect } from "vitest";

/**
 * Names that are not ordinary keys of a plain object: each either reaches Object.prototype or finds
 * something inherited (a function) where a map lookup should find nothing.
 */
export const PROTOTYPE_NAMES = ["__proto__", "constructor", "prototype", "hasOwnProperty", "toString"] as const;

/** What a polluted prototype would show: the keys a CloudFront event's entries carry, among others. */
const PROBES = ["value", "multiValue", "attributes", "x", "Value", "Key", "Items", "length"];

/** The objects a `{}` keyed by those names reaches: Object.prototype and the functions it holds. */
function reachable(): Array<[string, object]> {
  const plain: Record<string, unknown> = {};
  return [
    ["Object.prototype", Object.prototype],
    ["Object", Object],
    ["Object.prototype.toString", plain.toString as object],
    ["Object.prototype.hasOwnProperty", plain.hasOwnProperty as object],
    ["Function.prototype", Function.prototype],
    ["Array.prototype", Array.prototype],
  ];
}

const snapshot = () => reachable().map(([name, object]) => [name, Reflect.ownKeys(object).map(String).sort()] as const);

/** Records what Object.prototype and friends hold now; `check()` fails if anything was added since. */
export function prototypeGuard(): { check(): void } {
  const before = snapshot();
  return {
    check() {
      expect(snapshot()).toEqual(before);
      const plain: Record<string, unknown> = {};
      for (const probe of PROBES) expect(plain[probe], `({}).${probe}`).toBeUndefined();
      expect(Object.getPrototypeOf(plain)).toBe(Object.prototype);
      expect(Object.getPrototypeOf(Object.prototype)).toBeNull();
    },
  };
}
