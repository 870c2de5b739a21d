import { GetFunctionCommand, ListFunctionsCommand } from "@aws-sdk/client-cloudfront";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sameValue } from "../../../src/iac/engine/engine.js";
import { IacError, type StackSource } from "../../../src/iac/types.js";
import { startTestServer, type TestServer } from "../../helpers.js";
import { engineWith, recorder } from "./recorder.js";
import { functionHandler, planOf, recordingHandler, sourceOf, type Call } from "./standIns.js";

const FN = "AWS::CloudFront::Function";
const DIST = "AWS::CloudFront::Distribution";
const code = (body: string) => `function handler(event) { ${body} return event.request; }`;
const fn = (name: string, body = "") => ({ Type: FN, Properties: { Name: name, FunctionCode: code(body), FunctionConfig: { Comment: "", Runtime: "cloudfront-js-2.0" } } });

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer("memory");
});
afterAll(async () => {
  await server.close();
});

const functionNames = async () => ((await server.client.send(new ListFunctionsCommand({ Stage: "LIVE" }))).FunctionList?.Items ?? []).map((item) => item.Name).sort();
const liveCode = async (name: string) => new TextDecoder().decode((await server.client.send(new GetFunctionCommand({ Name: name, Stage: "LIVE" }))).FunctionCode);

