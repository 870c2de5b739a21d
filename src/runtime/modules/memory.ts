import { FUNCTION_MEMORY_BYTES } from "../../limits.js";

/**
 * The allocation meter (see "Memory limit" in docs/runtime.md): the built-ins that turn a few statements
 * into megabytes (String repeat/padStart/padEnd/concat/split, Array join/concat/fill, JSON.stringify,
 * ArrayBuffer and the typed arrays, and through them Buffer, TextEncoder and the byte helpers) charge
 * the size of what they create to a per-run count. Past the 2 MB quota the call throws
 * `MemoryError: memory limit exceeded` before it allocates when the size is known beforehand, and the
 * run is judged out of memory even if the function catches the error (the count is reported with the
 * outcome). The count is plain arithmetic on lengths, so it is the same on every run and every Node major.
 *
 * Sizes, in bytes as njs would hold them: a string character 1, an array element 16 (njs_value_t), a
 * typed array or ArrayBuffer its byteLength.
 *
 * Evaluated as an expression `(function (global, MemoryError) {…})`; returns `{ reset(), used() }`, which
 * only the prelude holds. The wrappers keep the built-ins' names, lengths and `toString()` text; the
 * constructors are proxies, so `instanceof`, statics and species behave as before.
 */
export const MEMORY_METER = String.raw`
(function (global, MemoryError) {
  "use strict";
  const LIMIT = ${FUNCTION_MEMORY_BYTES};
  const ELEMENT = 16;
  const { apply, construct, defineProperty, getOwnPropertyDescriptor, getPrototypeOf } = Reflect;
  const $Proxy = Proxy;
  const originals = new WeakMap();
  const TA = getPrototypeOf(Uint8Array);
  const bufferOf = getOwnPropertyDescriptor(TA.prototype, "buffer").get;
  const typedByteLength = getOwnPropertyDescriptor(TA.prototype, "byteLength").get;
  const bufferByteLength = getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength").get;
  const isArray = Array.isArray;
  const { max, min } = Math;
  const $isFinite = Number.isFinite;
  let used = 0;

  const charge = (bytes) => {
    used += bytes;
    if (used > LIMIT) throw new MemoryError("memory limit exceeded");
  };
  /** A size known before the call: refused before anything is allocated. */
  const precharge = (bytes) => {
    if (bytes > 0 && used + bytes > LIMIT) { used += bytes; throw new MemoryError("memory limit exceeded"); }
  };
  const stringCharge = (result) => { if (typeof result === "string") charge(result.length); return result; };

  /**
   * Replaces holder[name] with a method that calls the original and charges what measure says; before,
   * when given, is the size known ahead of the call (checked first, handed to measure).
   */
  const meter = (holder, name, measure, before) => {
    const original = holder[name];
    const wrapper = { [name]() {
      const known = before === undefined ? 0 : before(this, arguments);
      precharge(known);
      const result = apply(original, this, arguments);
      measure(result, known);
      return result;
    } }[name];
    defineProperty(wrapper, "length", { value: original.length, configurable: true });
    originals.set(wrapper, original);
    const descriptor = getOwnPropertyDescriptor(holder, name);
    defineProperty(holder, name, { value: wrapper, writable: descriptor.writable, enumerable: descriptor.enumerable, configurable: descriptor.configurable });
  };
  const count = (value) => (typeof value === "number" && $isFinite(value) && value > 0 ? value : 0);
  const clamp = (index, length) => max(0, min(length, index < 0 ? length + index : index));

  const S = String.prototype;
  meter(S, "repeat", stringCharge, (self, args) => (typeof self === "string" ? self.length * count(args[0]) : 0));
  meter(S, "padStart", stringCharge, (self, args) => count(args[0]));
  meter(S, "padEnd", stringCharge, (self, args) => count(args[0]));
  meter(S, "concat", stringCharge);
  meter(S, "split", (result) => { if (isArray(result)) charge(result.length * ELEMENT); });
  const A = Array.prototype;
  // At least the separators are known beforehand: a join of a huge sparse array is refused before it runs.
  meter(A, "join", stringCharge, (self, args) => (isArray(self) && self.length > 1 ? (self.length - 1) * (typeof args[0] === "string" ? args[0].length : args[0] === undefined ? 1 : 0) : 0));
  meter(A, "concat", (result) => { if (isArray(result)) charge(result.length * ELEMENT); });
  meter(A, "fill", (result, known) => charge(known), (self, args) => {
    if (!isArray(self)) return 0;
    const length = self.length;
    const start = typeof args[1] === "number" ? clamp(args[1], length) : 0;
    const end = typeof args[2] === "number" ? clamp(args[2], length) : length;
    return max(0, end - start) * ELEMENT;
  });
  meter(JSON, "stringify", stringCharge);

  /** A constructor behind a proxy that charges the backing store it creates (a view on a given buffer is free). */
  const meterConstructor = (name, elementSize) => {
    const target = global[name];
    const isBuffer = elementSize === 0;
    const before = (args) => count(args[0]) * (isBuffer ? 1 : elementSize);
    const after = (object, args) => {
      if (typeof args[0] === "number") return charge(before(args));
      if (isBuffer) return charge(apply(bufferByteLength, object, []));
      if (apply(bufferOf, object, []) !== args[0]) charge(apply(typedByteLength, object, []));
    };
    const proxy = new $Proxy(target, {
      construct(constructor, args, newTarget) {
        precharge(before(args));
        const object = construct(constructor, args, newTarget === proxy ? constructor : newTarget);
        after(object, args);
        return object;
      },
    });
    originals.set(proxy, target);
    defineProperty(target.prototype, "constructor", { value: proxy, writable: true, enumerable: false, configurable: true });
    defineProperty(global, name, { value: proxy, writable: true, enumerable: false, configurable: true });
  };
  meterConstructor("ArrayBuffer", 0);
  for (const name of ["Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array"]) {
    if (typeof global[name] === "function") meterConstructor(name, global[name].BYTES_PER_ELEMENT);
  }

  // The wrappers print as the built-ins they stand for.
  const toString = Function.prototype.toString;
  const shownAsOriginal = { toString() { return apply(toString, originals.get(this) || this, []); } }.toString;
  originals.set(shownAsOriginal, toString);
  defineProperty(Function.prototype, "toString", { value: shownAsOriginal, writable: true, enumerable: false, configurable: true });

  return {
    reset() { used = 0; },
    used() { return used; },
    /** Other wrappers of built-ins (the prelude's guards) print as the built-in they stand for, too. */
    showAsOriginal(wrapper, original) { originals.set(wrapper, originals.get(original) || original); },
  };
})
`;
