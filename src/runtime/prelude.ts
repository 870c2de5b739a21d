import NJS_PROPERTIES from "./njs-0.7.9-properties.json" with { type: "json" };
import { METER, METER_TRIP } from "./instrument.js";
import { bufferModuleSource } from "./modules/buffer.js";
import { BYTES_HELPER } from "./modules/bytes.js";
import { CLOUDFRONT_MODULE } from "./modules/cloudfront.js";
import { CRYPTO_MODULE } from "./modules/crypto.js";
import { QUERYSTRING_MODULE } from "./modules/querystring.js";
import { WEB_GLOBALS } from "./modules/web.js";
import type { RuntimeName } from "./types.js";

/**
 * The JavaScript installed into every sandbox context before user code, as source text. It shapes the
 * context into the runtime CloudFront documents: njs's set of built-ins (V8 extras such as Map, Proxy,
 * Reflect, Intl or Array.from are removed), the 1.0 byte-string methods, a frozen clock, console.log
 * collection, eval and the Function constructor throwing, require/import of the built-in modules, and
 * the per-run entry points (`run`, `collect`) plus the integrity check that keeps every run fresh.
 *
 * Which properties exist: a property stays if njs 0.7.9 (the engine 1.0 derives from; the list in
 * njs-0.7.9-properties.json was dumped from it) has it, or the runtime's documentation adds it.
 */

/** Documented additions beyond njs 0.7.9, and documented removals, per runtime. */
const EXTRA: Record<RuntimeName, { add: Record<string, string[]>; removeGlobals: string[] }> = {
  "cloudfront-js-1.0": {
    add: {},
    // 2.0-only per the runtime-differences page; njs CLI globals that CloudFront never had.
    removeGlobals: ["Buffer", "atob", "btoa", "TextEncoder", "TextDecoder", "DataView", "crypto", "process", "njs", "print", "global", "$262", "setTimeout", "setImmediate", "clearTimeout", "AggregateError"],
  },
  "cloudfront-js-2.0": {
    add: { "String.prototype": ["replaceAll"], globalThis: ["MemoryError"] },
    removeGlobals: ["crypto", "process", "njs", "print", "global", "$262", "setTimeout", "setImmediate", "clearTimeout", "AggregateError", "MemoryError"],
  },
};

