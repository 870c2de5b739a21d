import { CloudFrontServiceException, CreateDistributionCommand, CreateFunctionCommand, CreateKeyValueStoreCommand, ListFunctionsCommand, type CloudFrontClient } from "@aws-sdk/client-cloudfront";
import { CloudFrontKeyValueStoreServiceException, DescribeKeyValueStoreCommand, GetKeyCommand, PutKeyCommand, type CloudFrontKeyValueStoreClient } from "@aws-sdk/client-cloudfront-keyvaluestore";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { NodeSha256 } from "../../src/api/access/signature.js";
import { keyValueStoreClient } from "../../src/clients.js";
import { cloudFrontClient, createFunctionXml, createLiveFunction, encode, HANDLER, http, startTestServer, type TestServer, rejection } from "../helpers.js";

const KEY = { accessKeyId: "AKIDEDGELITE", secretAccessKey: "s3cret/with+base64=chars" };
const WRONG_SECRET = { accessKeyId: KEY.accessKeyId, secretAccessKey: "not-the-secret" };
const UNKNOWN_KEY = { accessKeyId: "AKIDSOMEONEELSE", secretAccessKey: KEY.secretAccessKey };
const TWENTY_MINUTES = 20 * 60 * 1000;


const functionCount = async (t: TestServer) => (await t.server.app.services.functions.list({})).items.length;

