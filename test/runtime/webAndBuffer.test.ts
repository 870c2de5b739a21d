import { describe, expect, it } from "vitest";
import { viewerRequestEvent } from "../../src/index.js";
import { disposedAfterEachTest } from "./loaded.js";

/**
 * The 2.0 globals the sandbox builds from template-string modules no coverage tool can see inside the isolate
 * (src/runtime/modules/web.ts and buffer.ts): each expression must print inside the sandbox what it prints
 * in Node, whose TextEncoder, TextDecoder, atob, btoa and Buffer these follow. A refusal prints "throws": the
 * error's name is not compared (Node's atob throws a DOMException named InvalidCharacterError, the sandbox an
 * Error, and what CloudFront's own runtime throws is not documented).
 */
const load = disposedAfterEachTest();

/** Each expression, printed with String() in the sandbox (cloudfront-js-2.0) and here in Node. */
async function differential(expressions: string[]): Promise<void> {
  const body = expressions.map((expression) => `try { console.log(String(${expression})); } catch (e) { console.log('throws'); }`).join("\n");
  const fn = await load(`function handler(event) {\n${body}\nreturn event.request; }`);
  const result = await fn.run(viewerRequestEvent());
  expect(result.errorMessage).toBe("");
  const expected = expressions.map((expression) => {
    try {
      return String(new Function(`return (${expression});`)());
    } catch {
      return "throws";
    }
  });
  expect(result.logs).toEqual(expected);
}

describe("2.0's web globals behave as Node's", () => {
  it("TextEncoder and TextDecoder round-trip UTF-8, replace malformed bytes and report their encoding", async () => {
    await differential([
      "Array.prototype.join.call(new TextEncoder().encode('h\u00e9llo \u20ac \ud83d\ude00'), ',')",
      "new TextEncoder().encode('').length",
      "new TextEncoder().encoding",
      "new TextDecoder().encoding",
      "new TextDecoder().decode(new Uint8Array([104, 195, 169, 226, 130, 172, 240, 159, 152, 128]))",
      "new TextDecoder().decode(new Uint8Array([0xff, 0x41, 0xe2, 0x82]))",
      "new TextDecoder().decode(new TextEncoder().encode('\u00e9\u20ac\ud83d\ude00'))",
      "new TextDecoder().decode()",
    ]);
  });

  it("atob and btoa convert Latin-1 strings, and refuse what is not base64 or not Latin-1", async () => {
    await differential(["btoa('hello world')", "btoa('\u00ff\u00fe')", "atob('aGVsbG8gd29ybGQ=')", "atob('aGVsbG8')", "atob(' aGVs bG8= ')", "btoa('')", "atob('')", "btoa('\u20ac')", "atob('a')", "atob('@@@@')"]);
  });
});

describe("2.0's Buffer behaves as Node's", () => {
  it("converts between strings and bytes in every encoding CloudFront functions use", async () => {
    await differential([
      "Buffer.from('h\u00e9llo').toString('hex')",
      "Buffer.from('68c3a96c6c6f', 'hex').toString()",
      "Buffer.from('hello').toString('base64')",
      "Buffer.from('aGVsbG8=', 'base64').toString('utf8')",
      "Buffer.from('h\u00e9', 'latin1').toString('hex')",
      "Buffer.from([0xe9]).toString('latin1')",
      "Buffer.byteLength('\u20ac')",
      "Buffer.from('abc').length",
      "Buffer.alloc(3, 1).join(',')",
      "Buffer.concat([Buffer.from('ab'), Buffer.from('cd')]).toString()",
      "Buffer.from('hello').slice(1, 3).toString()",
      "Buffer.from('hello').subarray(-2).toString()",
      "Buffer.isBuffer(Buffer.from('x'))",
      "Buffer.isBuffer(new Uint8Array(1))",
      "Buffer.compare(Buffer.from('a'), Buffer.from('b'))",
      "Buffer.from('abc').equals(Buffer.from('abc'))",
      "Buffer.from('hello world').indexOf('world')",
      "Buffer.from([1, 2, 3, 4]).readUInt32BE(0)",
      "Buffer.from('hello') instanceof Uint8Array",
      "JSON.stringify(Buffer.from('hi'))",
      "Buffer.from('x').toString('nope')",
    ]);
  });
});
