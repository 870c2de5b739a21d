import { DescribeLogGroupsCommand, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../../src/clock.js";
import { parseFilterPattern } from "../../src/service/filterPattern.js";
import { FunctionLogStore, LOG_EVENT_OVERHEAD_BYTES } from "../../src/service/functionLogs.js";
import { LogsError } from "../../src/service/logsErrors.js";
import { createLiveFunction, http, startTestServer, type TestServer } from "../helpers.js";
import { distributionRunning, logsClient } from "./logsHelpers.js";

const run = (functionName: string, requestId: string, lines: string[], error?: string) => ({ functionName, requestId, distributionId: "EDFDVBD6EXAMPLE", lines, ...(error !== undefined ? { error } : {}) });
const messages = (store: FunctionLogStore, functionName: string) => store.filterEvents({ group: FunctionLogStore.groupName(functionName) }).events.map((event) => event.message);

describe("the function log store", () => {
  it("names streams by the UTC day of the run and stamps events with the injected clock", () => {
    const clock = new FixedClock(new Date("2021-12-01T23:59:59.500Z"));
    const store = new FunctionLogStore({ clock, accountId: "123456789012" });
    store.record(run("f", "r1", ["a"]));
    clock.advance(1000);
    store.record(run("f", "r2", ["b"]));
    const streams = store.describeStreams({ group: "/aws/cloudfront/function/f" }).items;
    expect(streams.map((stream) => stream.name.replace(/[0-9a-f]{32}$/, "ID"))).toEqual(["2021/12/1/ID", "2021/12/2/ID"]);
    expect(streams[0]).toMatchObject({ creationTime: Date.parse("2021-12-01T23:59:59.500Z"), firstEventTimestamp: Date.parse("2021-12-01T23:59:59.500Z"), lastIngestionTime: Date.parse("2021-12-01T23:59:59.500Z") });
    const newestFirst = store.describeStreams({ group: "/aws/cloudfront/function/f", orderBy: "LastEventTime", descending: true }).items.map((stream) => stream.name.slice(0, 9));
    expect(newestFirst).toEqual(["2021/12/2", "2021/12/1"]);
    expect(messages(store, "f")).toEqual(["r1 START DistributionID: EDFDVBD6EXAMPLE", "r1 a", "r1 END", "r2 START DistributionID: EDFDVBD6EXAMPLE", "r2 b", "r2 END"]);
  });

  it("keeps at most maxEventsPerGroup events in a group, dropping the oldest first", () => {
    const store = new FunctionLogStore({ clock: new FixedClock(new Date(0)), accountId: "123456789012", retention: { maxEventsPerGroup: 4 } });
    store.record(run("f", "r1", ["one"]));
    store.record(run("f", "r2", ["two"]));
    store.record(run("g", "r3", ["three"]));
    expect(messages(store, "f")).toEqual(["r1 END", "r2 START DistributionID: EDFDVBD6EXAMPLE", "r2 two", "r2 END"]);
    expect(messages(store, "g")).toHaveLength(3);
  });

  it("keeps at most maxEvents overall and maxBytes overall, the oldest events going first whichever group holds them", () => {
    const store = new FunctionLogStore({ clock: new FixedClock(new Date(0)), accountId: "123456789012", retention: { maxEvents: 5 } });
    store.record(run("f", "r1", ["one"]));
    store.record(run("g", "r2", ["two"]));
    expect(messages(store, "f")).toEqual(["r1 one", "r1 END"]);
    expect(messages(store, "g")).toHaveLength(3);
    store.record(run("g", "r3", ["three"]));
    expect(messages(store, "g")).toEqual(["r2 two", "r2 END", "r3 START DistributionID: EDFDVBD6EXAMPLE", "r3 three", "r3 END"]);
    // f's last event went: its group goes with it.
    expect(store.describeGroups({}).items.map((group) => group.name)).toEqual(["/aws/cloudfront/function/g"]);

    const line = "x".repeat(100);
    const eventBytes = (message: string) => Buffer.byteLength(message) + LOG_EVENT_OVERHEAD_BYTES;
    const bytes = new FunctionLogStore({ clock: new FixedClock(new Date(0)), accountId: "123456789012", retention: { maxBytes: 3 * eventBytes(`r ${line}`) } });
    bytes.record(run("f", "r", [line, line, line, line]));
    expect(messages(bytes, "f")).toEqual([`r ${line}`, `r ${line}`, "r END"]);
    expect(bytes.describeGroups({}).items[0]!.storedBytes).toBeLessThanOrEqual(3 * eventBytes(`r ${line}`));
  });

  it("a run that logged nothing and did not fail leaves nothing; one that failed leaves its error before END", () => {
    const store = new FunctionLogStore({ clock: new FixedClock(new Date(0)), accountId: "123456789012" });
    store.record(run("quiet", "r1", []));
    expect(store.describeGroups({}).items).toEqual([]);
    store.record(run("thrower", "r2", [], "TypeError: x is not a function"));
    expect(messages(store, "thrower")).toEqual(["r2 START DistributionID: EDFDVBD6EXAMPLE", "r2 ERROR TypeError: x is not a function", "r2 END"]);
  });

  it("refuses tokens it did not make", () => {
    const store = new FunctionLogStore({ clock: new FixedClock(new Date(0)), accountId: "123456789012" });
    store.record(run("f", "r", ["a"]));
    const stream = store.describeStreams({ group: "/aws/cloudfront/function/f" }).items[0]!.name;
    for (const nextToken of ["x", "f/-1", "b/1e9", "f/123456789012345678901", "groups/abc"]) {
      expect(() => store.getEvents({ group: "/aws/cloudfront/function/f", stream, nextToken })).toThrow(LogsError);
      expect(() => store.filterEvents({ group: "/aws/cloudfront/function/f", nextToken })).toThrow(LogsError);
      expect(() => store.describeGroups({ nextToken })).toThrow(LogsError);
    }
  });

  it("reads term patterns; refuses JSON, space-delimited and regex patterns and an unclosed quote", () => {
    expect(parseFilterPattern(' ERROR  "two words" ?a ?b -debug "with \\"quote\\""')).toEqual({ required: ["ERROR", "two words", 'with "quote"'], anyOf: ["a", "b"], excluded: ["debug"] });
    expect(parseFilterPattern("   ")).toEqual({ required: [], anyOf: [], excluded: [] });
    for (const pattern of ["{ $.a = 1 }", "[ip, user]", "%ab+c%", '"open']) expect(() => parseFilterPattern(pattern)).toThrow(LogsError);
  });
});

describe("retention through the API (a small injected bound)", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer("memory", { functionLogRetention: { maxEventsPerGroup: 7 } });
  });
  afterAll(async () => {
    await t.close();
  });

  it("a group never holds more than its bound, and the newest run is whole", async () => {
    const code = "function handler(event) { console.log('a'); console.log('b'); return { statusCode: 200 }; }";
    const { domain } = await distributionRunning(t, await createLiveFunction(t.client, "bounded", code), "bounded");
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(String((await http(t.url, "GET", "/", { headers: { host: domain } })).headers["x-amz-cf-id"]));
    const logs = logsClient(t.url);
    const found = await logs.send(new FilterLogEventsCommand({ logGroupName: "/aws/cloudfront/function/bounded" }));
    expect(found.events).toHaveLength(7);
    const last = ids[4]!;
    expect(found.events!.slice(-4).map((e) => e.message)).toEqual([expect.stringMatching(new RegExp(`^${last.replace(/[^\w]/g, "\\$&")} START DistributionID: E`)), `${last} a`, `${last} b`, `${last} END`]);
    const groups = await logs.send(new DescribeLogGroupsCommand({}));
    expect(groups.logGroups!.map((g) => g.logGroupName)).toEqual(["/aws/cloudfront/function/bounded"]);
    logs.destroy();
  });
});
