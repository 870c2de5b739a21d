import { DescribeLogGroupsCommand, DescribeLogStreamsCommand, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLiveFunction, http, startTestServer, type TestServer } from "../helpers.js";
import { distributionRunning, logsClient } from "./logsHelpers.js";

/** What a caller may throw at the CloudWatch Logs side: AWS's JSON errors back, never a crash or a 500. */
describe("CloudWatch Logs API: hostile input", () => {
  let t: TestServer;
  let domain: string;
  const call = (operation: string, body: string) =>
    http(t.url, "POST", "/", { headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `Logs_20140328.${operation}` }, body });
  const errorOf = async (operation: string, body: string) => {
    const res = await call(operation, body);
    expect(res.headers["content-type"]).toBe("application/x-amz-json-1.1");
    const parsed = JSON.parse(res.body) as { __type: string; message: string };
    expect(res.headers["x-amzn-errortype"]).toBe(parsed.__type);
    return { status: res.status, ...parsed };
  };

  beforeAll(async () => {
    t = await startTestServer("memory");
    ({ domain } = await distributionRunning(t, await createLiveFunction(t.client, "hostile-logs", "function handler(e) { console.log('\\u0000\\u001b[2J' + e.request.uri); return { statusCode: 200 }; }"), "hostile"));
  });
  afterAll(async () => {
    await t.close();
  });

  it.each([
    ["not JSON", "DescribeLogGroups", "{", "SerializationException"],
    ["a JSON array", "DescribeLogGroups", "[]", "SerializationException"],
    ["a JSON string", "DescribeLogGroups", '"x"', "SerializationException"],
    ["limit as a string", "DescribeLogGroups", '{"limit":"5"}', "SerializationException"],
    ["limit as a fraction", "DescribeLogGroups", '{"limit":1.5}', "SerializationException"],
    ["limit 0", "DescribeLogGroups", '{"limit":0}', "InvalidParameterException"],
    ["limit 51", "DescribeLogGroups", '{"limit":51}', "InvalidParameterException"],
    ["a prefix as an object", "DescribeLogGroups", '{"logGroupNamePrefix":{"__proto__":{"x":1}}}', "SerializationException"],
    ["a 100,000-character prefix", "DescribeLogGroups", JSON.stringify({ logGroupNamePrefix: "a".repeat(100_000) }), "InvalidParameterException"],
    ["a prefix outside the pattern", "DescribeLogGroups", '{"logGroupNamePrefix":"a b"}', "InvalidParameterException"],
    ["a forged nextToken", "DescribeLogGroups", '{"nextToken":"groups/99999999999"}', "InvalidParameterException"],
    ["no group", "DescribeLogStreams", "{}", "InvalidParameterException"],
    ["both group members", "DescribeLogStreams", '{"logGroupName":"a","logGroupIdentifier":"a"}', "InvalidParameterException"],
    ["orderBy outside the enum", "DescribeLogStreams", '{"logGroupName":"a","orderBy":"Size"}', "InvalidParameterException"],
    ["descending as a string", "DescribeLogStreams", '{"logGroupName":"a","descending":"true"}', "SerializationException"],
    ["a __proto__ group", "DescribeLogStreams", '{"logGroupName":"__proto__"}', "ResourceNotFoundException"],
    ["a constructor group", "DescribeLogStreams", '{"logGroupName":"constructor"}', "ResourceNotFoundException"],
    ["no stream name", "GetLogEvents", '{"logGroupName":"a"}', "InvalidParameterException"],
    ["a negative startTime", "GetLogEvents", '{"logGroupName":"a","logStreamName":"s","startTime":-1}', "InvalidParameterException"],
    ["a huge startTime", "GetLogEvents", '{"logGroupName":"a","logStreamName":"s","startTime":1e300}', "SerializationException"],
    ["a stream name with :", "GetLogEvents", '{"logGroupName":"a","logStreamName":"a:b"}', "InvalidParameterException"],
    ["logStreamNames not a list", "FilterLogEvents", '{"logGroupName":"a","logStreamNames":"s"}', "SerializationException"],
    ["an empty logStreamNames", "FilterLogEvents", '{"logGroupName":"a","logStreamNames":[]}', "InvalidParameterException"],
    ["101 stream names", "FilterLogEvents", JSON.stringify({ logGroupName: "a", logStreamNames: Array.from({ length: 101 }, (_, i) => `s${i}`) }), "InvalidParameterException"],
    ["a number among stream names", "FilterLogEvents", '{"logGroupName":"a","logStreamNames":[1]}', "SerializationException"],
    ["a 2,000-character pattern", "FilterLogEvents", JSON.stringify({ logGroupName: "a", filterPattern: "x".repeat(2000) }), "InvalidParameterException"],
  ])("%s → %s", async (_what, operation, body, code) => {
    const error = await errorOf(operation, body);
    expect(error.__type).toBe(code);
    expect(error.status).toBe(400);
    expect(error.message.length).toBeLessThan(1000);
  });

  it("an unknown or absurd target is UnknownOperationException; a GET with the header is CloudFront's", async () => {
    for (const target of ["Logs_20140328.", "Logs_20140328.__proto__", `Logs_20140328.${"X".repeat(10_000)}`]) {
      const res = await http(t.url, "POST", "/", { headers: { "x-amz-target": target }, body: "{}" });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body).__type).toBe("UnknownOperationException");
      expect(res.body.length).toBeLessThan(1000);
    }
    const get = await http(t.url, "GET", "/", { headers: { "x-amz-target": "Logs_20140328.DescribeLogGroups" } });
    expect(get.headers["content-type"]).toBe("text/xml");
  });

  it("a function's control characters reach the API as data; the server still answers afterwards", async () => {
    await http(t.url, "GET", "/x", { headers: { host: domain } });
    const logs = logsClient(t.url);
    const group = "/aws/cloudfront/function/hostile-logs";
    const { logStreams } = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group }));
    const { events } = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: logStreams![0]!.logStreamName! }));
    expect(events![1]!.message).toMatch(/ \u0000\u001b\[2J\/x$/);
    expect((await logs.send(new DescribeLogGroupsCommand({}))).logGroups).toHaveLength(1);
    logs.destroy();
  });

  it("with --auth, an unsigned call is refused in the Logs protocol's shape", async () => {
    const signed = await startTestServer("memory", { access: { credentials: new Map([["AKIDEXAMPLE", "secret"]]) } });
    try {
      const res = await http(signed.url, "POST", "/", { headers: { "x-amz-target": "Logs_20140328.DescribeLogGroups", "content-type": "application/x-amz-json-1.1" }, body: "{}" });
      expect(res.headers["content-type"]).toBe("application/x-amz-json-1.1");
      expect(JSON.parse(res.body).__type).toBe("MissingAuthenticationToken");
      const logs = logsClient(signed.url);
      expect((await logs.send(new DescribeLogGroupsCommand({}))).logGroups).toEqual([]);
      logs.destroy();
    } finally {
      await signed.close();
    }
  });
});
