import NJS_PROPERTIES from "./njs-0.7.9-properties.json" with { type: "json" };
import { bufferModuleSource } from "./modules/buffer.js";
import { BYTES_HELPER } from "./modules/bytes.js";
import { CLOUDFRONT_MODULE } from "./modules/cloudfront.js";
import { CRYPTO_MODULE } from "./modules/crypto.js";
import { MEMORY_METER } from "./modules/memory.js";
import { QUERYSTRING_MODULE } from "./modules/querystring.js";
import { WEB_GLOBALS } from "./modules/web.js";
import type { RuntimeName } from "./types.js";

/**
 * The JavaScript installed into every sandbox context before user code, as source text. It shapes the
 * context into the runtime CloudFront documents: njs's set of built-ins (V8 extras such as Map, Proxy,
 * Reflect, Intl or Array.from are removed), the 1.0 byte-string methods, a frozen clock, console.log
 * collection, eval and the Function constructor throwing, require/import of the built-in modules, and
 * the shared-object registry that tells a run that changed something shared (fresh-state.md in
 * docs/runtime.md). Nothing of edgelite's is left on the global object: the script's completion value is
 * the entry-point object only the host holds (`setup`, `run`, `collect`).
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
  const { freeze, getOwnPropertyNames, getOwnPropertySymbols, getOwnPropertyDescriptor, getPrototypeOf, defineProperty, isExtensible } = Object;
  const apply = Reflect.apply;
  const $Set = Set;
  const $WeakSet = WeakSet;
  const $Map = Map;
  const isArray = Array.isArray;
  // Objects with internal state a built-in could change without a property write (each probe throws for other objects).
  const getterOf = (target, name) => getOwnPropertyDescriptor(target, name).get;
  const BRANDS = [
    ["Array", (o) => { if (!isArray(o)) throw 0; }],
    ["ArrayBuffer", ((get) => (o) => apply(get, o, []))(getterOf(ArrayBuffer.prototype, "byteLength"))],
    ["TypedArray", ((get) => (o) => apply(get, o, []))(getterOf(getPrototypeOf(Uint8Array.prototype), "length"))],
    ["Date", ((getTime) => (o) => apply(getTime, o, []))(Date.prototype.getTime)],
    ["RegExp", ((get) => (o) => { if (apply(get, o, []) === undefined) throw 0; })(getterOf(RegExp.prototype, "global"))],
  ];
  if (typeof DataView === "function") BRANDS.push(["DataView", ((get) => (o) => apply(get, o, []))(getterOf(DataView.prototype, "byteLength"))]);
  // Built-ins no global name leads to (iterator and async-function prototypes, the strict-mode thrower, …).
  const HIDDEN_INTRINSICS = (() => {
    const found = [Date];
    const attempts = [
      () => getPrototypeOf([][Symbol.iterator]()),
      () => getPrototypeOf(""[Symbol.iterator]()),
      () => getPrototypeOf(/x/g[Symbol.matchAll]("")),
      () => getPrototypeOf(new Uint8Array(0).entries()),
      () => async function () {},
      () => async () => {},
      () => function* () {},
      () => async function* () {},
      () => getOwnPropertyDescriptor((function () { "use strict"; return arguments; })(), "callee").get,
    ];
    for (const attempt of attempts) {
      try { found.push(attempt()); } catch (absent) { /* not in this V8 */ }
    }
    return found;
  })();
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

  // ---- memory: the allocation meter (src/runtime/modules/memory.ts), before the modules that allocate through it
  const NATIVE_TYPED_ARRAYS = { Uint8Array, Uint32Array, DataView };
  const memory = (${MEMORY_METER})(global, MemoryError);

  // ---- require() and import of the built-in modules (installed by the host prelude extensions)
  const modules = Object.create(null);
  const requireModule = function require(name) {
    const module = modules[name];
    if (module === undefined) throw new Error('Cannot find module "' + name + '"');
    return module;
  };
  global.require = requireModule;
  (${CRYPTO_MODULE})(modules, bytes, NATIVE_TYPED_ARRAYS);
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
  const ours = new $Set(["require", "console", "InternalError", "MemoryError", "Function", "eval", "Date", "Buffer", "TextEncoder", "TextDecoder", "atob", "btoa", "bytesFrom", "fromBytes", "toBytes", "toUTF8", "fromUTF8"]);
  // V8 runs RegExp operations on a fast path only while RegExp.prototype keeps its initial shape: removing
  // the flag getters njs lacks made every replace/split/match ~15 times slower. They stay (docs/runtime.md).
  const KEEP_FOR_SPEED = { "RegExp.prototype": ["dotAll", "hasIndices", "unicode", "unicodeSets", "compile"] };
  // V8 records where an error was raised only while Error.stackTraceLimit is a number (see errorSite below).
  const KEEP_FOR_LOCATIONS = { Error: ["stackTraceLimit"] };
  for (const key of Object.keys(targets)) {
    const target = targets[key];
    const allowed = new $Set([...(ALLOWED[key] || []), ...(KEEP_FOR_SPEED[key] || []), ...(KEEP_FOR_LOCATIONS[key] || [])]);
    for (const name of getOwnPropertyNames(target)) {
      if (allowed.has(name) || KEEP.has(name) || ours.has(name)) continue;
      const descriptor = getOwnPropertyDescriptor(target, name);
      if (descriptor && descriptor.configurable) delete target[name];
    }
  }

  // ---- shared objects: a run that changes one of them gets its context dropped (instrument.ts marks writes)
  const shared = new $WeakSet();
  let dirty = false;
  /** Every object reachable from the roots through own properties (values, getters, setters) and prototypes. */
  const reachable = (roots, visit) => {
    const seen = new $Set();
    const stack = roots.slice();
    while (stack.length > 0) {
      const value = stack.pop();
      if ((typeof value !== "object" || value === null) && typeof value !== "function") continue;
      if (seen.has(value)) continue;
      seen.add(value);
      visit(value);
      stack.push(getPrototypeOf(value));
      const keys = getOwnPropertyNames(value);
      for (const symbol of getOwnPropertySymbols(value)) keys.push(symbol);
      for (const key of keys) {
        const descriptor = getOwnPropertyDescriptor(value, key);
        if (!descriptor) continue;
        if ("value" in descriptor) stack.push(descriptor.value);
        else stack.push(descriptor.get, descriptor.set);
      }
    }
    return seen;
  };
  const markDirtyIfShared = (object) => { if (shared.has(object)) dirty = true; };
  const ArrayPrototype = Array.prototype;
  /** The built-ins that change an object they are given (the receiver or the first argument) without a visible write. */
  const guardMethod = (target, name, which) => {
    const descriptor = getOwnPropertyDescriptor(target, name);
    if (!descriptor || typeof descriptor.value !== "function") return;
    const original = descriptor.value;
    // An array receiver is shared only if it is Array.prototype (the only shared array): no lookup on the hot path.
    const wrapper = which === "receiver"
      ? { [name]() { if (isArray(this) ? this === ArrayPrototype : shared.has(this)) dirty = true; return apply(original, this, arguments); } }[name]
      : { [name](target) { if (shared.has(target)) dirty = true; return apply(original, this, arguments); } }[name];
    defineProperty(wrapper, "length", { value: original.length });
    memory.showAsOriginal(wrapper, original);
    defineProperty(target, name, { value: wrapper, writable: descriptor.writable, enumerable: descriptor.enumerable, configurable: descriptor.configurable });
  };
  for (const name of ["defineProperty", "defineProperties", "setPrototypeOf", "assign", "freeze", "seal", "preventExtensions"]) guardMethod(Object, name, "first");
  for (const name of ["push", "pop", "shift", "unshift", "splice", "sort", "reverse", "fill", "copyWithin"]) guardMethod(Array.prototype, name, "receiver");
  {
    const proto = getOwnPropertyDescriptor(Object.prototype, "__proto__");
    if (proto && proto.set) {
      const set = proto.set;
      const setter = ({ set(value) { markDirtyIfShared(this); apply(set, this, [value]); } }).set;
      defineProperty(setter, "name", { value: "set __proto__" });
      memory.showAsOriginal(setter, set);
      defineProperty(Object.prototype, "__proto__", { get: proto.get, set: setter, enumerable: proto.enumerable, configurable: proto.configurable });
    }
  }
  const hooks = {
    importModule: requireModule,
    /** instrument.ts: the object of every member write and delete. */
    write: (object) => { if (shared.has(object)) dirty = true; return object; },
    /** instrument.ts: before an assignment to an undeclared name (which can only reach the global object). */
    assign: (name) => { if (name in global) dirty = true; },
    trip: () => { throw new InternalError("execution time limit exceeded"); },
  };

  let settled = null;
  let currentRawQuery = null;
  let lastEdgeLocationJson = null;
  const rawQueryString = function rawQueryString() { return currentRawQuery === null ? undefined : currentRawQuery; };
  // Objects a module hands out are new per call, but their prototypes (the digest classes) are shared.
  const modulePrototypes = [getPrototypeOf(modules.crypto.createHash("sha256")), getPrototypeOf(modules.crypto.createHmac("sha256", ""))];
  const sharedRoots = [global, modules, rawQueryString, ...modulePrototypes, ...HIDDEN_INTRINSICS];
  let meter = null;
  // ---- where an error was raised, for edgelite's own output (never part of what CloudFront reports): the
  // top-most frame of the user's script (function.js) among the call sites V8 recorded when the error was
  // created, read through a prepareStackTrace installed only while the stack is read. Nothing of the
  // thrown value is trusted: a value with no recorded stack, a stack already formatted, or a read that
  // throws has no location. The call sites' methods are captured here, before any user code.
  const $Error = Error;
  const sitesOf = (_error, sites) => sites;
  const [siteFile, siteLine, siteColumn] = (() => {
    defineProperty($Error, "prepareStackTrace", { value: sitesOf, writable: true, configurable: true });
    const sites = new $Error("probe").stack;
    delete $Error.prepareStackTrace;
    const proto = getPrototypeOf(sites[0]);
    return [proto.getFileName, proto.getLineNumber, proto.getColumnNumber];
  })();
  const errorSite = (error) => {
    if ((typeof error !== "object" || error === null) && typeof error !== "function") return undefined;
    let sites;
    try {
      const previous = getOwnPropertyDescriptor($Error, "prepareStackTrace");
      defineProperty($Error, "prepareStackTrace", { value: sitesOf, writable: true, configurable: true });
      try {
        sites = error.stack;
      } finally {
        if (previous) defineProperty($Error, "prepareStackTrace", previous);
        else delete $Error.prepareStackTrace;
      }
      if (!isArray(sites)) return undefined;
      for (let i = 0; i < sites.length; i++) {
        if (apply(siteFile, sites[i], []) !== "function.js") continue;
        const line = apply(siteLine, sites[i], []);
        const column = apply(siteColumn, sites[i], []);
        return typeof line === "number" && typeof column === "number" ? { line, column } : undefined;
      }
    } catch (unreadable) {
      // no location
    }
    return undefined;
  };
  // What crosses to the host is built here, inside the run's time limit: a thrown value's getters or
  // toString, a result's getters, toJSON or cycles run (and fail) as the function's own code would.
  const describeError = (error) => {
    const described = describeThrown(error);
    const at = errorSite(error);
    if (at !== undefined) described.at = at;
    return described;
  };
  const describeThrown = (error) => {
    try {
      if (error instanceof Error || (error && typeof error === "object" && typeof error.name === "string" && typeof error.message === "string")) {
        return { name: String(error.name), message: String(error.message), text: String(error) };
      }
      return { name: "", message: String(error), text: String(error) };
    } catch (unreadable) {
      if (unreadable instanceof InternalError && unreadable.message === "execution time limit exceeded") return describeThrown(unreadable);
      return { name: "TypeError", message: "the thrown value cannot be converted to a string", text: "TypeError: the thrown value cannot be converted to a string" };
    }
  };
  const finish = (outcome, outputJson) => {
    outcome.logs = logs;
    outcome.count = meter.read();
    outcome.dirty = dirty;
    outcome.memory = memory.used(); // memory: what the meter counted
    outcome.originCalls = runState.originCalls;
    const text = stringify(outcome);
    completed = true;
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

  let factory = null;
  /** The run's outcome was built: an exception the host sees after that is a promise rejection nobody handled. */
  let completed = false;
  return {
    /** Binds the instrumented code (instrument.ts) to the hooks, then records what is shared. */
    setup(instrumented, kvsHost) {
      runState.kvsHost = kvsHost;
      const [makeHandler, reset, read, charge] = instrumented(hooks.importModule, hooks.write, hooks.assign, hooks.trip);
      factory = makeHandler;
      meter = { reset, read };
      bytes.chargeTo = charge;
      reachable(sharedRoots, (object) => shared.add(object));
    },
    run(eventJson, rawQuery, now, limit, edgeLocationJson, kvsId) {
      // A promise callback of the previous run that ran after its outcome was read (the microtask queue
      // drains when the host call returns) and changed something shared: this context is spent.
      if (dirty) return "STALE";
      completed = false;
      runState.kvsId = kvsId;
      logs.length = 0; logBytes = 0; meter.reset(limit); clock.now = now; settled = null; dirty = false;
      bytes.reset();
      memory.reset(); // memory: a new count per run
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
    },
    completed() {
      return completed;
    },
    collect() {
      if (settled === null) return finish({ error: { name: "Error", message: "the handler's promise never settled", text: "Error: the handler's promise never settled" } });
      if ("error" in settled) return finish({ error: describeError(settled.error), async: true });
      return finishWith(settled.value);
    },
    /**
     * For tests: the shared objects' state as text (each object's prototype, extensibility and own
     * properties, objects named by their order of discovery), and the kinds of exotic objects among them.
     */
    fingerprint() {
      const index = new $Map();
      const name = (value) => {
        if ((typeof value !== "object" || value === null) && typeof value !== "function") return typeof value + ":" + String(value);
        if (!index.has(value)) index.set(value, index.size);
        return "#" + index.get(value);
      };
      const lines = [];
      const tags = [];
      reachable(sharedRoots, (object) => {
        const keys = getOwnPropertyNames(object);
        for (const symbol of getOwnPropertySymbols(object)) keys.push(symbol);
        const parts = [name(object), name(getPrototypeOf(object)), isExtensible(object)];
        for (const key of keys) {
          const d = getOwnPropertyDescriptor(object, key);
          parts.push(String(key) + (d.writable ? "w" : "") + (d.enumerable ? "e" : "") + (d.configurable ? "c" : "") + "=" + ("value" in d ? name(d.value) : name(d.get) + "/" + name(d.set)));
        }
        lines.push(parts.join(" "));
        for (const [kind, probe] of BRANDS) {
          try { probe(object); tags.push(kind); } catch (notThisKind) { /* next */ }
        }
      });
      return stringify({ text: lines.join("\\n"), tags });
    },
  };
})(globalThis);
`;
}
