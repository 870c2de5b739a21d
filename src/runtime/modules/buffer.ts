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
  global.Buffer = Buffer;
  modules.buffer = Object.freeze({ Buffer });
})`;
  return source;
}