export function preludeSource(runtime: RuntimeName, limits: { logBytes: number; resultChars: number }): string {
  const extra = EXTRA[runtime];
  const allowed: Record<string, string[]> = {};
  for (const [target, names] of Object.entries(NJS_PROPERTIES as Record<string, string[]>)) {
    allowed[target] = [...names, ...(extra.add[target] ?? [])].filter((name) => !(target === "globalThis" && extra.removeGlobals.includes(name)));
  }
  return `
"use strict";
(function (global) {
  const RUNTIME = ${JSON.stringify(runtime)};
  const LOG_LIMIT = ${limits.logBytes};
  const RESULT_LIMIT = ${limits.resultChars};
  const ALLOWED = ${JSON.stringify(allowed)};
  const defineHidden = (object, name, value) => Object.defineProperty(object, name, { value, writable: false, enumerable: false, configurable: false });
  // Captured before pruning and before any user code, so nothing below depends on what a run may change.
  const { freeze, getOwnPropertyNames, getOwnPropertyDescriptor, getPrototypeOf, defineProperty, isExtensible } = Object;
  const $Set = Set;
  const $escape = escape;
  const $unescape = unescape;
  const stringify = JSON.stringify;
  const parse = JSON.parse;
  const resolved = Promise.resolve.bind(Promise);
  const KEEP = new $Set(["constructor", "prototype", "length", "name", "toString", "valueOf", "__proto__", "caller", "callee", "arguments"]);

  // ---- njs error types that V8 lacks
  class InternalError extends Error {}
  defineHidden(InternalError.prototype, "name", "InternalError");
  class MemoryError extends Error {}
  defineHidden(MemoryError.prototype, "name", "MemoryError");
  global.InternalError = InternalError;
  global.MemoryError = MemoryError;

  // ---- eval and the Function constructor throw (CloudFront: dynamic code is not supported)
  const ThrowingFunction = function Function() { throw new InternalError("Not implemented"); };
  ThrowingFunction.prototype = Function.prototype;
  for (const sample of [function () {}, async function () {}, function* () {}, async function* () {}]) {
    Object.defineProperty(getPrototypeOf(sample), "constructor", { value: ThrowingFunction, writable: false, configurable: false });
  }
  global.Function = ThrowingFunction;
  const throwingEval = function () { throw new InternalError("Not implemented"); };
  defineProperty(throwingEval, "name", { value: "eval" });
  global.eval = throwingEval;

  const bytes = (${BYTES_HELPER})(RUNTIME);
  const runState = { originCalls: [], edgeLocation: undefined, kvsId: null, kvsHost: null };

  // ---- 1.0 byte strings (njs): a "byte string" is a string whose code points are all < 256
  if (RUNTIME === "cloudfront-js-1.0") {
    const toHex = (s) => { let h = ""; for (let i = 0; i < s.length; i++) h += (s.charCodeAt(i) & 255).toString(16).padStart(2, "0"); return h; };
    const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const decodeBase64 = (text, url) => {
      let s = String(text);
      if (url) s = s.replace(/-/g, "+").replace(/_/g, "/");
      s = s.replace(/[^A-Za-z0-9+/]/g, "");
      let out = "", buffer = 0, bits = 0;
      for (let i = 0; i < s.length; i++) {
        buffer = (buffer << 6) | B64.indexOf(s[i]);
        bits += 6;
        if (bits >= 8) { bits -= 8; out += String.fromCharCode((buffer >> bits) & 255); }
      }
      return out;
    };
    const bytesFrom = function bytesFrom(value, encoding) {
      if (typeof value === "string") {
        if (encoding === "hex") { let out = ""; for (let i = 0; i + 1 < value.length; i += 2) { const b = parseInt(value.substr(i, 2), 16); if (isNaN(b)) break; out += String.fromCharCode(b); } return out; }
        if (encoding === "base64") return decodeBase64(value, false);
        if (encoding === "base64url") return decodeBase64(value, true);
        throw new TypeError('Unknown encoding: "' + encoding + '"');
      }
      let out = "";
      for (let i = 0; i < value.length; i++) out += String.fromCharCode(Number(value[i]) & 255);
      return out;
    };
    const slice = (s, start, end) => String(s).slice(start === undefined ? 0 : start, end === undefined ? undefined : end);
    defineHidden(String, "bytesFrom", function (value, encoding) { return bytes.markByteString(bytesFrom(value, encoding)); });
    defineHidden(String.prototype, "fromBytes", function fromBytes(start, end) { return slice(this, start, end); });
    defineHidden(String.prototype, "toBytes", function toBytes(start, end) {
      const s = slice(this, start, end);
      for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 255) return null;
      return bytes.markByteString(s);
    });
    defineHidden(String.prototype, "toUTF8", function toUTF8(start, end) { return bytes.markByteString($unescape(encodeURIComponent(slice(this, start, end)))); });
    defineHidden(String.prototype, "fromUTF8", function fromUTF8(start, end) {
      try { return decodeURIComponent($escape(slice(this, start, end))); } catch (e) { return null; }
    });
    global.__edgelite$hex = toHex;
  }

  // ---- the frozen clock: every "now" in a run is the run's start time
  const RealDate = Date;
  const clock = { now: RealDate.now() };
  const FrozenDate = function Date(...args) {
    if (!new.target) return new RealDate(clock.now).toString();
    return args.length === 0 ? new RealDate(clock.now) : new RealDate(...args);
  };
  FrozenDate.prototype = RealDate.prototype;
  defineHidden(FrozenDate, "now", function now() { return clock.now; });
  defineHidden(FrozenDate, "parse", RealDate.parse);
  defineHidden(FrozenDate, "UTC", RealDate.UTC);
  Object.defineProperty(RealDate.prototype, "constructor", { value: FrozenDate, writable: true, configurable: true });
  global.Date = FrozenDate;

  // ---- console.log, collected; whole lines kept while the UTF-8 total stays within the limit
  const logs = [];
  let logBytes = 0;
  const utf8Length = (s) => { let n = 0; for (let i = 0; i < s.length; i++) { const c = s.charCodeAt(i); n += c < 0x80 ? 1 : c < 0x800 ? 2 : (c >= 0xd800 && c < 0xdc00) ? (i++, 4) : 3; } return n; };
  const render = (value, depth) => {
    if (typeof value === "string") return depth === 0 ? value : "'" + value + "'";
    if (value === null || value === undefined || typeof value !== "object" && typeof value !== "function") return String(value);
    if (typeof value === "function") return "[Function" + (value.name ? ": " + value.name : "") + "]";
    if (value instanceof Error) return String(value);
    if (value instanceof RealDate) return value.toISOString();
    if (depth > 3) return Array.isArray(value) ? "[Array]" : "[Object]";
    if (Array.isArray(value)) return "[" + value.map((item) => render(item, depth + 1)).join(",") + "]";
    return "{" + Object.keys(value).map((key) => key + ":" + render(value[key], depth + 1)).join(",") + "}";
  };
  const log = function log(...args) {
    const line = args.map((arg) => render(arg, 0)).join(" ");
    const size = utf8Length(line);
    if (logBytes + size > LOG_LIMIT) { logBytes = LOG_LIMIT + 1; return; }
    logBytes += size;
    logs.push(line);
  };
  global.console = freeze({ log });

  // ---- require() and import of the built-in modules (installed by the host prelude extensions)
  const modules = Object.create(null);
  const requireModule = function require(name) {
    const module = modules[name];
    if (module === undefined) throw new Error('Cannot find module "' + name + '"');
    return module;
  };
  global.require = requireModule;
  defineHidden(global, "__edgelite$modules", modules);
  defineHidden(global, "__edgelite$import", requireModule);
  (${CRYPTO_MODULE})(modules, bytes);
  (${QUERYSTRING_MODULE})(modules, bytes);
  if (RUNTIME === "cloudfront-js-2.0") {
    (${bufferModuleSource()})(global, modules);
    (${WEB_GLOBALS})(global, bytes);
    (${CLOUDFRONT_MODULE})(modules, runState);
  }

  // ---- prune to njs's built-ins plus documented additions
  const TA = getPrototypeOf(Uint8Array);
  const targets = {
    globalThis: global, Object, "Object.prototype": Object.prototype, "Function.prototype": Function.prototype,
    Array, "Array.prototype": Array.prototype, String, "String.prototype": String.prototype, Number,
    "Number.prototype": Number.prototype, "Boolean.prototype": Boolean.prototype, Math, JSON, Date: FrozenDate,
    "Date.prototype": RealDate.prototype, RegExp, "RegExp.prototype": RegExp.prototype, Promise,
    "Promise.prototype": Promise.prototype, Symbol, "Symbol.prototype": Symbol.prototype, Error,
    "Error.prototype": Error.prototype, ArrayBuffer, "ArrayBuffer.prototype": ArrayBuffer.prototype,
    TypedArray: TA, "TypedArray.prototype": TA.prototype,
  };
  const ours = new $Set(["require", "console", "InternalError", "MemoryError", "Function", "eval", "Date", "Buffer", "TextEncoder", "TextDecoder", "atob", "btoa", "__edgelite$modules", "__edgelite$import", "__edgelite$hex", "bytesFrom", "fromBytes", "toBytes", "toUTF8", "fromUTF8"]);
  for (const key of Object.keys(targets)) {
    const target = targets[key];
    const allowed = new $Set(ALLOWED[key] || []);
    for (const name of getOwnPropertyNames(target)) {
      if (allowed.has(name) || KEEP.has(name) || ours.has(name)) continue;
      const descriptor = getOwnPropertyDescriptor(target, name);
      if (descriptor && descriptor.configurable) delete target[name];
    }
  }
  delete global.__edgelite$hex;

  // ---- the entry points the host calls
  const meter = { n: 0, limit: 0 };
  bytes.meter = meter;
  defineHidden(global, "${METER}", meter);
  defineHidden(global, "${METER_TRIP}", function () { throw new InternalError("execution time limit exceeded"); });

  let settled = null;
  let currentRawQuery = null;
  let lastEdgeLocationJson = null;
  const rawQueryString = function rawQueryString() { return currentRawQuery === null ? undefined : currentRawQuery; };
  // What crosses to the host is built here, inside the run's time limit: a thrown value's getters or
  // toString, a result's getters, toJSON or cycles run (and fail) as the function's own code would.
  const describeError = (error) => {
    try {
      if (error instanceof Error || (error && typeof error === "object" && typeof error.name === "string" && typeof error.message === "string")) {
        return { name: String(error.name), message: String(error.message), text: String(error) };
      }
      return { name: "", message: String(error), text: String(error) };
    } catch (unreadable) {
      if (unreadable instanceof InternalError && unreadable.message === "execution time limit exceeded") return describeError(unreadable);
      return { name: "TypeError", message: "the thrown value cannot be converted to a string", text: "TypeError: the thrown value cannot be converted to a string" };
    }
  };
  const finish = (outcome, outputJson) => {
    outcome.logs = logs;
    outcome.count = meter.n;
    outcome.originCalls = runState.originCalls;
    const text = stringify(outcome);
    // The result's JSON goes in as it is (parsed once on the host); the host checks the whole by shape.
    return outputJson === undefined || typeof text !== "string" ? text : '{"output":' + outputJson + "," + text.slice(1);
  };
  /** The run's outcome with the handler's result as JSON; a result that cannot become JSON (within RESULT_LIMIT) is the function's error. */
  const finishWith = (value) => {
    let json;
    try {
      json = value === undefined ? "null" : stringify(value);
    } catch (error) {
      return finish({ error: describeError(error) });
    }
    if (json === undefined) json = "null";
    if (json.length > RESULT_LIMIT) return finish({ error: { name: "MemoryError", message: "memory limit exceeded", text: "MemoryError: memory limit exceeded" } });
    return finish({ returned: typeof value }, json);
  };

  defineHidden(global, "__edgelite$setup", function (factory, kvsHost) {
    runState.kvsHost = kvsHost;
    defineHidden(global, "__edgelite$run", function run(eventJson, rawQuery, now, limit, edgeLocationJson, kvsId) {
      runState.kvsId = kvsId;
      logs.length = 0; logBytes = 0; meter.n = 0; meter.limit = limit; clock.now = now; settled = null;
      bytes.reset();
      runState.originCalls = [];
      if (edgeLocationJson !== lastEdgeLocationJson) {
        lastEdgeLocationJson = edgeLocationJson;
        runState.edgeLocation = edgeLocationJson ? freeze(parse(edgeLocationJson)) : undefined;
      }
      currentRawQuery = rawQuery;
      let result;
      try {
        const handler = factory();
        if (typeof handler !== "function") throw new ReferenceError("handler is not defined");
        const event = parse(eventJson);
        if (event && event.request && typeof event.request === "object") {
          defineProperty(event.request, "rawQueryString", { value: rawQueryString, enumerable: false, configurable: true, writable: true });
        }
        result = handler(event);
        if (result && typeof result.then === "function") {
          resolved(result).then((value) => { settled = { value }; }, (error) => { settled = { error }; });
          return "PENDING";
        }
      } catch (error) {
        return finish({ error: describeError(error) });
      }
      return finishWith(result);
    });
    defineHidden(global, "__edgelite$collect", function collect() {
      if (settled === null) return finish({ error: { name: "Error", message: "the handler's promise never settled", text: "Error: the handler's promise never settled" } });
      if ("error" in settled) return finish({ error: describeError(settled.error), async: true });
      return finishWith(settled.value);
    });
  });
})(globalThis);
`;
}
