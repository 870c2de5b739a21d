import { CreateDistributionCommand, GetInvalidationCommand, ListInvalidationsCommand, type Origin } from "@aws-sdk/client-cloudfront";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EdgeLogEntry } from "../../../src/edge/edge.js";
import { LocalOrigins } from "../../../src/iac/origins/localOrigins.js";
import { IacError, type TemplateObject } from "../../../src/iac/types.js";
import { http, startTestServer, tempDir, type TestServer } from "../../helpers.js";
import { applyContext, createDistribution, distributionConfig, recordingLog } from "./support.js";

const custom = (id: string, domain: string, extra: Partial<Origin> = {}): Origin => ({ Id: id, DomainName: domain, CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: "https-only" }, ...extra });
const s3 = (id: string, domain: string, extra: Partial<Origin> = {}): Origin => ({ Id: id, DomainName: domain, S3OriginConfig: { OriginAccessIdentity: "" }, ...extra });

function mapped(origins: LocalOrigins, items: Origin[]): Origin[] {
  return [...(origins.mapOrigins({ Origins: { Quantity: items.length, Items: items } }, "Dist").Origins?.Items ?? [])] as Origin[];
}

describe("mapOrigins: --origin by Id, domain or logical id; AWS domains to placeholders; --s3 and buckets", () => {
  const root = tempDir("edgelite-origins-map-");
  const site = join(root.path, "site");
  mkdirSync(site);
  writeFileSync(join(site, "index.html"), "folder origin");
  afterAll(() => root.remove());

  const make = (originFlags: Array<[string, string]>, s3Sources: Map<string, string> | "endpoint" = new Map(), s3Flags: Array<[string, string]> = []) => {
    const log = recordingLog();
    return { log, origins: new LocalOrigins({ originFlags: new Map(originFlags), s3Flags: new Map(s3Flags), s3Sources: s3Sources === "endpoint" ? undefined : s3Sources, workDir: join(root.path, "work"), log }) };
  };

  it("turns a URL into a custom origin: scheme → protocol policy, port, path → OriginPath; an S3 origin loses its S3 parts", () => {
    const { origins } = make([["api", "https://localhost:8443/stage/"], ["assets.example.com", "http://127.0.0.1:3000"], ["Bucket", "http://[::1]:9000"]]);
    const [byId, byDomain, s3Mapped] = mapped(origins, [custom("api", "abc.execute-api.us-east-1.amazonaws.com", { OriginPath: "/prod", CustomHeaders: { Quantity: 1, Items: [{ HeaderName: "x-k", HeaderValue: "v" }] } }), custom("web", "assets.example.com"), s3("Bucket", "b.s3.us-east-1.amazonaws.com", { OriginAccessControlId: "E2OAC" })]);
    expect(byId).toMatchObject({ DomainName: "localhost", OriginPath: "/stage", CustomHeaders: { Quantity: 1 }, CustomOriginConfig: { HTTPSPort: 8443, OriginProtocolPolicy: "https-only", OriginReadTimeout: 30 } });
    expect(byDomain).toMatchObject({ DomainName: "127.0.0.1", OriginPath: "", CustomOriginConfig: { HTTPPort: 3000, OriginProtocolPolicy: "http-only" } });
    expect(s3Mapped).toMatchObject({ DomainName: "::1", CustomOriginConfig: { HTTPPort: 9000 } });
    expect(s3Mapped?.S3OriginConfig).toBeUndefined();
    expect(s3Mapped?.OriginAccessControlId).toBeUndefined();
  });

  it("tells which --origin flags matched no origin, with the keys the origins answer to (a typo is not ignored)", () => {
    const { origins } = make([["api", "http://127.0.0.1:3000"], ["apl", "http://127.0.0.1:3001"]]);
    expect(origins.unmatchedOriginFlags().map(({ key }) => key)).toEqual(["api", "apl"]);
    mapped(origins, [custom("api", "api.example.com"), custom("web", "www.example.com")]);
    const unmatched = origins.unmatchedOriginFlags();
    expect(unmatched.map(({ key }) => key)).toEqual(["apl"]);
    expect(unmatched[0]?.knownKeys).toEqual(expect.arrayContaining(["api", "api.example.com", "web", "www.example.com"]));
  });

  it("points an origin with no local source at a placeholder spelling its key (the logical id it is built on, else its domain); loopback stays", () => {
    const { origins, log } = make([]);
    const api = origins.notEmulated("Stack", "RestApi0C43BF4B", "AWS::ApiGateway::RestApi", Object.create(null) as TemplateObject);
    const result = mapped(origins, [
      custom("o1", `${api.ref}.execute-api.us-east-1.amazonaws.com`),
      custom("o2", "my-alb-123.us-east-1.elb.amazonaws.com"),
      custom("o3", "example.com"),
      custom("o4", "xyz.lambda-url.us-east-1.on.aws"),
      custom("o5", "not a host name"),
      custom("o6", "localhost"),
      custom("o7", "127.0.0.1"),
    ]);
    expect(result.map((origin) => origin.DomainName)).toEqual([
      "RestApi0C43BF4B.edgelite.invalid",
      "my-alb-123.us-east-1.elb.amazonaws.com.by-domain.edgelite.invalid",
      "example.com.by-domain.edgelite.invalid",
      "xyz.lambda-url.us-east-1.on.aws.by-domain.edgelite.invalid",
      "edgelite.invalid",
      "localhost",
      "127.0.0.1",
    ]);
    const warnings = log.lines.filter((line) => line.startsWith("warn"));
    expect(warnings).toHaveLength(5);
    expect(warnings[0]).toContain("--origin RestApi0C43BF4B=<url|folder>");
    expect(warnings[2]).toContain("--origin example.com=<url|folder>");
    expect(warnings[4]).toContain("--origin o5=<url|folder>");
  });

  it("finds a flag by the logical id a placeholder domain spells, ignoring case, and the placeholder attributes look like AWS's", () => {
    const { origins } = make([["myalb", "http://127.0.0.1:8080"]]);
    const alb = origins.notEmulated("Stack", "MyAlb", "AWS::ElasticLoadBalancingV2::LoadBalancer", Object.create(null) as TemplateObject);
    expect(alb.attributes.get("DNSName")).toBe("MyAlb.edgelite.invalid");
    expect(alb.attributes.get("LoadBalancerArn")).toMatch(/^arn:aws:elasticloadbalancingv2:us-east-1:123456789012:loadbalancer\/Stack-MyAlb-[A-Z2-7]{12}$/);
    expect(alb.attributes.get("LoadBalancerFullName")).toBe(alb.ref);
    expect(origins.notEmulated("Stack", "Fn", "AWS::Lambda::Url", Object.create(null) as TemplateObject).attributes.get("FunctionUrl")).toBe("https://Fn.edgelite.invalid/");
    expect(mapped(origins, [custom("o", String(alb.attributes.get("DNSName")))])[0]).toMatchObject({ DomainName: "127.0.0.1", CustomOriginConfig: { HTTPPort: 8080 } });
  });

  it("gives the types whose Ref is an ARN an ARN: a Lambda@Edge version a distribution accepts, an alias, a certificate", () => {
    const { origins } = make([]);
    const none = Object.create(null) as TemplateObject;
    const fn = origins.notEmulated("Stack", "EdgeFn", "AWS::Lambda::Function", none);
    const version = origins.notEmulated("Stack", "EdgeFnVersion", "AWS::Lambda::Version", Object.assign(Object.create(null) as TemplateObject, { FunctionName: fn.ref }));
    expect(version.ref).toBe(`arn:aws:lambda:us-east-1:123456789012:function:${fn.ref}:1`);
    // What CreateDistribution checks a LambdaFunctionARN against (src/service/distributionConfig.ts).
    expect(version.ref).toMatch(/^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}:\d+$/);
    expect(version.attributes.get("Version")).toBe("1");
    const byArn = origins.notEmulated("Stack", "V2", "AWS::Lambda::Version", Object.assign(Object.create(null) as TemplateObject, { FunctionName: "arn:aws:lambda:us-east-1:123456789012:function:named" }));
    expect(byArn.ref).toBe("arn:aws:lambda:us-east-1:123456789012:function:named:1");
    const alias = origins.notEmulated("Stack", "Live", "AWS::Lambda::Alias", Object.assign(Object.create(null) as TemplateObject, { FunctionName: "named", Name: "live" }));
    expect(alias.ref).toBe("arn:aws:lambda:us-east-1:123456789012:function:named:live");
    const certificate = origins.notEmulated("Stack", "Cert", "AWS::CertificateManager::Certificate", none);
    expect(certificate.ref).toMatch(/^arn:aws:acm:us-east-1:123456789012:certificate\/Stack-Cert-/);
    // Names and ids among the attributes stay names.
    expect(version.attributes.get("FunctionName")).not.toMatch(/^arn:/);
  });

  it("maps a folder only with the embedded server; with --endpoint it says what to do", () => {
    const { origins } = make([["o", site]], "endpoint");
    expect(() => mapped(origins, [custom("o", "example.com")])).toThrow(IacError);
    expect(() => mapped(origins, [custom("o", "example.com")])).toThrow(/needs the embedded server/);
    const { origins: nowhere } = make([["o", join(root.path, "missing")]]);
    expect(() => mapped(nowhere, [custom("o", "example.com")])).toThrow(/not a folder/);
    const { origins: ftp } = make([["o", "ftp://host/x"]]);
    expect(() => mapped(ftp, [custom("o", "example.com")])).toThrow(/http:\/\/ or https:\/\//);
    const { origins: secret } = make([["o", "http://user:pw@host/"]]);
    expect(() => mapped(secret, [custom("o", "example.com")])).toThrow(/no user or password/);
  });

  it("leaves an S3 origin served by --s3 alone, and says which --s3 an S3 origin without a source needs", () => {
    const { origins, log } = make([], new Map(), [["flagged", site]]);
    const result = mapped(origins, [s3("a", "flagged.s3.us-east-1.amazonaws.com"), s3("b", "nobody.s3.amazonaws.com")]);
    expect(result.map((origin) => origin.DomainName)).toEqual(["flagged.s3.us-east-1.amazonaws.com", "nobody.s3.amazonaws.com"]);
    expect(log.lines).toEqual([expect.stringContaining("add --s3 nobody=<folder>")]);
  });
});

