import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EdgeLogEntry } from "../../../src/edge/edge.js";
import { LocalOrigins } from "../../../src/iac/origins/localOrigins.js";
import { CLOUDFRONT_HANDLERS } from "../../../src/iac/resources/index.js";
import { loadStacks, StackModel, type AttributeSource } from "../../../src/iac/template/index.js";
import type { Applied } from "../../../src/iac/types.js";
import { http, startTestServer, tempDir, type TestServer } from "../../helpers.js";
import { ACCOUNT, applyContext, recordingLog, REGION, synth } from "./support.js";

const APP = `
import * as cdk from "aws-cdk-lib";
import * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import * as origins from "aws-cdk-lib/aws-cloudfront-origins";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as s3 from "aws-cdk-lib/aws-s3";
import * as s3deploy from "aws-cdk-lib/aws-s3-deployment";
const app = new cdk.App();
const stack = new cdk.Stack(app, "OriginsStack");
const bucket = new s3.Bucket(stack, "Site");
new s3deploy.BucketDeployment(stack, "Deploy", {
  sources: [
    s3deploy.Source.asset("site"),
    s3deploy.Source.data("x/y.txt", "hello from Source.data"),
    s3deploy.Source.jsonData("config.json", { bucket: bucket.bucketName, quote: 'say "hi"' }),
  ],
  destinationBucket: bucket,
  destinationKeyPrefix: "web/",
});
const fn = new lambda.Function(stack, "Api", { runtime: lambda.Runtime.NODEJS_22_X, handler: "index.handler", code: lambda.Code.fromInline("exports.handler = async () => ({})") });
const url = fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
new cloudfront.Distribution(stack, "Dist", {
  defaultBehavior: { origin: origins.S3BucketOrigin.withOriginAccessControl(bucket) },
  additionalBehaviors: { "/api/*": { origin: new origins.FunctionUrlOrigin(url) } },
});
app.synth();
`;