describe("who may talk to edgelite: Host and browser Origin", () => {
  let t: TestServer;
  afterEach(async () => t.close());

  it("refuses the API and the data plane for a Host that is not loopback, naming --allowed-host", async () => {
    t = await startTestServer("memory");
    const api = await http(t.url, "POST", "/2020-05-31/function", { body: createFunctionXml("rebound", HANDLER), headers: { host: "evil.example:4599" } });
    expect(api.status).toBe(403);
    expect(api.body).toContain("<Code>AccessDenied</Code>");
    expect(api.body).toContain("Host 'evil.example' is not one of them");
    expect(api.body).toContain("--allowed-host evil.example");
    const store = await t.client.send(new CreateKeyValueStoreCommand({ Name: "s" }));
    const data = await http(t.url, "GET", `/key-value-stores/${encodeURIComponent(store.KeyValueStore!.ARN!)}`, { headers: { host: "123456789012.evil.example" } });
    expect(data.status).toBe(403);
    expect(data.headers["x-amzn-errortype"]).toBe("AccessDeniedException");
    expect(JSON.parse(data.body).Message).toContain("--allowed-host evil.example");
    // A data-plane path that names no operation is refused in the data plane's words too.
    const unknown = await http(t.url, "GET", "/key-value-stores/x/nothing/here", { headers: { host: "evil.example" } });
    expect(unknown.status).toBe(403);
    expect(JSON.parse(unknown.body).__type).toBe("AccessDeniedException");
    expect(await functionCount(t)).toBe(0);
  });

  it("answers loopback names and addresses, *.localhost and the account-prefixed data-plane host", async () => {
    t = await startTestServer("memory");
    for (const host of ["localhost", "localhost:4599", "127.0.0.1", "127.1.2.3:80", "[::1]:4599", "edgelite.localhost", "LOCALHOST.", "123456789012.localhost:4599"]) {
      const reply = await http(t.url, "GET", "/2020-05-31/function", { headers: { host } });
      expect(reply.status, host).toBe(200);
    }
    for (const host of ["localhost.evil.example", "127.0.0.1.evil.example", "0x7f.evil", "[::2]"]) {
      const reply = await http(t.url, "GET", "/2020-05-31/function", { headers: { host } });
      expect(reply.status, host).toBe(403);
    }
  });

  it("answers a Host given with --allowed-host (and its account-prefixed form)", async () => {
    t = await startTestServer("memory", { access: { allowedHosts: ["evil.example", ".lan"] } });
    const created = await http(t.url, "POST", "/2020-05-31/function", { body: createFunctionXml("allowed", HANDLER), headers: { host: "evil.example:4599" } });
    expect(created.status).toBe(201);
    expect((await http(t.url, "GET", "/2020-05-31/function", { headers: { host: "devbox.lan" } })).status).toBe(200);
    const store = await t.client.send(new CreateKeyValueStoreCommand({ Name: "s" }));
    const data = await http(t.url, "GET", `/key-value-stores/${encodeURIComponent(store.KeyValueStore!.ARN!)}`, { headers: { host: "123456789012.evil.example" } });
    expect(data.status).toBe(200);
  });

  it("in dev mode (every Host is the edge), refuses a Host that is not loopback, naming --allowed-host", async () => {
    t = await startTestServer("memory", { edgeHost: "dev.cloudfront.localhost" });
    const refused = await http(t.url, "GET", "/", { headers: { host: "rebound.example:8080" } });
    expect(refused.status).toBe(403);
    expect(refused.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(refused.body).toContain("edgelite dev answers only for loopback hosts");
    expect(refused.body).toContain("--allowed-host rebound.example");
    expect((await http(t.url, "GET", "/_edgelite/health", { headers: { host: "rebound.example" } })).status).toBe(200);
    // A loopback Host reaches the edge (no distribution yet, so the request falls through to the API's answer).
    expect((await http(t.url, "GET", "/", { headers: { host: "localhost:8080" } })).status).not.toBe(403);
  });

  it("refuses a cross-origin text/plain POST from a web page, and creates nothing", async () => {
    t = await startTestServer("memory");
    const posted = await http(t.url, "POST", "/2020-05-31/function", {
      body: createFunctionXml("csrf", HANDLER),
      headers: { "content-type": "text/plain", origin: "http://evil.example", "sec-fetch-site": "cross-site", "sec-fetch-mode": "no-cors" },
    });
    expect(posted.status).toBe(403);
    expect(posted.body).toContain("<Code>AccessDenied</Code>");
    expect(posted.body).toContain("--cors");
    expect(posted.headers["access-control-allow-origin"]).toBeUndefined();
    expect(await functionCount(t)).toBe(0);
    // A browser request without Origin (an <img>, a <script>) is still marked cross-site.
    const img = await http(t.url, "GET", "/2020-05-31/function", { headers: { "sec-fetch-site": "cross-site", "sec-fetch-mode": "no-cors" } });
    expect(img.status).toBe(403);
    // The user typing the URL (Sec-Fetch-Site: none) and the SDK (no Origin) are served.
    expect((await http(t.url, "GET", "/2020-05-31/function", { headers: { "sec-fetch-site": "none" } })).status).toBe(200);
    expect((await t.client.send(new ListFunctionsCommand({}))).FunctionList?.Quantity).toBe(0);
  });

  it("lets a page at a --cors origin call the API: preflight, then the call with CORS headers", async () => {
    t = await startTestServer("memory", { access: { corsOrigins: ["http://localhost:3000"] } });
    const preflight = await http(t.url, "OPTIONS", "/2020-05-31/function", {
      headers: { origin: "http://localhost:3000", "access-control-request-method": "POST", "access-control-request-headers": "authorization,x-amz-date,x-amz-user-agent,content-type", "sec-fetch-site": "same-site" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers["access-control-allow-origin"]).toBe("http://localhost:3000");
    expect(preflight.headers["access-control-allow-methods"]).toContain("POST");
    expect(preflight.headers["access-control-allow-headers"]).toBe("authorization,x-amz-date,x-amz-user-agent,content-type");
    const posted = await http(t.url, "POST", "/2020-05-31/function", {
      body: createFunctionXml("from-page", HANDLER),
      headers: { "content-type": "text/plain", origin: "http://localhost:3000", "sec-fetch-site": "same-site" },
    });
    expect(posted.status).toBe(201);
    expect(posted.headers["access-control-allow-origin"]).toBe("http://localhost:3000");
    expect(posted.headers["access-control-expose-headers"]).toContain("ETag");
    expect(await functionCount(t)).toBe(1);
    // Another origin is still refused, preflight included.
    const other = await http(t.url, "OPTIONS", "/2020-05-31/function", { headers: { origin: "http://evil.example", "access-control-request-method": "POST" } });
    expect(other.status).toBe(403);
    expect(other.headers["access-control-allow-origin"]).toBeUndefined();
    await t.close();
    // With --auth too, the preflight (which browsers never sign) is answered; the call itself must be signed.
    t = await startTestServer("memory", { access: { corsOrigins: ["http://localhost:3000"], credentials: new Map([[KEY.accessKeyId, KEY.secretAccessKey]]) } });
    const signedPreflight = await http(t.url, "OPTIONS", "/2020-05-31/function", { headers: { origin: "http://localhost:3000", "access-control-request-method": "GET", "access-control-request-headers": "authorization,x-amz-date" } });
    expect(signedPreflight.status).toBe(204);
    const unsignedCall = await http(t.url, "GET", "/2020-05-31/function", { headers: { origin: "http://localhost:3000" } });
    expect(unsignedCall.status).toBe(403);
    expect(unsignedCall.body).toContain("<Code>MissingAuthenticationToken</Code>");
    // The browser may read the refusal (it carries Access-Control-Allow-Origin), so the page can tell the user why.
    expect(unsignedCall.headers["access-control-allow-origin"]).toBe("http://localhost:3000");
  });
});

describe("who may talk to edgelite: --auth (AWS signatures)", () => {
  let t: TestServer;
  let signed: CloudFrontClient;
  let kvs: CloudFrontKeyValueStoreClient;
  let storeArn: string;
  const clients: Array<{ destroy(): void }> = [];
  const kvsClient = async (credentials: typeof KEY, systemClockOffset?: number) => {
    const client = await keyValueStoreClient({ endpoint: t.url, credentials, config: { maxAttempts: 1, ...(systemClockOffset !== undefined ? { systemClockOffset } : {}) } });
    clients.push(client);
    return client;
  };
  const cfClient = (credentials: typeof KEY, systemClockOffset?: number) => {
    const client = cloudFrontClient(t.url, { credentials, ...(systemClockOffset !== undefined ? { systemClockOffset } : {}) });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    t = await startTestServer("sqlite", { access: { credentials: new Map([[KEY.accessKeyId, KEY.secretAccessKey]]) } });
    signed = cfClient(KEY);
    kvs = await kvsClient(KEY);
    storeArn = (await signed.send(new CreateKeyValueStoreCommand({ Name: "flags" }))).KeyValueStore!.ARN!;
  });
  afterAll(async () => {
    for (const client of clients) client.destroy();
    await t.close();
  });

  it("serves the CloudFront API (SigV4) and the data plane (SigV4A) to the right key and secret", async () => {
    const created = await signed.send(new CreateFunctionCommand({ Name: "signed", FunctionConfig: { Comment: "", Runtime: "cloudfront-js-2.0" }, FunctionCode: encode(HANDLER) }));
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect((await signed.send(new ListFunctionsCommand({}))).FunctionList?.Items?.map((item) => item.Name)).toContain("signed");
    const described = await kvs.send(new DescribeKeyValueStoreCommand({ KvsARN: storeArn }));
    const put = await kvs.send(new PutKeyCommand({ KvsARN: storeArn, Key: "path/with spaces & ünicode", Value: "on", IfMatch: described.ETag }));
    expect(put.ItemCount).toBe(1);
    expect((await kvs.send(new GetKeyCommand({ KvsARN: storeArn, Key: "path/with spaces & ünicode" }))).Value).toBe("on");
  });

  it("answers a wrong secret with SignatureDoesNotMatch (403), on both", async () => {
    const api = await rejection<CloudFrontServiceException>(cfClient(WRONG_SECRET).send(new ListFunctionsCommand({})));
    expect(api.name).toBe("SignatureDoesNotMatch");
    expect(api.$metadata.httpStatusCode).toBe(403);
    expect(api.message).toBe(
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    );
    const data = await rejection<CloudFrontKeyValueStoreServiceException>((await kvsClient(WRONG_SECRET)).send(new DescribeKeyValueStoreCommand({ KvsARN: storeArn })));
    expect(data.name).toBe("SignatureDoesNotMatch");
    expect(data.$metadata.httpStatusCode).toBe(403);
    // Nothing was written by the refused calls.
    const before = await functionCount(t);
    await rejection(cfClient(WRONG_SECRET).send(new CreateFunctionCommand({ Name: "nope", FunctionConfig: { Comment: "", Runtime: "cloudfront-js-2.0" }, FunctionCode: encode(HANDLER) })));
    expect(await functionCount(t)).toBe(before);
  });

  it("answers an unknown access key with InvalidClientTokenId (403)", async () => {
    const api = await rejection<CloudFrontServiceException>(cfClient(UNKNOWN_KEY).send(new ListFunctionsCommand({})));
    expect(api.name).toBe("InvalidClientTokenId");
    expect(api.$metadata.httpStatusCode).toBe(403);
    expect(api.message).toBe("The security token included in the request is invalid.");
    const data = await rejection<CloudFrontKeyValueStoreServiceException>((await kvsClient(UNKNOWN_KEY)).send(new GetKeyCommand({ KvsARN: storeArn, Key: "k" })));
    expect(data.name).toBe("InvalidClientTokenId");
  });

  it("answers an unsigned request with MissingAuthenticationToken (403): XML for the API, JSON for the data plane", async () => {
    const api = await http(t.url, "GET", "/2020-05-31/function");
    expect(api.status).toBe(403);
    expect(api.body).toContain("<Code>MissingAuthenticationToken</Code>");
    expect(api.body).toContain("<Message>Request is missing Authentication Token</Message>");
    const data = await http(t.url, "GET", `/key-value-stores/${encodeURIComponent(storeArn)}`);
    expect(data.status).toBe(403);
    expect(data.headers["x-amzn-errortype"]).toBe("MissingAuthenticationToken");
    expect(JSON.parse(data.body)).toEqual({ __type: "MissingAuthenticationToken", Message: "Request is missing Authentication Token" });
    const garbage = await http(t.url, "GET", "/2020-05-31/function", { headers: { authorization: "AWS4-HMAC-SHA256 Credential=AKIDEDGELITE" } });
    expect(garbage.status).toBe(403);
    expect(garbage.body).toContain("<Code>IncompleteSignature</Code>");
  });

  it("answers a signature dated more than 15 minutes away with RequestExpired (403)", async () => {
    const api = await rejection<CloudFrontServiceException>(cfClient(KEY, -TWENTY_MINUTES).send(new ListFunctionsCommand({})));
    expect(api.name).toBe("RequestExpired");
    expect(api.$metadata.httpStatusCode).toBe(403);
    expect(api.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
    const future = await rejection<CloudFrontServiceException>(cfClient(KEY, TWENTY_MINUTES).send(new ListFunctionsCommand({})));
    expect(future.name).toBe("RequestExpired");
    const data = await rejection<CloudFrontKeyValueStoreServiceException>((await kvsClient(KEY, -TWENTY_MINUTES)).send(new DescribeKeyValueStoreCommand({ KvsARN: storeArn })));
    expect(data.name).toBe("RequestExpired");
    expect(data.$metadata.httpStatusCode).toBe(403);
  });

  it("accepts a presigned URL (X-Amz-Signature in the query) and refuses it once changed", async () => {
    const url = new URL(t.url);
    const signer = new SignatureV4({ service: "cloudfront", region: "us-east-1", credentials: KEY, sha256: NodeSha256 });
    const presigned = await signer.presign({ method: "GET", protocol: "http:", hostname: url.hostname, port: Number(url.port), path: "/2020-05-31/function", query: { MaxItems: "5" }, headers: { host: url.host } }, { expiresIn: 300 });
    const query = new URLSearchParams(presigned.query as Record<string, string>).toString().replace(/\+/g, "%20");
    const ok = await http(t.url, "GET", `/2020-05-31/function?${query}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toContain("<MaxItems>5</MaxItems>");
    const tampered = await http(t.url, "GET", `/2020-05-31/function?${query.replace("MaxItems=5", "MaxItems=6")}`);
    expect(tampered.status).toBe(403);
    expect(tampered.body).toContain("<Code>SignatureDoesNotMatch</Code>");
    // Query names that are Object.prototype's own are plain names to the verifier too.
    const hostile = await signer.presign(
      { method: "GET", protocol: "http:", hostname: url.hostname, port: Number(url.port), path: "/2020-05-31/function", query: { ["__proto__"]: "1", constructor: "2", toString: "3" }, headers: { host: url.host } },
      { expiresIn: 300 },
    );
    const hostileQuery = Object.keys(hostile.query!).map((name) => `${encodeURIComponent(name)}=${encodeURIComponent(String(hostile.query![name]))}`).join("&");
    expect((await http(t.url, "GET", `/2020-05-31/function?${hostileQuery}`)).status).toBe(200);
    expect(({} as Record<string, unknown>).constructor).toBe(Object);
  });

  it("keeps the health check open and never authenticates the edge (viewers are anonymous)", async () => {
    expect((await http(t.url, "GET", "/_edgelite/health")).status).toBe(200);
    const arn = await createLiveFunction(signed, "edge-answer", `function handler(event) { return { statusCode: 200, statusDescription: 'OK', body: { encoding: 'text', data: 'hello viewer' } }; }`);
    const created = await signed.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: "access-test",
          Comment: "",
          Enabled: true,
          Origins: { Quantity: 1, Items: [{ Id: "o", DomainName: "127.0.0.1", CustomOriginConfig: { HTTPPort: 9, HTTPSPort: 443, OriginProtocolPolicy: "http-only" } }] },
          DefaultCacheBehavior: { TargetOriginId: "o", ViewerProtocolPolicy: "allow-all", FunctionAssociations: { Quantity: 1, Items: [{ FunctionARN: arn, EventType: "viewer-request" }] } },
        },
      }),
    );
    const viewer = await http(t.url, "GET", "/", { headers: { host: created.Distribution!.DomainName! } });
    expect(viewer.status).toBe(200);
    expect(viewer.body).toBe("hello viewer");
    // The edge is no way around the API's guard: an unknown Host with an API path is still refused.
    const sneaky = await http(t.url, "GET", "/2020-05-31/function", { headers: { host: "nothing.example" } });
    expect(sneaky.status).toBe(403);
    expect(sneaky.body).toContain("<Code>AccessDenied</Code>");
  });
});
