import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadFunction, viewerRequestEvent } from "../../src/index.js";
import { tempDir } from "../helpers.js";

/**
 * Differential tests against njs 0.7.9 (Debian's `njs`, the engine cloudfront-js-1.0 derives from) for
 * the built-ins whose semantics edgelite copies. Each snippet prints lines; njs and the 1.0 sandbox must
 * print the same. .ci/run installs njs.
 */
const NJS = "/usr/bin/njs";
const dir = tempDir("edgelite-njs-");
afterAll(() => dir.remove());

function njs(body: string): string[] {
  const file = join(dir.path, "snippet.js");
  writeFileSync(file, `var crypto = require('crypto'); var querystring = require('querystring');\n${body}`);
  // njs 0.7.9 prints a deprecation notice (no newline) before the byte-string methods' first use.
  const out = execFileSync(NJS, [file], { encoding: "utf8" }).replace(/String(\.prototype)?\.\w+\(\) is deprecated and will be removed in the future/g, "");
  return out.split("\n").filter((line, i, all) => !(line === "" && i === all.length - 1));
}

async function sandbox(body: string): Promise<string[]> {
  const fn = await loadFunction(`var crypto = require('crypto'); var querystring = require('querystring');\nfunction handler(event) {\n${body}\nreturn event.request; }`, { runtime: "cloudfront-js-1.0" });
  const result = await fn.run(viewerRequestEvent());
  fn.dispose();
  if (result.error) throw new Error(result.errorMessage);
  return result.logs;
}

const SNIPPETS: Record<string, string> = {
  "hash digests in every encoding": `
    ['md5', 'sha1', 'sha256'].forEach(function (alg) {
      ['hex', 'base64', 'base64url'].forEach(function (enc) {
        console.log(alg + ' ' + enc + ' ' + crypto.createHash(alg).update('The quick brown fox ').update('jumps over the lazy dog').digest(enc));
      });
      console.log(alg + ' empty ' + crypto.createHash(alg).digest('hex'));
      console.log(alg + ' unicode ' + crypto.createHash(alg).update('héllo wörld € 😀').digest('hex'));
      console.log(alg + ' long ' + crypto.createHash(alg).update('x'.repeat(1000)).digest('base64'));
    });`,
  "hmac with string and byte-string keys": `
    ['md5', 'sha1', 'sha256'].forEach(function (alg) {
      console.log(alg + ' ' + crypto.createHmac(alg, 'secret').update('message').digest('hex'));
      console.log(alg + ' longkey ' + crypto.createHmac(alg, 'k'.repeat(100)).update('message').digest('base64'));
      console.log(alg + ' bytes ' + crypto.createHmac(alg, String.bytesFrom('0102ff', 'hex')).update('m').digest('base64url'));
    });`,
  "digest errors": `
    try { crypto.createHash('sha512'); } catch (e) { console.log(String(e)); }
    try { crypto.createHash('sha256').digest('latin1'); } catch (e) { console.log(String(e)); }
    var h = crypto.createHash('sha1'); h.digest('hex'); try { h.update('x'); } catch (e) { console.log(String(e)); }`,
  "querystring.parse": `
    console.log(JSON.stringify(querystring.parse('a=1&b=2&a=3&c&d=&e=%E2%82%AC&f=%ZZ&g=a+b&h=%E2%82&=x&i==y')));
    console.log(JSON.stringify(querystring.parse('a:1;b:2', ';', ':')));
    console.log(JSON.stringify(querystring.parse('a=1&b=2&c=3', null, null, { maxKeys: 2 })));
    console.log(JSON.stringify(querystring.parse('')));
    console.log(JSON.stringify(querystring.decode('x=%41%42')));`,
  "querystring.parse with prototype names": `
    var r = querystring.parse('__proto__=1&constructor=2&toString=3&hasOwnProperty=4&__proto__=5');
    console.log(JSON.stringify(r), Object.keys(r).join(','), Object.getPrototypeOf(r) === null, Object.prototype.hasOwnProperty.call(r, '__proto__'), typeof r.hasOwnProperty);
    console.log(({}).constructor === Object, typeof ({}).toString);`,
  "an event parsed from JSON with prototype names": `
    var e = JSON.parse('{"__proto__":{"value":"1"},"constructor":{"value":"2"},"toString":{"value":"3"}}');
    console.log(e.hasOwnProperty('__proto__'), e['__proto__'].value, e.constructor.value, Object.getPrototypeOf(e) === Object.prototype, Object.keys(e).join(','), JSON.stringify(e));
    var p = {}; p['__proto__'] = { value: 'x' }; console.log(Object.keys(p).length, p.value, ({}).value);`,
  "querystring.stringify, escape and unescape": `
    console.log(querystring.stringify({ a: 'x y', b: ['1', '2'], c: '', d: 'é€', e: 5, f: true, g: null, i: { x: 1 }, 'k k': "~!*()'" }));
    console.log(querystring.stringify({ a: 1, b: 2 }, ';', ':'));
    console.log(querystring.escape("a b&c/d?é~!*()'=+"));
    console.log(querystring.unescape('a%20b%ZZ%E2%82%ACc+d%'));
    console.log(querystring.encode({ z: 'ü' }));`,
  "byte strings": `
    console.log(String.bytesFrom([104, 105, 0xe9]).length);
    console.log(String.bytesFrom('68692e', 'hex'));
    console.log(String.bytesFrom('aGkh', 'base64') + ' ' + String.bytesFrom('aGkh_-8', 'base64url').length);
    console.log('é€'.toUTF8().length + ' ' + 'é€'.toUTF8().fromUTF8());
    console.log(String('abc'.toBytes()) + ' ' + String('€'.toBytes()));
    console.log(String.bytesFrom([0xff, 0xfe]).fromUTF8());
    console.log('hello'.fromBytes(1, 3));`,
};

describe("built-ins match njs 0.7.9 (cloudfront-js-1.0)", () => {
  it("njs is installed (Debian package njs)", () => {
    expect(existsSync(NJS)).toBe(true);
  });
  for (const [name, body] of Object.entries(SNIPPETS)) {
    it(name, async () => {
      expect(await sandbox(body)).toEqual(njs(body));
    });
  }
});