describe("a synthesized CDK app through the template and resources rooms: a BucketDeployment served by the edge, a Lambda URL origin as a placeholder, then mapped", () => {
  const dir = tempDir("edgelite-origins-cdk-");
  const work = tempDir("edgelite-origins-work-");
  const s3Sources = new Map<string, string>();
  const edgeLogs: EdgeLogEntry[] = [];
  const log = recordingLog();
  let t: TestServer;
  let origins: LocalOrigins;
  let model: StackModel;
  let applied: Map<string, Applied>;
  let local: Server;

  const attributes: AttributeSource = { ref: (id) => applied.get(id)?.ref, getAtt: (id, attribute) => applied.get(id)?.attributes.get(attribute) };
  const handlerFor = (localOrigins: LocalOrigins, type: string) => CLOUDFRONT_HANDLERS.get(type) ?? localOrigins.handlers.get(type);

  /** Applies one resource as the engine will: its handler, else a placeholder. */
  async function apply(localOrigins: LocalOrigins, logicalId: string): Promise<void> {
    const resource = model.resources.get(logicalId);
    const type = resource?.type ?? "";
    const properties = model.resolve(logicalId, attributes);
    const handler = handlerFor(localOrigins, type);
    const context = applyContext(t.client, model.stackName, log, localOrigins, localOrigins);
    applied.set(logicalId, handler ? await handler.apply(context, logicalId, properties, applied.get(logicalId)) : localOrigins.notEmulated(model.stackName, logicalId, type, properties));
  }

  const distributionDomain = () => String(applied.get("DistB3B78991")?.attributes.get("DomainName") ?? "");
  const get = (path: string) => http(t.url, "GET", path, { headers: { host: distributionDomain() } });

  beforeAll(async () => {
    const out = synth(dir.path, APP, { "site/index.html": "<h1>from the site folder</h1>", "site/css/app.css": "body{}" });
    t = await startTestServer("memory", { s3Sources, onEdgeRequest: (entry) => edgeLogs.push(entry) });
    origins = new LocalOrigins({ originFlags: new Map(), s3Flags: new Map(), s3Sources, workDir: work.path, log, region: REGION, accountId: ACCOUNT });
    const loaded = loadStacks(out, { region: REGION, accountId: ACCOUNT });
    origins.setAssets(loaded.assets);
    const [stack] = loaded.stacks;
    if (stack === undefined) throw new Error("no stack synthesized");
    model = StackModel.build(stack, { region: REGION, accountId: ACCOUNT, parameters: new Map(), imports: new Map() });
    applied = new Map();
    for (const logicalId of model.order) await apply(origins, logicalId);
    local = createServer((req, res) => res.writeHead(200, { "content-type": "text/plain" }).end(`local api ${req.url}`));
    await new Promise<void>((done) => local.listen(0, "127.0.0.1", done));
  }, 120_000);

  afterAll(async () => {
    origins.close();
    await t.close();
    await new Promise((done) => local.close(done));
    dir.remove();
    work.remove();
  });

  it("materializes the deployment under its prefix (a staged folder, Source.data, Source.jsonData with its marker) and registers the bucket", () => {
    const bucket = applied.get("SiteE53D7754")?.ref ?? "";
    expect(bucket).toMatch(/^originsstack-sitee53d7754-[a-z2-7]{12}$/);
    const folder = s3Sources.get(bucket) ?? "";
    expect(folder).toBe(join(work.path, bucket));
    expect(readFileSync(join(folder, "web", "index.html"), "utf8")).toBe("<h1>from the site folder</h1>");
    expect(readFileSync(join(folder, "web", "css", "app.css"), "utf8")).toBe("body{}");
    expect(readFileSync(join(folder, "web", "x", "y.txt"), "utf8")).toBe("hello from Source.data");
    expect(JSON.parse(readFileSync(join(folder, "web", "config.json"), "utf8"))).toEqual({ bucket, quote: 'say "hi"' });
    expect(applied.get("DeployCustomResource218AF6A4")?.summary).toBe(`4 objects in s3://${bucket}/web/`);
  });

  it("serves the deployed objects through the distribution, over HTTP; the Lambda URL origin answers 502 naming --origin", async () => {
    const page = await get("/web/index.html");
    expect(page.status).toBe(200);
    expect(page.body).toBe("<h1>from the site folder</h1>");
    expect((await get("/web/config.json")).body).toContain('"quote":"say \\"hi\\""');
    expect((await get("/web/missing.html")).status).toBe(403);

    const api = await get("/api/items");
    expect(api.status).toBe(502);
    const detail = edgeLogs.at(-1)?.detail ?? "";
    expect(detail).toContain("--origin ApiFunctionUrl46E4ABDE=<url|folder>");
    expect(detail).toContain("ApiFunctionUrl46E4ABDE.edgelite.invalid");
    expect(log.lines.some((line) => line.startsWith("warn DistB3B78991: origin OriginsStackDistOrigin25407E834") && line.includes("--origin ApiFunctionUrl46E4ABDE="))).toBe(true);
  });

  it("maps the placeholder origin with --origin <logicalId>=<url> to a real local server when the distribution is applied again", async () => {
    const port = (local.address() as AddressInfo).port;
    const mapped = new LocalOrigins({ originFlags: new Map([["ApiFunctionUrl46E4ABDE", `http://127.0.0.1:${port}/v1`]]), s3Flags: new Map(), s3Sources, workDir: work.path, log, region: REGION, accountId: ACCOUNT });
    await apply(mapped, "DistB3B78991");
    const api = await get("/api/items");
    expect(api.status).toBe(200);
    expect(api.body).toBe("local api /v1/api/items");
    expect((await get("/web/index.html")).status).toBe(200);
  });

  it("prunes: a second deployment of fewer sources removes what the first wrote under the prefix, and keeps what is outside it", async () => {
    const bucket = applied.get("SiteE53D7754")?.ref ?? "";
    const handler = origins.handlers.get("Custom::CDKBucketDeployment");
    const properties = model.resolve("DeployCustomResource218AF6A4", attributes);
    const context = applyContext(t.client, model.stackName, log, origins, origins);
    const outside = await handler?.apply(context, "Other", { ...properties, DestinationBucketKeyPrefix: "keep/" }, undefined);
    expect(outside?.summary).toContain("keep/");
    const fewer = { ...properties, SourceBucketNames: (properties.SourceBucketNames as string[]).slice(1, 2), SourceObjectKeys: (properties.SourceObjectKeys as string[]).slice(1, 2), SourceMarkers: [], SourceMarkersConfig: [] };
    await handler?.apply(context, "DeployCustomResource218AF6A4", fewer, applied.get("DeployCustomResource218AF6A4"));
    const folder = join(work.path, bucket);
    expect(existsSync(join(folder, "web", "index.html"))).toBe(false);
    expect(existsSync(join(folder, "web", "css"))).toBe(false);
    expect(readFileSync(join(folder, "web", "x", "y.txt"), "utf8")).toBe("hello from Source.data");
    expect(existsSync(join(folder, "keep", "index.html"))).toBe(true);
  });
});
