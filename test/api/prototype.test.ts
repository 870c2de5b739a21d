import {
  CreateDistributionCommand,
  CreateFunctionCommand,
  CreateKeyValueStoreCommand,
  DescribeFunctionCommand,
  DescribeKeyValueStoreCommand,
  ListFunctionsCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  TestFunctionCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-cloudfront";
import { DeleteKeyCommand, DescribeKeyValueStoreCommand as DescribeDataCommand, GetKeyCommand, ListKeysCommand, UpdateKeysCommand, type CloudFrontKeyValueStoreClient } from "@aws-sdk/client-cloudfront-keyvaluestore";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { keyValueStoreClient } from "../../src/clients.js";
import { startServer, type RunningServer } from "../../src/server.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import { parseImportFile } from "../../src/service/importFormat.js";
import { parseRequestXml } from "../../src/api/xml.js";
import { cloudFrontClient, createFunctionXml, createLiveFunction, encode, http, httpLines, tempDir, XMLNS } from "../helpers.js";
import { PROTOTYPE_NAMES, prototypeGuard } from "../prototypeGuard.js";

/**
 * Untrusted names that are not ordinary keys of a plain object (`__proto__`, `constructor`, …) in the
 * API: XML element names, tag keys, key value store keys and JSON members, the names in TestFunction's
 * event, and names (function, store) that the SQLite store keeps across a restart. Each behaves as any
 * other name; nothing reaches Object.prototype (the server runs in this process); a distribution keeps
 * answering at the edge.
 */

/** An element name no schema has: what any unknown name gets. */
const UNKNOWN = "Unknown";

const ACCOUNT_FUNCTION_ARN = (name: string) => `arn:aws:cloudfront::123456789012:function/${name}`;

describe("prototype names in the API", () => {
  const dir = tempDir();
  const file = join(dir.path, "edgelite.sqlite");
  let server: RunningServer;
  let client: ReturnType<typeof cloudFrontClient>;
  let kvs: CloudFrontKeyValueStoreClient;
  let origin: Server;
  let canary: string;
  let guard: ReturnType<typeof prototypeGuard>;

  const start = async () => {
    server = await startServer({ store: new SqliteStore(file), port: 0 });
    client = cloudFrontClient(server.url);
    kvs = await keyValueStoreClient({ endpoint: server.url });
  };
  const stop = async () => {
    client.destroy();
    kvs.destroy();
    await server.close();
  };

  beforeAll(async () => {
    origin = createServer((req, res) => res.writeHead(200, { "content-type": "text/plain" }).end(`origin ${req.url} ${req.headers["x-canary"]}`));
    await new Promise<void>((resolve) => origin.listen(0, "127.0.0.1", resolve));
    await start();
    const fn = await createLiveFunction(client, "canary", `function handler(event) { event.request.headers['x-canary'] = { value: 'yes' }; return event.request; }`);
    const created = await client.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: "canary",
          Comment: "",
          Enabled: true,
          Origins: { Quantity: 1, Items: [{ Id: "o", DomainName: "127.0.0.1", CustomOriginConfig: { HTTPPort: (origin.address() as AddressInfo).port, HTTPSPort: 443, OriginProtocolPolicy: "http-only" } }] },
          DefaultCacheBehavior: { TargetOriginId: "o", ViewerProtocolPolicy: "allow-all", FunctionAssociations: { Quantity: 1, Items: [{ FunctionARN: fn, EventType: "viewer-request" }] } },
        },
      }),
    );
    canary = created.Distribution!.DomainName!;
  });
  afterAll(async () => {
    await stop();
    origin.close();
    dir.remove();
  });
  beforeEach(() => {
    guard = prototypeGuard();
  });

  /** (b) nothing reached Object.prototype, and (c) a distribution still answers as before. */
  async function stillHealthy(): Promise<void> {
    guard.check();
    const reply = await http(server.url, "GET", "/page?a=1", { headers: { host: canary } });
    expect(reply.status).toBe(200);
    expect(reply.body).toBe("origin /page?a=1 yes");
    guard.check();
  }

  const errorCode = (body: string) => /<Code>([^<]*)<\/Code>/.exec(body)?.[1];

  describe("XML element names", () => {
    it("are own keys of the parsed tree, in a tree without prototypes", () => {
      const xml = `<Root>${PROTOTYPE_NAMES.map((name) => `<${name}>${name}-text</${name}>`).join("")}<__proto__><Inner>x</Inner></__proto__></Root>`;
      const root = parseRequestXml(Buffer.from(xml), "Root");
      expect(Object.getPrototypeOf(root)).toBeNull();
      expect(Object.keys(root)).toEqual([...PROTOTYPE_NAMES]);
      expect(Object.getOwnPropertyDescriptor(root, "__proto__")?.value).toEqual(["__proto__-text", { Inner: "x" }]);
      for (const name of PROTOTYPE_NAMES.slice(1)) expect(Object.getOwnPropertyDescriptor(root, name)?.value).toBe(`${name}-text`);
      guard.check();
    });

    it("in a list of tags are refused as any unknown element is (MalformedXML)", async () => {
      const arn = (await client.send(new CreateFunctionCommand({ Name: "tag-xml", FunctionConfig: { Comment: "", Runtime: "cloudfront-js-2.0" }, FunctionCode: encode("function handler(e) { return e.request; }") })))
        .FunctionSummary!.FunctionMetadata!.FunctionARN!;
      const tagWith = (element: string) =>
        http(server.url, "POST", `/2020-05-31/tagging?Operation=Tag&Resource=${encodeURIComponent(arn)}`, { body: `<Tags ${XMLNS}><Items><${element}><Key>k</Key></${element}></Items></Tags>` });
      const unknown = await tagWith(UNKNOWN);
      expect(unknown.status).toBe(400);
      expect(errorCode(unknown.body)).toBe("MalformedXML");
      for (const name of PROTOTYPE_NAMES) {
        const reply = await tagWith(name);
        expect(reply.status, name).toBe(400);
        expect(errorCode(reply.body), name).toBe("MalformedXML");
        expect(reply.body).toContain(`found &lt;${name}&gt;`);
      }
      expect((await client.send(new ListTagsForResourceCommand({ Resource: arn }))).Tags?.Items ?? []).toEqual([]);
      await stillHealthy();
    });

    it("beside CreateFunction's members change nothing, as any unknown element", async () => {
      const create = (name: string, element: string) =>
        http(server.url, "POST", "/2020-05-31/function", { body: createFunctionXml(name, "function handler(e) { return e.request; }", { extra: `<${element}><Name>evil</Name><Runtime>x</Runtime></${element}>` }) });
      const unknown = await create("xml-unknown", UNKNOWN);
      for (const [i, element] of PROTOTYPE_NAMES.entries()) {
        const reply = await create(`xml-${i}`, element);
        expect(reply.status, element).toBe(unknown.status);
        expect(errorCode(reply.body), element).toBe(errorCode(unknown.body));
        if (reply.status === 201) {
          const described = await client.send(new DescribeFunctionCommand({ Name: `xml-${i}` }));
          expect(described.FunctionSummary?.FunctionConfig?.Runtime).toBe("cloudfront-js-2.0");
        }
      }
      await stillHealthy();
    });
  });

  it("header and query names of API and data-plane requests: answered as without them", async () => {
    const store = (await client.send(new CreateKeyValueStoreCommand({ Name: "proto-request" }))).KeyValueStore!;
    const query = PROTOTYPE_NAMES.map((name) => `${name}=1`).join("&");
    const lines = (host: string): Array<[string, string]> => [["Host", host], ...PROTOTYPE_NAMES.map((name): [string, string] => [name, "x"]), ["Cookie", "__proto__=1; constructor=2"]];
    const host = new URL(server.url).host;
    for (const path of ["/2020-05-31/function", `/2020-05-31/key-value-store/proto-request`, `/key-value-stores/${encodeURIComponent(store.ARN!)}/keys`]) {
      const plain = await http(server.url, "GET", path);
      expect(plain.status, path).toBe(200);
      const hostile = await httpLines(server.url, "GET", `${path}?${query}`, lines(host));
      expect(hostile.status, path).toBe(200);
      expect(hostile.body.replace(/<LastModifiedTime>[^<]*<\/LastModifiedTime>/g, ""), path).toBe(plain.body.replace(/<LastModifiedTime>[^<]*<\/LastModifiedTime>/g, ""));
    }
    await stillHealthy();
  });

  it("tag keys: tagged, listed and untagged as any other key", async () => {
    const arn = (await client.send(new CreateFunctionCommand({ Name: "tag-keys", FunctionConfig: { Comment: "", Runtime: "cloudfront-js-2.0" }, FunctionCode: encode("function handler(e) { return e.request; }") })))
      .FunctionSummary!.FunctionMetadata!.FunctionARN!;
    const tags = PROTOTYPE_NAMES.map((name) => ({ Key: name, Value: `${name}-value` }));
    await client.send(new TagResourceCommand({ Resource: arn, Tags: { Items: tags } }));
    expect((await client.send(new ListTagsForResourceCommand({ Resource: arn }))).Tags?.Items).toEqual(tags);
    await client.send(new UntagResourceCommand({ Resource: arn, TagKeys: { Items: ["__proto__", "toString"] } }));
    expect((await client.send(new ListTagsForResourceCommand({ Resource: arn }))).Tags?.Items).toEqual(tags.filter((tag) => tag.Key !== "__proto__" && tag.Key !== "toString"));
    await stillHealthy();
  });

  it("key value store keys and JSON members: put, read, listed, deleted as any other key; read by a function", async () => {
    const store = (await client.send(new CreateKeyValueStoreCommand({ Name: "proto-keys" }))).KeyValueStore!;
    const etag = (await kvs.send(new DescribeDataCommand({ KvsARN: store.ARN }))).ETag!;
    const put = await kvs.send(new UpdateKeysCommand({ KvsARN: store.ARN, IfMatch: etag, Puts: PROTOTYPE_NAMES.map((name) => ({ Key: name, Value: `${name}-value` })) }));
    expect(put.ItemCount).toBe(PROTOTYPE_NAMES.length);
    for (const name of PROTOTYPE_NAMES) expect((await kvs.send(new GetKeyCommand({ KvsARN: store.ARN, Key: name }))).Value).toBe(`${name}-value`);
    const listed = await kvs.send(new ListKeysCommand({ KvsARN: store.ARN }));
    expect(listed.Items?.map((item) => item.Key).sort()).toEqual([...PROTOTYPE_NAMES].sort());
    const deleted = await kvs.send(new DeleteKeyCommand({ KvsARN: store.ARN, Key: "constructor", IfMatch: put.ETag }));
    expect(deleted.ItemCount).toBe(PROTOTYPE_NAMES.length - 1);

    // A body whose only member is `__proto__` has no Value, whatever that member holds.
    const keyPath = (key: string) => `/key-value-stores/${encodeURIComponent(store.ARN!)}/keys/${encodeURIComponent(key)}`;
    const sneaky = await http(server.url, "PUT", keyPath("sneaky"), { body: '{"__proto__":{"Value":"sneaky"}}', headers: { "content-type": "application/json", "if-match": deleted.ETag! } });
    expect(sneaky.status).toBe(400);
    expect(JSON.parse(sneaky.body).Message).toContain("Value null at 'value'");
    const batch = await http(server.url, "POST", `/key-value-stores/${encodeURIComponent(store.ARN!)}/keys`, {
      body: '{"Puts":[{"__proto__":{"Key":"a","Value":"b"}}]}',
      headers: { "content-type": "application/json", "if-match": deleted.ETag! },
    });
    expect(batch.status).toBe(400);
    expect(JSON.parse(batch.body).Message).toContain("Value null at 'puts.1.member.key'");

    const code = `import cf from 'cloudfront';
const store = cf.kvs('${store.Id}');
async function handler(event) {
  const names = ${JSON.stringify(PROTOTYPE_NAMES)};
  for (let i = 0; i < names.length; i++) {
    // njs (and so CloudFront) refuses \`await\` inside a call's arguments: each value is awaited first.
    const exists = await store.exists(names[i]);
    const value = names[i] === 'constructor' ? '' : await store.get(names[i]);
    console.log(names[i] + ' ' + exists + ' ' + value);
  }
  return event.request;
}`;
    await client.send(
      new CreateFunctionCommand({ Name: "reads-proto-keys", FunctionConfig: { Comment: "", Runtime: "cloudfront-js-2.0", KeyValueStoreAssociations: { Quantity: 1, Items: [{ KeyValueStoreARN: store.ARN }] } }, FunctionCode: encode(code) }),
    );
    const event = encode(JSON.stringify({ version: "1.0", context: { eventType: "viewer-request" }, viewer: { ip: "1.2.3.4" }, request: { method: "GET", uri: "/" } }));
    const tested = await client.send(new TestFunctionCommand({ Name: "reads-proto-keys", IfMatch: "ETVPDKIKX0DER", EventObject: event }));
    expect(tested.TestResult?.FunctionErrorMessage).toBe("");
    expect(tested.TestResult?.FunctionExecutionLogs).toEqual(PROTOTYPE_NAMES.map((name) => (name === "constructor" ? `${name} false ` : `${name} true ${name}-value`)));
    await stillHealthy();
  });

  it("key value store import files: keys named after prototype names, members read as own keys only", () => {
    const data = PROTOTYPE_NAMES.map((name) => ({ key: name, value: `${name}-value` }));
    expect(parseImportFile(JSON.stringify({ data }), "f.json")).toEqual(PROTOTYPE_NAMES.map((name) => [name, `${name}-value`]));
    // A computed key is an own `__proto__` member, so the text is {"__proto__":{"data":[…]}}.
    const nested = JSON.stringify({ ["__proto__"]: { data } });
    expect(nested.startsWith('{"__proto__":{"data":')).toBe(true);
    expect(() => parseImportFile(nested, "f.json")).toThrow(/must be \{"data"/);
    expect(() => parseImportFile('{"data":[{"__proto__":{"key":"k","value":"v"}}]}', "f.json")).toThrow(/Entry 1 of f\.json needs a string "key" and "value"/);
    guard.check();
  });

  it("TestFunction's event: query, header and cookie names reach the function as own keys and come back in FunctionOutput", async () => {
    const map = (suffix: string) => Object.fromEntries(PROTOTYPE_NAMES.map((name) => [name.toLowerCase(), { value: `${name}-${suffix}` }]));
    // JSON text, so that `__proto__` is a member like any other (as the SDK user's own JSON would be).
    const eventJson = JSON.stringify({
      version: "1.0",
      context: { eventType: "viewer-request" },
      viewer: { ip: "1.2.3.4" },
      request: { method: "GET", uri: "/", querystring: map("q"), headers: map("h"), cookies: map("c") },
    });
    expect(eventJson).toContain('"__proto__":{"value":"__proto__-h"}');
    const code = `function handler(event) {
  var r = event.request;
  ['querystring', 'headers', 'cookies'].forEach(function (kind) {
    console.log(kind + ' ' + Object.keys(r[kind]).map(function (name) { return name + '=' + Object.prototype.hasOwnProperty.call(r[kind], name) + ':' + r[kind][name].value; }).join(','));
  });
  Object.defineProperty(r.headers, '__proto__', { value: { value: 'changed' }, enumerable: true, writable: true, configurable: true });
  return r;
}`;
    await client.send(new CreateFunctionCommand({ Name: "proto-event", FunctionConfig: { Comment: "", Runtime: "cloudfront-js-1.0" }, FunctionCode: encode(code) }));
    const tested = await client.send(new TestFunctionCommand({ Name: "proto-event", IfMatch: "ETVPDKIKX0DER", EventObject: encode(eventJson) }));
    expect(tested.TestResult?.FunctionErrorMessage).toBe("");
    const line = (kind: string, suffix: string) => `${kind} ${PROTOTYPE_NAMES.map((name) => `${name.toLowerCase()}=true:${name}-${suffix}`).join(",")}`;
    expect(tested.TestResult?.FunctionExecutionLogs).toEqual([line("querystring", "q"), line("headers", "h"), line("cookies", "c")]);
    const output = tested.TestResult!.FunctionOutput!;
    const request = (JSON.parse(output) as { request: Record<string, Record<string, { value: string }>> }).request;
    for (const kind of ["querystring", "headers", "cookies"]) expect(Object.keys(request[kind]!), kind).toEqual(PROTOTYPE_NAMES.map((name) => name.toLowerCase()));
    expect(Object.getOwnPropertyDescriptor(request.headers, "__proto__")?.value).toEqual({ value: "changed" });
    expect(Object.getOwnPropertyDescriptor(request.cookies, "__proto__")?.value).toEqual({ value: "__proto__-c" });
    await stillHealthy();
  });

  it("the SQLite store: functions, a store, tags and keys named after prototype names survive a restart", async () => {
    const names = ["__proto__", "constructor", "prototype", "toString"];
    for (const name of names) {
      await client.send(new CreateFunctionCommand({ Name: name, FunctionConfig: { Comment: `${name} comment`, Runtime: "cloudfront-js-2.0" }, FunctionCode: encode("function handler(e) { return e.request; }") }));
      await client.send(new TagResourceCommand({ Resource: ACCOUNT_FUNCTION_ARN(name), Tags: { Items: [{ Key: name, Value: "v" }] } }));
    }
    const store = (await client.send(new CreateKeyValueStoreCommand({ Name: "__proto__", Comment: "proto store" }))).KeyValueStore!;
    const etag = (await kvs.send(new DescribeDataCommand({ KvsARN: store.ARN }))).ETag!;
    await kvs.send(new UpdateKeysCommand({ KvsARN: store.ARN, IfMatch: etag, Puts: names.map((name) => ({ Key: name, Value: `${name}-value` })) }));

    await stop();
    await start();
    guard.check();

    for (const name of names) {
      const described = await client.send(new DescribeFunctionCommand({ Name: name }));
      expect(described.FunctionSummary?.FunctionConfig?.Comment).toBe(`${name} comment`);
      expect((await client.send(new ListTagsForResourceCommand({ Resource: ACCOUNT_FUNCTION_ARN(name) }))).Tags?.Items).toEqual([{ Key: name, Value: "v" }]);
      expect((await kvs.send(new GetKeyCommand({ KvsARN: store.ARN, Key: name }))).Value).toBe(`${name}-value`);
    }
    const listed = (await client.send(new ListFunctionsCommand({}))).FunctionList?.Items?.map((item) => item.Name) ?? [];
    expect(listed).toEqual(expect.arrayContaining(names));
    expect((await client.send(new DescribeKeyValueStoreCommand({ Name: "__proto__" }))).KeyValueStore?.Comment).toBe("proto store");
    await stillHealthy();
  });
});