describe("through a real server: a folder origin, a bucket registered after start, a website endpoint, a placeholder S3 origin", () => {
  const root = tempDir("edgelite-origins-live-");
  const site = join(root.path, "site");
  mkdirSync(join(site, "docs"), { recursive: true });
  writeFileSync(join(site, "docs", "a.txt"), "folder origin");
  const s3Sources = new Map<string, string>();
  const edgeLogs: EdgeLogEntry[] = [];
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer("memory", { s3Sources, onEdgeRequest: (entry) => edgeLogs.push(entry) });
  });
  afterAll(async () => {
    await t.close();
    root.remove();
  });

  it("serves --origin <id>=<folder> as an S3 origin on a bucket registered while the server runs", async () => {
    const log = recordingLog();
    const origins = new LocalOrigins({ originFlags: new Map([["web", site]]), s3Flags: new Map(), s3Sources, workDir: join(root.path, "work"), log });
    const items = mapped(origins, [custom("web", "www.example.com", { OriginPath: "/ignored" })]);
    expect(items[0]?.S3OriginConfig).toEqual({ OriginAccessIdentity: "" });
    expect(s3Sources.size).toBe(1);
    const domain = await createDistribution(t.client, distributionConfig("folder", items));
    const reply = await http(t.url, "GET", "/docs/a.txt", { headers: { host: domain } });
    expect(reply.status).toBe(200);
    expect(reply.body).toBe("folder origin");
    origins.close();
    expect(s3Sources.size).toBe(0);
    expect((await http(t.url, "GET", "/docs/a.txt", { headers: { host: domain } })).status).toBe(502);
  });

  it("serves an emulated bucket (empty: S3's 403) and then its deployment, made after the distribution; its website endpoint as the bucket", async () => {
    const log = recordingLog();
    const workDir = join(root.path, "work2");
    const origins = new LocalOrigins({ originFlags: new Map(), s3Flags: new Map(), s3Sources, workDir, log });
    const assetFolder = join(root.path, "asset");
    mkdirSync(assetFolder);
    writeFileSync(join(assetFolder, "late.html"), "deployed late");
    origins.setAssets({ locate: (bucket, key) => (bucket === "assets" && key === "a.zip" ? { path: assetFolder, packaging: "zip" } : undefined) });
    const context = applyContext(t.client, "Live", log, origins, origins);
    const bucket = await origins.handlers.get("AWS::S3::Bucket")?.apply(context, "Site", Object.create(null) as TemplateObject, undefined);
    const name = bucket?.ref ?? "";
    const website = String(bucket?.attributes.get("WebsiteURL")).replace(/^http:\/\//, "");
    expect(website).toBe(`${name}.s3-website-us-east-1.amazonaws.com`);
    expect(bucket?.summary).toContain("empty until a BucketDeployment writes to it");
    const early = mapped(origins, [s3("s3", String(bucket?.attributes.get("RegionalDomainName")))]);
    expect(log.lines).toEqual([]);
    const domain = await createDistribution(t.client, distributionConfig("late", early));
    const empty = await http(t.url, "GET", "/late.html", { headers: { host: domain } });
    expect(empty.status).toBe(403);
    expect(empty.body).toContain("<Code>AccessDenied</Code>");
    await origins.handlers.get("Custom::CDKBucketDeployment")?.apply(context, "Deploy", { SourceBucketNames: ["assets"], SourceObjectKeys: ["a.zip"], DestinationBucketName: name, Prune: "false" } as TemplateObject, undefined);
    const late = await http(t.url, "GET", "/late.html", { headers: { host: domain } });
    expect(late.status).toBe(200);
    expect(late.body).toBe("deployed late");
    const [asBucket] = mapped(origins, [custom("site", website, { CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: "http-only" } })]);
    expect(asBucket).toMatchObject({ DomainName: `${name}.s3.us-east-1.amazonaws.com`, S3OriginConfig: { OriginAccessIdentity: "" } });
    expect(asBucket?.CustomOriginConfig).toBeUndefined();
  });

  it("asks the distribution a deployment names (DistributionId) for an invalidation of its prefix, as the handler does", async () => {
    const log = recordingLog();
    const origins = new LocalOrigins({ originFlags: new Map(), s3Flags: new Map(), s3Sources, workDir: join(root.path, "work4"), log });
    origins.setAssets({ locate: () => ({ path: site, packaging: "zip" }) });
    const created = await t.client.send(new CreateDistributionCommand({ DistributionConfig: distributionConfig("invalidated", [s3("s3", "invalidated-bucket.s3.us-east-1.amazonaws.com")]) }));
    const id = created.Distribution?.Id ?? "";
    const context = applyContext(t.client, "Live", log, origins, origins);
    await origins.handlers.get("Custom::CDKBucketDeployment")?.apply(context, "Deploy", { SourceBucketNames: ["assets"], SourceObjectKeys: ["a.zip"], DestinationBucketName: "invalidated-bucket", DestinationBucketKeyPrefix: "site", DistributionId: id } as TemplateObject, undefined);
    const listed = await t.client.send(new ListInvalidationsCommand({ DistributionId: id }));
    expect(listed.InvalidationList?.Quantity).toBe(1);
    const invalidation = await t.client.send(new GetInvalidationCommand({ DistributionId: id, Id: listed.InvalidationList?.Items?.[0]?.Id ?? "" }));
    expect(invalidation.Invalidation?.InvalidationBatch?.Paths?.Items).toEqual(["/site/*"]);
    expect(log.lines.filter((line) => line.startsWith("warn"))).toEqual([]);
  });

  it("answers a custom origin left unmapped with 502, the log naming --origin <its domain>; that flag then maps it", async () => {
    const log = recordingLog();
    const unmapped = new LocalOrigins({ originFlags: new Map(), s3Flags: new Map(), s3Sources, workDir: join(root.path, "work3"), log });
    const domain = await createDistribution(t.client, distributionConfig("by-domain", mapped(unmapped, [custom("Legacy", "legacy.example.com")])));
    const reply = await http(t.url, "GET", "/report", { headers: { host: domain } });
    expect(reply.status).toBe(502);
    expect(edgeLogs.at(-1)?.detail).toContain("standing for legacy.example.com); map it with edgelite up --origin legacy.example.com=<url|folder>");
    const flagged = new LocalOrigins({ originFlags: new Map([["legacy.example.com", t.url]]), s3Flags: new Map(), s3Sources, workDir: join(root.path, "work3"), log });
    expect(mapped(flagged, [custom("Legacy", "legacy.example.com")])[0]).toMatchObject({ DomainName: "127.0.0.1", CustomOriginConfig: { OriginProtocolPolicy: "http-only" } });
  });

  it("answers an S3 origin on a placeholder domain with 502, the log naming --origin <logicalId>", async () => {
    const domain = await createDistribution(t.client, distributionConfig("placeholder", [s3("Express", "DirectoryBucket1.edgelite.invalid")]));
    const reply = await http(t.url, "GET", "/x", { headers: { host: domain } });
    expect(reply.status).toBe(502);
    expect(edgeLogs.at(-1)?.detail).toContain("map it with edgelite up --origin DirectoryBucket1=<url|folder>");
  });
});
