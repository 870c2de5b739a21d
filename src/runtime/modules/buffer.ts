import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/**
 * The 2.0 `Buffer`: the `buffer` package (feross/buffer, the Node API in plain JavaScript, as browsers
 * bundle it) evaluated inside the sandbox with its two dependencies, behind a tiny CommonJS shim.
 */
let source: string | undefined;

export function bufferModuleSource(): string {
  if (source) return source;
  const require = createRequire(import.meta.url);
  const files: Record<string, string> = {
    "base64-js": readFileSync(require.resolve("base64-js"), "utf8"),
    ieee754: readFileSync(require.resolve("ieee754"), "utf8"),
    buffer: readFileSync(require.resolve("buffer/"), "utf8"),
  };
  const factories = Object.entries(files)
    .map(([name, code]) => `${JSON.stringify(name)}: function (module, exports, require) {\n${code}\n}`)
    .join(",\n");
  source = `(function (global, modules) {
  const factories = {${factories}};
  const cache = {};
  const load = (name) => {
    if (cache[name]) return cache[name].exports;
    const module = { exports: {} };
    cache[name] = module;
    factories[name](module, module.exports, load);
    return module.exports;
  };
  const { Buffer } = load("buffer");
  // The package predates "base64url" (Node 15.7); CloudFront's Buffer has it. Decoding base64 already
  // accepts '-' and '_' and missing padding, so only the name needs mapping, and encoding a translation.
  const toUrl = (text) => text.replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
  const decodeAs = (encoding) => (typeof encoding === "string" && encoding.toLowerCase() === "base64url" ? "base64" : encoding);
  const from = Buffer.from;
  Buffer.from = function (value, encodingOrOffset, length) {
    return typeof value === "string" ? from.call(Buffer, value, decodeAs(encodingOrOffset)) : from.call(Buffer, value, encodingOrOffset, length);
  };
  const byteLength = Buffer.byteLength;
  Buffer.byteLength = function (value, encoding) { return byteLength.call(Buffer, value, decodeAs(encoding)); };
  const isEncoding = Buffer.isEncoding;
  Buffer.isEncoding = function (encoding) { return decodeAs(encoding) !== encoding || isEncoding.call(Buffer, encoding); };
  const toString = Buffer.prototype.toString;
  Buffer.prototype.toString = function (encoding, start, end) {
    if (typeof encoding === "string" && encoding.toLowerCase() === "base64url") return toUrl(toString.call(this, "base64", start, end));
    return toString.apply(this, arguments);
  };
  const write = Buffer.prototype.write;
  Buffer.prototype.write = function (string, offset, length, encoding) {
    const args = Array.prototype.slice.call(arguments).map((arg, i) => (i > 0 ? decodeAs(arg) : arg));
    return write.apply(this, args);
  };
  global.Buffer = Buffer;
  modules.buffer = Object.freeze({ Buffer });
})`;
  return source;
}
