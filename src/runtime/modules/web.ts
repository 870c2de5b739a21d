/** 2.0 globals V8 does not provide by itself: TextEncoder, TextDecoder (UTF-8), atob, btoa. */
export const WEB_GLOBALS = String.raw`
(function (global, bytes) {
  class TextEncoder {
    get encoding() { return "utf-8"; }
    encode(input) { return bytes.utf8(input === undefined ? "" : String(input)); }
    encodeInto(source, destination) {
      const encoded = bytes.utf8(String(source));
      let written = 0, read = 0;
      // Whole characters only, as the standard requires.
      for (let i = 0; i < source.length; i++) {
        const cp = source.codePointAt(i);
        const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        if (written + size > destination.length) break;
        destination.set(encoded.subarray(written, written + size), written);
        written += size; read += cp > 0xffff ? 2 : 1;
        if (cp > 0xffff) i++;
      }
      return { read, written };
    }
  }
  class TextDecoder {
    constructor(label, options) {
      const name = label === undefined ? "utf-8" : String(label).toLowerCase().trim();
      if (name !== "utf-8" && name !== "utf8") throw new RangeError('The "' + label + '" encoding is not supported');
      this._fatal = Boolean(options && options.fatal);
      this._ignoreBOM = Boolean(options && options.ignoreBOM);
    }
    get encoding() { return "utf-8"; }
    get fatal() { return this._fatal; }
    get ignoreBOM() { return this._ignoreBOM; }
    decode(input) {
      if (input === undefined) return "";
      let u8 = input instanceof ArrayBuffer ? new Uint8Array(input) : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
      if (!this._ignoreBOM && u8[0] === 0xef && u8[1] === 0xbb && u8[2] === 0xbf) u8 = u8.subarray(3);
      const text = bytes.fromUtf8(u8, this._fatal);
      if (text === null) throw new TypeError("The encoded data was not valid utf-8");
      return text;
    }
  }
  global.TextEncoder = TextEncoder;
  global.TextDecoder = TextDecoder;
  global.btoa = function btoa(text) {
    const s = String(text);
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c > 255) throw new Error("InvalidCharacterError: the string contains characters outside of the Latin1 range");
      out[i] = c;
    }
    return bytes.encode(out, "base64");
  };
  global.atob = function atob(text) {
    const s = String(text).replace(/[\t\n\f\r ]/g, "");
    if (/[^A-Za-z0-9+/=]/.test(s) || s.length % 4 === 1) throw new Error("InvalidCharacterError: the string is not correctly encoded");
    const u8 = bytes.decode(s, "base64");
    let out = "";
    for (let i = 0; i < u8.length; i++) out += String.fromCharCode(u8[i]);
    return out;
  };
})
`;
