/**
 * The `querystring` module with njs's semantics (checked against njs 0.7.9): `+` is a space when
 * unescaping, a malformed escape is kept as written, a truncated UTF-8 sequence becomes U+FFFD,
 * repeated keys become arrays, stringify turns null/undefined/objects into empty values and keeps
 * `~!*()'` unescaped. `decode`/`encode` are aliases. parse returns an object without a prototype, as
 * njs does (`__proto__=1` is a key like any other).
 */
export const QUERYSTRING_MODULE = String.raw`
(function (modules, bytes) {
  const HEX = /^[0-9A-Fa-f]{2}$/;
  function unescape(text) {
    const s = String(text).replace(/\+/g, " ");
    let out = "";
    for (let i = 0; i < s.length;) {
      if (s[i] !== "%" || !HEX.test(s.substr(i + 1, 2))) { out += s[i]; i++; continue; }
      const run = [];
      let j = i;
      while (s[j] === "%" && HEX.test(s.substr(j + 1, 2))) { run.push(parseInt(s.substr(j + 1, 2), 16)); j += 3; }
      out += bytes.fromUtf8(new Uint8Array(run), false);
      i = j;
    }
    return out;
  }
  function escape(text) {
    return encodeURIComponent(String(text)).replace(/%7E/gi, "~");
  }
  const create = Object.create;
  const hasOwn = Object.prototype.hasOwnProperty;
  function parse(text, sep, eq, options) {
    const result = create(null);
    if (typeof text !== "string" || text.length === 0) return result;
    sep = sep == null || sep === "" ? "&" : String(sep);
    eq = eq == null || eq === "" ? "=" : String(eq);
    const decode = options && typeof options.decodeURIComponent === "function" ? options.decodeURIComponent : unescape;
    const maxKeys = options && typeof options.maxKeys === "number" ? options.maxKeys : 1000;
    let parts = text.split(sep);
    if (maxKeys > 0 && parts.length > maxKeys) parts = parts.slice(0, maxKeys);
    for (const part of parts) {
      if (part.length === 0) continue;
      const at = part.indexOf(eq);
      const key = decode(at === -1 ? part : part.slice(0, at));
      const value = at === -1 ? "" : decode(part.slice(at + eq.length));
      if (hasOwn.call(result, key)) {
        if (Array.isArray(result[key])) result[key].push(value);
        else result[key] = [result[key], value];
      } else {
        result[key] = value;
      }
    }
    return result;
  }
  function stringify(object, sep, eq, options) {
    if (object === null || typeof object !== "object") return "";
    sep = sep == null || sep === "" ? "&" : String(sep);
    eq = eq == null || eq === "" ? "=" : String(eq);
    const encode = options && typeof options.encodeURIComponent === "function" ? options.encodeURIComponent : escape;
    const item = (value) => (typeof value === "string" || typeof value === "number" || typeof value === "boolean") ? encode(String(value)) : "";
    const parts = [];
    for (const key of Object.keys(object)) {
      const value = object[key];
      if (Array.isArray(value)) for (const element of value) parts.push(encode(key) + eq + item(element));
      else parts.push(encode(key) + eq + item(value));
    }
    return parts.join(sep);
  }
  modules.querystring = Object.freeze({ parse, decode: parse, stringify, encode: stringify, escape, unescape });
})
`;