describe("the engine against a real server", () => {
  it("creates, leaves unchanged, updates, replaces and deletes functions, telling each once", async () => {
    const report = recorder();
    const engine = engineWith(server.client, [functionHandler], report);
    const created = await engine.apply([sourceOf("Site", { Resources: { Rewrite: fn("site-rewrite"), Headers: fn("site-headers") } })]);
    expect(created).toMatchObject({ created: 2, updated: 0, deleted: 0 });
    expect(await functionNames()).toEqual(["site-headers", "site-rewrite"]);
    expect(report.told.filter((t) => t.kind === "resource").map((t) => t.kind === "resource" && `${t.action} ${t.logicalId}`)).toEqual(["created Rewrite", "created Headers"]);

    // The same template again: nothing is sent.
    expect(await engine.apply([sourceOf("Site", { Resources: { Rewrite: fn("site-rewrite"), Headers: fn("site-headers") } })])).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    expect(report.told).toHaveLength(2);

    // New code for one, a new Name (CloudFormation replaces) for the other.
    const changed = await engine.apply([sourceOf("Site", { Resources: { Rewrite: fn("site-rewrite", "var changed = 1;"), Headers: fn("site-headers-v2") } })]);
    expect(changed).toMatchObject({ updated: 1, replaced: 1, deleted: 1 });
    expect(await liveCode("site-rewrite")).toContain("var changed = 1;");
    expect(await functionNames()).toEqual(["site-headers-v2", "site-rewrite"]);

    // Removed from the template: deleted on the server.
    expect(await engine.apply([sourceOf("Site", { Resources: { Rewrite: fn("site-rewrite", "var changed = 1;") } })])).toMatchObject({ deleted: 1, unchanged: 1 });
    expect(await functionNames()).toEqual(["site-rewrite"]);
    expect(report.told.slice(2).map((t) => t.kind === "resource" && `${t.action} ${t.logicalId} ${t.physicalId}`)).toEqual([
      "updated Rewrite site-rewrite",
      "replaced Headers site-headers-v2",
      "deleted Headers site-headers",
      "deleted Headers site-headers-v2",
    ]);

    // A stack no longer given goes with all it made.
    expect(await engine.apply([])).toMatchObject({ deleted: 1 });
    expect(await functionNames()).toEqual([]);
  });

  it("names the stack, the logical id and the server's refusal, and resumes from what was applied", async () => {
    const report = recorder();
    const engine = engineWith(server.client, [functionHandler], report);
    const bad = { ...fn("bad-runtime"), Properties: { ...fn("bad-runtime").Properties, FunctionConfig: { Comment: "", Runtime: "cloudfront-js-9.0" } } };
    const failure = await engine.apply([sourceOf("Broken", { Resources: { First: fn("broken-first"), Second: bad } })]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(IacError);
    expect((failure as IacError).message).toMatch(/^Broken\/Second \(AWS::CloudFront::Function\): the CloudFront API refused to create it: \w+: /);
    expect((failure as IacError).logicalId).toBe("Second");
    // First was made, and is not made again once Second is fixed.
    const fixed = await engine.apply([sourceOf("Broken", { Resources: { First: fn("broken-first"), Second: fn("broken-second") } })]);
    expect(fixed).toMatchObject({ created: 1, unchanged: 1 });
    await engine.apply([]);
  });
});

describe("the engine's order and bookkeeping", () => {
  const calls: Call[] = [];
  const handlers = () => [recordingHandler(FN, calls), recordingHandler(DIST, calls)];
  const distribution = (functionRef: string, extra: object = {}) => ({
    Type: DIST,
    Properties: { Name: "site-dist", DistributionConfig: { Enabled: true, Function: { "Fn::GetAtt": [functionRef, "Arn"] }, ...extra } },
  });

  it("replaces a function after its dependants moved on, and deletes removed resources dependants first", async () => {
    calls.length = 0;
    const report = recorder();
    const engine = engineWith(server.client, handlers(), report);
    await engine.apply([sourceOf("S", { Resources: { Dist: distribution("Fn"), Fn: fn("one") } })]);
    expect(calls.map((c) => `${c.op} ${c.logicalId}`)).toEqual(["apply Fn", "apply Dist"]);
    await engine.apply([sourceOf("S", { Resources: { Dist: distribution("Fn"), Fn: fn("two") } })]);
    // The new function first, then the distribution pointed at it, then the old function goes.
    expect(calls.slice(2).map((c) => `${c.op} ${c.logicalId} ${c.physicalId}`)).toEqual(["apply Fn two", "apply Dist site-dist", "delete Fn one"]);
    expect(calls[3]!.properties!.DistributionConfig).toMatchObject({ Function: "arn:two" });
    expect(calls[3]!.previous).toBe("site-dist");
    await engine.apply([sourceOf("S", { Resources: {} })]);
    expect(calls.slice(5).map((c) => `${c.op} ${c.logicalId}`)).toEqual(["delete Dist", "delete Fn"]);
  });

  it("lists each resource it does not emulate once, and lets others refer to its placeholder", async () => {
    calls.length = 0;
    const report = recorder();
    const engine = engineWith(server.client, handlers(), report);
    const template = {
      Resources: {
        Api: { Type: "AWS::ApiGateway::RestApi", Properties: { Name: "api" } },
        Nested: { Type: "AWS::CloudFormation::Stack", Properties: { TemplateURL: "https://example.com/t.json" } },
        Dist: { Type: DIST, Properties: { Name: "d", DistributionConfig: { Enabled: true, Origin: { "Fn::GetAtt": ["Api", "DomainName"] } } } },
      },
    };
    await engine.apply([sourceOf("S", template)]);
    await engine.apply([sourceOf("S", template)]);
    const notEmulated = report.told.filter((t) => t.kind === "notEmulated");
    expect(notEmulated.map((t) => t.kind === "notEmulated" && `${t.logicalId} ${t.type}`)).toEqual(["Api AWS::ApiGateway::RestApi", "Nested AWS::CloudFormation::Stack"]);
    expect(notEmulated[1]).toMatchObject({ note: expect.stringContaining("nested stacks are not followed") });
    expect(calls[0]!.properties!.DistributionConfig).toMatchObject({ Origin: "api.invalid" });
    expect(calls).toHaveLength(1);
  });

  it("tells outputs when they change, a distribution's URLs once, and feeds a stack's exports to the next", async () => {
    const report = recorder();
    const seen: Array<ReadonlyMap<string, string>> = [];
    const engine = engineWith(server.client, handlers(), report, {
      imports: new Map([["FromFlag", "flag-value"]]),
      planStack: (source: StackSource, imports) => {
        seen.push(imports);
        return planOf(source);
      },
    });
    const first = sourceOf("First", {
      Resources: { Fn: fn("exported"), Dist: distribution("Fn") },
      Outputs: { FnArn: { Value: { "Fn::GetAtt": ["Fn", "Arn"] }, Export: { Name: "SharedArn" } }, Missing: { Value: { Ref: "Nothing" } } },
    });
    const second = sourceOf("Second", { Resources: {} });
    await engine.apply([first, second]);
    expect(seen[1]).toEqual(new Map([["SharedArn", "arn:exported"], ["FromFlag", "flag-value"]]));
    const outputs = report.told.filter((t) => t.kind === "output");
    expect(outputs).toEqual([
      { kind: "output", stackName: "First", name: "FnArn", value: "arn:exported", exportName: "SharedArn" },
      { kind: "output", stackName: "First", name: "Missing", error: "Ref Nothing: no such resource" },
    ]);
    expect(report.told.filter((t) => t.kind === "distribution")).toEqual([{ kind: "distribution", stackName: "First", logicalId: "Dist", id: "site-dist", domainName: "site-dist.cloudfront.localhost", enabled: true }]);
    await engine.apply([first, second]);
    expect(report.told.filter((t) => t.kind === "output" || t.kind === "distribution")).toHaveLength(3);
    // Disabled: told again, as disabled.
    await engine.apply([sourceOf("First", { Resources: { Fn: fn("exported"), Dist: distribution("Fn", { Enabled: false }) } }), second]);
    expect(report.told.filter((t) => t.kind === "distribution").at(-1)).toMatchObject({ enabled: false });
  });

  it("warns about a delete the server refused and goes on", async () => {
    const report = recorder();
    const failing = recordingHandler(FN, []);
    const engine = engineWith(server.client, [{ ...failing, delete: async () => Promise.reject(new IacError("FunctionInUse: still associated")) }], report);
    await engine.apply([sourceOf("S", { Resources: { Fn: fn("kept") } })]);
    await expect(engine.apply([sourceOf("S", { Resources: {} })])).resolves.toMatchObject({ deleted: 0 });
    expect(report.told.at(-1)).toEqual({ kind: "warning", message: "S/Fn (AWS::CloudFront::Function): FunctionInUse: still associated (kept stays on the server)" });
  });

  it("takes logical ids and output names that are Object.prototype's names as any other", async () => {
    calls.length = 0;
    const report = recorder();
    const engine = engineWith(server.client, handlers(), report);
    const template = JSON.parse(
      '{"Resources":{"__proto__":{"Type":"AWS::SNS::Topic"},"constructor":{"Type":"AWS::CloudFront::Function","Properties":{"Name":{"Ref":"__proto__"}}},"hasOwnProperty":{"Type":"AWS::CloudFront::Function","Properties":{"Name":"own"}}},' +
        '"Outputs":{"toString":{"Value":{"Ref":"constructor"}}}}',
    ) as object;
    await engine.apply([{ stackName: "S", templateFile: "s.json", template: template as never }]);
    expect(calls.map((c) => `${c.op} ${c.logicalId} ${c.physicalId}`)).toEqual(["apply constructor s-__proto__", "apply hasOwnProperty own"]);
    expect(report.told.filter((t) => t.kind === "output")).toEqual([{ kind: "output", stackName: "S", name: "toString", value: "ref:s-__proto__" }]);
    await engine.apply([{ stackName: "S", templateFile: "s.json", template: JSON.parse('{"Resources":{}}') as never }]);
    expect(calls.slice(2).map((c) => `${c.op} ${c.logicalId}`)).toEqual(["delete hasOwnProperty", "delete constructor"]);
  });

  it("runs applies one at a time", async () => {
    calls.length = 0;
    const engine = engineWith(server.client, handlers(), recorder());
    await Promise.all([engine.apply([sourceOf("S", { Resources: { Fn: fn("a") } })]), engine.apply([sourceOf("S", { Resources: { Fn: fn("b") } })])]);
    expect(calls.map((c) => `${c.op} ${c.physicalId}`)).toEqual(["apply a", "apply b", "delete a"]);
  });
});

describe("sameValue", () => {
  it("ignores key order, not values", () => {
    const a = JSON.parse('{"x":1,"y":[1,{"z":"q"}]}') as never;
    expect(sameValue(a, JSON.parse('{"y":[1,{"z":"q"}],"x":1}') as never)).toBe(true);
    expect(sameValue(a, JSON.parse('{"y":[1,{"z":"r"}],"x":1}') as never)).toBe(false);
    expect(sameValue(a, JSON.parse('{"y":[1,{"z":"q"}],"x":1,"w":null}') as never)).toBe(false);
    expect(sameValue([1, 2] as never, [2, 1] as never)).toBe(false);
  });
});
