/**
 * Byte helpers shared by the sandbox's modules: UTF-8, hex and base64(url) conversions, and the 1.0
 * byte-string registry (see crypto.ts). `bytes.raw(u8)` is what a digest without encoding returns: a
 * byte string in 1.0, a Buffer in 2.0. Evaluated as an expression: `(function (runtime) {…})`.
 */
export const BYTES_HELPER = String.raw`
(function (runtime) {
  const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const B64_INDEX = new Int16Array(128).fill(-1);
  for (let i = 0; i < 64; i++) B64_INDEX[B64.charCodeAt(i)] = i;
  B64_INDEX[45] = 62; B64_INDEX[95] = 63; // base64url '-' and '_'
  const byteStrings = new Set();
  const fromCodes = (u8) => { let s = ""; for (let i = 0; i < u8.length; i += 8192) s += String.fromCharCode.apply(null, u8.subarray(i, i + 8192)); return s; };
  const helper = {
    /** Adds to the run's statement meter (set by the prelude; a closure the function's code cannot reach). */
    chargeTo: null,
    /** Charges work that happens inside a built-in (e.g. hashing), in statement-equivalents. */
    charge(units) { if (helper.chargeTo) helper.chargeTo(units); },
    reset() { byteStrings.clear(); },
    markByteString(s) { if (byteStrings.size < 10000) byteStrings.add(s); return s; },
    isByteString(s) { return byteStrings.has(s); },
    fromByteString(s) { const out = new Uint8Array(s.length); for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 255; return out; },
    toByteString(u8) { return helper.markByteString(fromCodes(u8)); },
    utf8(s) {
      const out = [];
      for (let i = 0; i < s.length; i++) {
        let c = s.charCodeAt(i);
        if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) { const d = s.charCodeAt(i + 1); if (d >= 0xdc00 && d < 0xe000) { c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00); i++; } else c = 0xfffd; }
        else if (c >= 0xd800 && c < 0xe000) c = 0xfffd;
        if (c < 0x80) out.push(c);
        else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
        else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
        else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      }
      return new Uint8Array(out);
    },
    /** UTF-8 decoding; an invalid sequence (its maximal valid prefix) becomes one U+FFFD, or null when fatal. */
    fromUtf8(u8, fatal) {
      let s = "";
      for (let i = 0; i < u8.length;) {
        const b = u8[i];
        if (b < 0x80) { s += String.fromCharCode(b); i++; continue; }
        const need = b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : 0;
        let c = b & (0x3f >> need);
        let k = 1;
        for (; need > 0 && k <= need; k++) {
          const n = u8[i + k];
          if (n === undefined || (n & 0xc0) !== 0x80) break;
          // The second byte's range rules out overlong forms and surrogates (WHATWG).
          if (k === 1 && ((b === 0xe0 && n < 0xa0) || (b === 0xed && n > 0x9f) || (b === 0xf0 && n < 0x90) || (b === 0xf4 && n > 0x8f))) break;
          c = (c << 6) | (n & 63);
        }
        if (need === 0 || k <= need) { if (fatal) return null; s += "\ufffd"; i += Math.max(1, k); continue; }
        s += String.fromCodePoint(c);
        i += need + 1;
      }
      return s;
    },
    encode(u8, encoding) {
      if (encoding === "hex") { let s = ""; for (let i = 0; i < u8.length; i++) s += (u8[i] < 16 ? "0" : "") + u8[i].toString(16); return s; }
      let s = "";
      for (let i = 0; i < u8.length; i += 3) {
        const n = (u8[i] << 16) | ((u8[i + 1] || 0) << 8) | (u8[i + 2] || 0);
        s += B64[n >> 18] + B64[(n >> 12) & 63] + (i + 1 < u8.length ? B64[(n >> 6) & 63] : "=") + (i + 2 < u8.length ? B64[n & 63] : "=");
      }
      return encoding === "base64url" ? s.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "") : s;
    },
    decode(s, encoding) {
      const out = [];
      if (encoding === "hex") { for (let i = 0; i + 1 < s.length; i += 2) { const b = parseInt(s.substr(i, 2), 16); if (isNaN(b)) break; out.push(b); } return new Uint8Array(out); }
      let buffer = 0, bits = 0;
      for (let i = 0; i < s.length; i++) {
        const code = s.charCodeAt(i);
        if (code === 61) break;
        const v = code < 128 ? B64_INDEX[code] : -1;
        if (v < 0) continue;
        buffer = ((buffer << 6) | v) & 0xffffff; bits += 6;
        if (bits >= 8) { bits -= 8; out.push((buffer >> bits) & 255); }
      }
      return new Uint8Array(out);
    },
    raw(u8) { return runtime === "cloudfront-js-1.0" ? helper.toByteString(u8) : globalThis.Buffer.from(u8); },
  };
  return helper;
})
`;
