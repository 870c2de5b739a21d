import {
  type CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  paginateDescribeLogGroups,
  type CloudWatchLogsServiceException,
} from "@aws-sdk/client-cloudwatch-logs";
import { TestFunctionCommand, DescribeFunctionCommand } from "@aws-sdk/client-cloudfront";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLiveFunction, encode, http, startTestServer, type TestServer } from "../helpers.js";
import { distributionRunning, logsClient } from "./logsHelpers.js";

/** A function that answers itself (no origin is needed) after logging what it saw. */
const LOGGING = `function handler(event) {
  console.log("looking up " + event.request.uri);
  if (event.request.querystring.n) for (var i = 0; i < Number(event.request.querystring.n.value); i++) console.log("line " + i);
  if (event.request.uri === "/boom") throw new Error("boom at " + event.request.uri);
  return { statusCode: 200, statusDescription: "OK" };
}`;
const SILENT = "function handler(event) { return { statusCode: 204, statusDescription: 'No Content' }; }";

async function failure(promise: Promise<unknown>): Promise<CloudWatchLogsServiceException> {
  try {
    await promise;
  } catch (error) {
    return error as CloudWatchLogsServiceException;
  }
  throw new Error("expected the call to fail");
}

describe("CloudWatch Logs API: function logs of LIVE runs at the edge", () => {
  let t: TestServer;
  let logs: CloudWatchLogsClient;
  let domain: string;
  let distributionId: string;
  let silentDomain: string;
  const group = "/aws/cloudfront/function/logs-rewrite";
  const get = (host: string, path: string) => http(t.url, "GET", path, { headers: { host } });

  beforeAll(async () => {
    t = await startTestServer("memory");
    logs = logsClient(t.url);
    ({ domain, id: distributionId } = await distributionRunning(t, await createLiveFunction(t.client, "logs-rewrite", LOGGING), "logs"));
    ({ domain: silentDomain } = await distributionRunning(t, await createLiveFunction(t.client, "logs-silent", SILENT), "silent"));
  });
  afterAll(async () => {
    logs.destroy();
    await t.close();
  });

  it("a request through the distribution writes START, the function's line and END to its group and today's stream", async () => {
    const res = await get(domain, "/blog");
    expect(res.status).toBe(200);
    const requestId = String(res.headers["x-amz-cf-id"]);

    const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }));
    expect(groups.logGroups).toEqual([
      expect.objectContaining({ logGroupName: group, logGroupArn: `arn:aws:logs:us-east-1:123456789012:log-group:${group}`, arn: `arn:aws:logs:us-east-1:123456789012:log-group:${group}:*`, creationTime: expect.any(Number), storedBytes: expect.any(Number) }),
    ]);
    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group }));
    expect(streams.logStreams).toHaveLength(1);
    const stream = streams.logStreams![0]!;
    const today = new Date();
    expect(stream.logStreamName).toMatch(new RegExp(`^${today.getUTCFullYear()}/${today.getUTCMonth() + 1}/${today.getUTCDate()}/[0-9a-f]{32}$`));

    const events = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream.logStreamName!, startFromHead: true }));
    const ours = events.events!.filter((event) => event.message!.startsWith(`${requestId} `));
    expect(ours.map((event) => event.message)).toEqual([`${requestId} START DistributionID: ${distributionId}`, `${requestId} looking up /blog`, `${requestId} END`]);
    for (const event of ours) expect(event).toEqual({ timestamp: expect.any(Number), ingestionTime: expect.any(Number), message: expect.any(String) });
    expect(Math.abs(ours[0]!.timestamp! - Date.now())).toBeLessThan(60_000);
  });

  it("a run that throws adds its error before END; a function that logs nothing sends nothing", async () => {
    const res = await get(domain, "/boom");
    expect(res.status).toBe(503);
    const requestId = String(res.headers["x-amz-cf-id"]);
    const found = await logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: `"${requestId}"` }));
    expect(found.events!.map((event) => event.message)).toEqual([`${requestId} START DistributionID: ${distributionId}`, `${requestId} looking up /boom`, `${requestId} ERROR Error: boom at /boom`, `${requestId} END`]);

    expect((await get(silentDomain, "/")).status).toBe(204);
    const silent = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/aws/cloudfront/function/logs-silent" }));
    expect(silent.logGroups).toEqual([]);
  });

  it("TestFunction's logs are in its answer only, not in CloudWatch Logs", async () => {
    const name = "logs-tested-only";
    await createLiveFunction(t.client, name, LOGGING);
    const { ETag } = await t.client.send(new DescribeFunctionCommand({ Name: name }));
    const event = { version: "1.0", context: { eventType: "viewer-request" }, viewer: { ip: "1.2.3.4" }, request: { method: "GET", uri: "/t", querystring: {}, headers: {}, cookies: {} } };
    const tested = await t.client.send(new TestFunctionCommand({ Name: name, IfMatch: ETag, EventObject: encode(JSON.stringify(event)) }));
    expect(tested.TestResult!.FunctionExecutionLogs).toEqual(["looking up /t"]);
    expect((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: `/aws/cloudfront/function/${name}` }))).logGroups).toEqual([]);
  });

  it("DescribeLogGroups: prefix, pattern (any case), pages of `limit` with nextToken", async () => {
    for (const name of ["logs-page-a", "logs-page-b", "logs-page-c"]) {
      const { domain: d } = await distributionRunning(t, await createLiveFunction(t.client, name, LOGGING), name);
      expect((await get(d, "/")).status).toBe(200);
    }
    const prefix = "/aws/cloudfront/function/logs-page-";
    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeLogGroups({ client: logs, pageSize: 2 }, { logGroupNamePrefix: prefix })) {
      pages++;
      names.push(...page.logGroups!.map((g) => g.logGroupName!));
    }
    expect(names).toEqual([`${prefix}a`, `${prefix}b`, `${prefix}c`]);
    expect(pages).toBe(2);
    const byPattern = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: "PAGE-B" }));
    expect(byPattern.logGroups!.map((g) => g.logGroupName)).toEqual([`${prefix}b`]);
    const both = await failure(logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/aws", logGroupNamePattern: "x" })));
    expect(both.name).toBe("InvalidParameterException");
    const all = await logs.send(new DescribeLogGroupsCommand({}));
    expect(all.logGroups!.map((g) => g.logGroupName)).toEqual([...all.logGroups!.map((g) => g.logGroupName!)].sort());
  });

  it("GetLogEvents: pages forward and backward; at either end the same token comes back", async () => {
    const res = await get(domain, "/paged?n=5");
    const requestId = String(res.headers["x-amz-cf-id"]);
    const stream = (await logs.send(new DescribeLogStreamsCommand({ logGroupName: group }))).logStreams![0]!.logStreamName!;
    const all = (await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true }))).events!.map((e) => e.message);
    expect(all.slice(-8)).toEqual([`${requestId} START DistributionID: ${distributionId}`, `${requestId} looking up /paged`, ...[0, 1, 2, 3, 4].map((i) => `${requestId} line ${i}`), `${requestId} END`]);

    // From the head, 3 at a time, until the forward token stops moving.
    const forward: string[] = [];
    let token: string | undefined;
    for (let i = 0; i < 100; i++) {
      const page = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true, limit: 3, ...(token ? { nextToken: token } : {}) }));
      forward.push(...page.events!.map((e) => e.message!));
      if (page.nextForwardToken === token) {
        expect(page.events).toEqual([]);
        break;
      }
      token = page.nextForwardToken;
    }
    expect(forward).toEqual(all);

    // The newest 3 (no token, startFromHead false), then backward to the start.
    const newest = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, limit: 3 }));
    expect(newest.events!.map((e) => e.message)).toEqual(all.slice(-3));
    const backward: string[][] = [newest.events!.map((e) => e.message!)];
    let back = newest.nextBackwardToken;
    for (let i = 0; i < 100; i++) {
      const page = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, limit: 3, nextToken: back }));
      if (page.nextBackwardToken === back) {
        expect(page.events).toEqual([]);
        break;
      }
      backward.unshift(page.events!.map((e) => e.message!));
      back = page.nextBackwardToken;
    }
    expect(backward.flat()).toEqual(all);

    // endTime excludes events at or after it; startTime includes those at it.
    const first = (await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true, limit: 1 }))).events![0]!;
    const none = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, endTime: first.timestamp! }));
    expect(none.events).toEqual([]);
    const fromFirst = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startTime: first.timestamp!, startFromHead: true, limit: 1 }));
    expect(fromFirst.events![0]!.message).toBe(first.message);
  });

  it("FilterLogEvents: terms, quoted phrases, ?any and -excluded terms, pages, the stream's name and an event id", async () => {
    const res = await get(domain, "/filter?n=3");
    const requestId = String(res.headers["x-amz-cf-id"]);
    // Quoted: an id may begin with "-", which unquoted would make it an excluded term.
    const id = `"${requestId}"`;
    const messages = async (filterPattern: string) => (await logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern }))).events!.map((e) => e.message);
    expect(await messages(`${id} line`)).toEqual([0, 1, 2].map((i) => `${requestId} line ${i}`));
    expect(await messages(`"${requestId} line 1"`)).toEqual([`${requestId} line 1`]);
    expect(await messages(`${id} -line`)).toEqual([`${requestId} START DistributionID: ${distributionId}`, `${requestId} looking up /filter`, `${requestId} END`]);
    expect(await messages(`${id} ?START ?END`)).toEqual([`${requestId} START DistributionID: ${distributionId}`, `${requestId} END`]);
    // Terms are case-sensitive.
    expect(await messages(`${id} LINE`)).toEqual([]);

    const paged: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: id, limit: 2, ...(nextToken ? { nextToken } : {}) }));
      pages++;
      for (const event of page.events!) {
        expect(event.logStreamName).toMatch(/^\d{4}\/\d{1,2}\/\d{1,2}\/[0-9a-f]{32}$/);
        expect(event.eventId).toMatch(/^\d+$/);
      }
      paged.push(...page.events!.map((e) => e.message!));
      nextToken = page.nextToken;
    } while (nextToken && pages < 10);
    expect(paged).toHaveLength(6);
    expect(pages).toBe(3);

    const unsupported = await failure(logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: "{ $.level = 1 }" })));
    expect(unsupported.name).toBe("InvalidParameterException");
    expect(unsupported.message).toContain("not supported");
    const both = await failure(logs.send(new FilterLogEventsCommand({ logGroupName: group, logStreamNames: ["x"], logStreamNamePrefix: "x" })));
    expect(both.name).toBe("InvalidParameterException");
  });

  it("ResourceNotFoundException for a group or stream that does not exist, in AWS's words", async () => {
    const noGroup = await failure(logs.send(new DescribeLogStreamsCommand({ logGroupName: "/aws/cloudfront/function/nope" })));
    expect(noGroup.name).toBe("ResourceNotFoundException");
    expect(noGroup.message).toBe("The specified log group does not exist.");
    expect(noGroup.$metadata.httpStatusCode).toBe(400);
    const byArn = await failure(logs.send(new GetLogEventsCommand({ logGroupIdentifier: "arn:aws:logs:us-east-1:123456789012:log-group:/nope", logStreamName: "s" })));
    expect(byArn.name).toBe("ResourceNotFoundException");
    const noStream = await failure(logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: "2020/1/1/nope" })));
    expect(noStream.name).toBe("ResourceNotFoundException");
    expect(noStream.message).toBe("The specified log stream does not exist.");
    // A group named by its ARN (without the trailing :* that DescribeLogGroups' `arn` has) is found.
    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupIdentifier: `arn:aws:logs:us-east-1:123456789012:log-group:${group}`, orderBy: "LastEventTime", descending: true }));
    expect(streams.logStreams).toHaveLength(1);
    const badOrder = await failure(logs.send(new DescribeLogStreamsCommand({ logGroupName: group, orderBy: "LastEventTime", logStreamNamePrefix: "2" })));
    expect(badOrder.name).toBe("InvalidParameterException");
  });

  it("an operation edgelite does not serve is UnknownOperationException; the CloudFront API is unchanged", async () => {
    const res = await http(t.url, "POST", "/", { headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "Logs_20140328.PutLogEvents" }, body: "{}" });
    expect(res.status).toBe(400);
    expect(res.headers["content-type"]).toBe("application/x-amz-json-1.1");
    expect(res.headers["x-amzn-errortype"]).toBe("UnknownOperationException");
    expect(JSON.parse(res.body)).toEqual({ __type: "UnknownOperationException", message: expect.stringContaining("FilterLogEvents") });
    expect((await http(t.url, "GET", "/2020-05-31/function")).status).toBe(200);
  });
});
