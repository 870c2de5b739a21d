import * as crypto from "node:crypto";
import * as querystring from "node:querystring";

/**
 * A CloudFront function called directly in Node: what a hand-rolled "just call it" harness does. The code
 * is compiled once with `new Function` (strict, as the sandbox runs it); `import x from "m"` becomes
 * `var x = require("m")`; `require` gives Node's crypto and querystring and a small stand-in for
 * `cloudfront` whose kvs().get reads the same entries asynchronously (KeyNotFound when missing).
 */
export type DirectHandler = (event: unknown) => unknown;

export function directHandler(code: string, kvs?: ReadonlyMap<string, string>): DirectHandler {
  const cloudfront = {
    kvs: () => ({
      async get(key: string, options?: { format?: string }): Promise<unknown> {
        const value = kvs?.get(key);
        if (value === undefined) throw new Error("KeyNotFound");
        return options?.format === "json" ? JSON.parse(value) : value;
      },
      async exists(key: string): Promise<boolean> {
        return kvs?.has(key) ?? false;
      },
    }),
  };
  const modules = new Map<string, unknown>([
    ["crypto", crypto],
    ["querystring", querystring],
    ["cloudfront", cloudfront],
  ]);
  const require = (name: string): unknown => {
    if (!modules.has(name)) throw new Error(`Cannot find module "${name}"`);
    return modules.get(name);
  };
  const source = code.replace(/^\s*import\s+(\w+)\s+from\s+['"]([\w-]+)['"];?/gm, "var $1 = require('$2');");
  return new Function("require", `"use strict";\n${source}\nreturn handler;`)(require) as DirectHandler;
}
