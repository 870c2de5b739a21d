/**
 * The `crypto` module inside the sandbox (both runtimes): createHash/createHmac with md5, sha1 and sha256,
 * digests in hex, base64 or base64url; without an encoding a byte string (1.0) or a Buffer (2.0).
 * Pure JavaScript, so hashing never leaves the isolate. Error texts are njs's. Evaluated as an expression
 * `(function (modules, bytes, native) {…})`, `native` holding the unwrapped typed-array constructors.
 *
 * 1.0 strings are ambiguous (njs has byte strings, V8 does not): a string passed to update() is hashed
 * as UTF-8 unless it is one the runtime itself produced as bytes in this run (a raw digest,
 * String.bytesFrom, toBytes, toUTF8), which is hashed byte for byte, as njs would.
 */
export const CRYPTO_MODULE = String.raw`
(function (modules, bytes, native) {
  // The engine's own typed arrays, captured before the sandbox is pruned (1.0 has no DataView) and before
  // the allocation meter wraps the constructors: a digest's scratch space is not the function's memory.
  const { Uint8Array: $Uint8Array, Uint32Array: $Uint32Array, DataView: $DataView } = native;
  const K256 = new $Uint32Array([0x428a2f98,0x71374491,0xb5c0fbcf,0xe9b5dba5,0x3956c25b,0x59f111f1,0x923f82a4,0xab1c5ed5,0xd807aa98,0x12835b01,0x243185be,0x550c7dc3,0x72be5d74,0x80deb1fe,0x9bdc06a7,0xc19bf174,0xe49b69c1,0xefbe4786,0x0fc19dc6,0x240ca1cc,0x2de92c6f,0x4a7484aa,0x5cb0a9dc,0x76f988da,0x983e5152,0xa831c66d,0xb00327c8,0xbf597fc7,0xc6e00bf3,0xd5a79147,0x06ca6351,0x14292967,0x27b70a85,0x2e1b2138,0x4d2c6dfc,0x53380d13,0x650a7354,0x766a0abb,0x81c2c92e,0x92722c85,0xa2bfe8a1,0xa81a664b,0xc24b8b70,0xc76c51a3,0xd192e819,0xd6990624,0xf40e3585,0x106aa070,0x19a4c116,0x1e376c08,0x2748774c,0x34b0bcb5,0x391c0cb3,0x4ed8aa4a,0x5b9cca4f,0x682e6ff3,0x748f82ee,0x78a5636f,0x84c87814,0x8cc70208,0x90befffa,0xa4506ceb,0xbef9a3f7,0xc67178f2]);
  const rotl = (x, n) => (x << n) | (x >>> (32 - n));
  const rotr = (x, n) => (x >>> n) | (x << (32 - n));

  // Message padding shared by the three (MD5 is little-endian, SHA big-endian).
  function pad(data, littleEndian) {
    const length = data.length;
    const total = ((length + 8) >> 6) * 64 + 64;
    const out = new $Uint8Array(total);
    out.set(data);
    out[length] = 0x80;
    const bitsLow = (length * 8) >>> 0;
    const bitsHigh = Math.floor(length / 0x20000000) >>> 0;
    const view = new $DataView(out.buffer);
    if (littleEndian) { view.setUint32(total - 8, bitsLow, true); view.setUint32(total - 4, bitsHigh, true); }
    else { view.setUint32(total - 8, bitsHigh, false); view.setUint32(total - 4, bitsLow, false); }
    return view;
  }

  function sha256(data) {
    const view = pad(data, false);
    const h = new $Uint32Array([0x6a09e667,0xbb67ae85,0x3c6ef372,0xa54ff53a,0x510e527f,0x9b05688c,0x1f83d9ab,0x5be0cd19]);
    const w = new $Uint32Array(64);
    for (let offset = 0; offset < view.byteLength; offset += 64) {
      for (let i = 0; i < 16; i++) w[i] = view.getUint32(offset + i * 4, false);
      for (let i = 16; i < 64; i++) {
        const s0 = rotr(w[i-15], 7) ^ rotr(w[i-15], 18) ^ (w[i-15] >>> 3);
        const s1 = rotr(w[i-2], 17) ^ rotr(w[i-2], 19) ^ (w[i-2] >>> 10);
        w[i] = (w[i-16] + s0 + w[i-7] + s1) >>> 0;
      }
      let a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
      for (let i = 0; i < 64; i++) {
        const t1 = (k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K256[i] + w[i]) >>> 0;
        const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
        k = g; g = f; f = e; e = (d + t1) >>> 0; d = c; c = b; b = a; a = (t1 + t2) >>> 0;
      }
      h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += k;
    }
    const out = new $Uint8Array(32); const ov = new $DataView(out.buffer);
    for (let i = 0; i < 8; i++) ov.setUint32(i * 4, h[i], false);
    return out;
  }

  function sha1(data) {
    const view = pad(data, false);
    const h = new $Uint32Array([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0]);
    const w = new $Uint32Array(80);
    for (let offset = 0; offset < view.byteLength; offset += 64) {
      for (let i = 0; i < 16; i++) w[i] = view.getUint32(offset + i * 4, false);
      for (let i = 16; i < 80; i++) w[i] = rotl(w[i-3] ^ w[i-8] ^ w[i-14] ^ w[i-16], 1);
      let a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
      for (let i = 0; i < 80; i++) {
        const f = i < 20 ? ((b & c) | (~b & d)) + 0x5a827999 : i < 40 ? (b ^ c ^ d) + 0x6ed9eba1 : i < 60 ? ((b & c) | (b & d) | (c & d)) + 0x8f1bbcdc : (b ^ c ^ d) + 0xca62c1d6;
        const t = (rotl(a, 5) + f + e + w[i]) >>> 0;
        e = d; d = c; c = rotl(b, 30) >>> 0; b = a; a = t;
      }
      h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e;
    }
    const out = new $Uint8Array(20); const ov = new $DataView(out.buffer);
    for (let i = 0; i < 5; i++) ov.setUint32(i * 4, h[i], false);
    return out;
  }

  const MD5_S = [7,12,17,22,7,12,17,22,7,12,17,22,7,12,17,22,5,9,14,20,5,9,14,20,5,9,14,20,5,9,14,20,4,11,16,23,4,11,16,23,4,11,16,23,4,11,16,23,6,10,15,21,6,10,15,21,6,10,15,21,6,10,15,21];
  const MD5_K = new $Uint32Array(64);
  for (let i = 0; i < 64; i++) MD5_K[i] = Math.floor(Math.abs(Math.sin(i + 1)) * 0x100000000) >>> 0;
  function md5(data) {
    const view = pad(data, true);
    const h = new $Uint32Array([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476]);
    const m = new $Uint32Array(16);
    for (let offset = 0; offset < view.byteLength; offset += 64) {
      for (let i = 0; i < 16; i++) m[i] = view.getUint32(offset + i * 4, true);
      let a = h[0], b = h[1], c = h[2], d = h[3];
      for (let i = 0; i < 64; i++) {
        let f, g;
        if (i < 16) { f = (b & c) | (~b & d); g = i; }
        else if (i < 32) { f = (d & b) | (~d & c); g = (5 * i + 1) % 16; }
        else if (i < 48) { f = b ^ c ^ d; g = (3 * i + 5) % 16; }
        else { f = c ^ (b | ~d); g = (7 * i) % 16; }
        const t = d; d = c; c = b;
        b = (b + rotl((a + f + MD5_K[i] + m[g]) >>> 0, MD5_S[i])) >>> 0;
        a = t;
      }
      h[0] += a; h[1] += b; h[2] += c; h[3] += d;
    }
    const out = new $Uint8Array(16); const ov = new $DataView(out.buffer);
    for (let i = 0; i < 4; i++) ov.setUint32(i * 4, h[i], true);
    return out;
  }

  const ALGORITHMS = { md5: [md5, 64], sha1: [sha1, 64], sha256: [sha256, 64] };
  // A digest costs a fixed setup plus one statement-equivalent per 64-byte block (see meter.ts).
  const charge = (length) => bytes.charge(25 + Math.ceil(length / 64));
  const concat = (chunks) => { let n = 0; for (const c of chunks) n += c.length; const out = new $Uint8Array(n); let at = 0; for (const c of chunks) { out.set(c, at); at += c.length; } return out; };

  function toBytes(data, encoding) {
    if (typeof data === "string") {
      if (encoding === "hex" || encoding === "base64" || encoding === "base64url") return bytes.decode(data, encoding);
      return bytes.isByteString(data) ? bytes.fromByteString(data) : bytes.utf8(data);
    }
    if (data instanceof ArrayBuffer) return new $Uint8Array(data);
    if (ArrayBuffer.isView(data)) return new $Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    throw new TypeError("data argument \"" + typeof data + "\" is not a string or Buffer-like object");
  }

  function output(digest, encoding) {
    if (encoding === undefined) return bytes.raw(digest);
    if (encoding === "hex" || encoding === "base64" || encoding === "base64url") return bytes.encode(digest, encoding);
    throw new TypeError('Unknown digest encoding: "' + encoding + '"');
  }

  /** Collects update() data; digest() once, as Node and njs allow. */
  class Digest {
    constructor(algorithm) {
      const entry = ALGORITHMS[algorithm];
      if (!entry) throw new TypeError('not supported algorithm: "' + algorithm + '"');
      this._hash = entry[0]; this._block = entry[1]; this._chunks = []; this._done = false;
    }
    update(data, encoding) {
      if (this._done) throw new Error("Digest already called");
      this._chunks.push(toBytes(data, encoding));
      return this;
    }
    digest(encoding) {
      if (this._done) throw new Error("Digest already called");
      this._done = true;
      return output(this._finish(concat(this._chunks)), encoding);
    }
  }

  class Hash extends Digest {
    _finish(data) {
      charge(data.length);
      return this._hash(data);
    }
  }

  class Hmac extends Digest {
    constructor(algorithm, key) {
      super(algorithm);
      let k = toBytes(key);
      if (k.length > this._block) k = this._hash(k);
      const padded = new $Uint8Array(this._block); padded.set(k);
      this._outer = new $Uint8Array(this._block);
      const inner = new $Uint8Array(this._block);
      for (let i = 0; i < this._block; i++) { inner[i] = padded[i] ^ 0x36; this._outer[i] = padded[i] ^ 0x5c; }
      this._chunks.push(inner);
    }
    _finish(data) {
      charge(data.length + 2 * this._block);
      return this._hash(concat([this._outer, this._hash(data)]));
    }
  }

  modules.crypto = Object.freeze({
    createHash: function createHash(algorithm) { return new Hash(algorithm); },
    createHmac: function createHmac(algorithm, key) { return new Hmac(algorithm, key); },
  });
})
`;
