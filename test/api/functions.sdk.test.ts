import {
  CloudFrontServiceException,
  CreateFunctionCommand,
  CreateKeyValueStoreCommand,
  DeleteFunctionCommand,
  DescribeFunctionCommand,
  FunctionAlreadyExists,
  FunctionSizeLimitExceeded,
  GetFunctionCommand,
  InvalidArgument,
  InvalidIfMatchVersion,
  ListFunctionsCommand,
  NoSuchFunctionExists,
  PreconditionFailed,
  PublishFunctionCommand,
  TestFunctionCommand,
  TooManyFunctions,
  UpdateFunctionCommand,
  type FunctionSummary,
} from "@aws-sdk/client-cloudfront";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decode, encode, HANDLER, startTestServer, type StoreKind, type TestServer, rejection } from "../helpers.js";

const KVS_ARN = "arn:aws:cloudfront::123456789012:key-value-store/8aa76c93-3198-462c-aaf6-0123456789ab";


describe.each<StoreKind>(["sqlite", "memory"])("CloudFront Functions API through @aws-sdk/client-cloudfront (%s store)", (kind) => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer(kind, { maxFunctions: 6 });
  });
  afterEach(async () => {
    await t.close();
  });

  const create = (name: string, options: { runtime?: "cloudfront-js-1.0" | "cloudfront-js-2.0"; comment?: string; code?: string; arns?: string[] } = {}) =>
    t.client.send(
      new CreateFunctionCommand({
        Name: name,
        FunctionConfig: {
          Comment: options.comment ?? "",
          Runtime: options.runtime ?? "cloudfront-js-2.0",
          ...(options.arns ? { KeyValueStoreAssociations: { Quantity: options.arns.length, Items: options.arns.map((arn) => ({ KeyValueStoreARN: arn })) } } : {}),
        },
        FunctionCode: encode(options.code ?? HANDLER),
      }),
    );

  describe("CreateFunction", () => {
    it("creates a DEVELOPMENT function with CloudFront's first ETag, a Location and the summary", async () => {
      const out = await create("hello", { comment: "adds a header & <more>" });
      expect(out.$metadata.httpStatusCode).toBe(201);
      expect(out.ETag).toBe("ETVPDKIKX0DER");
      expect(out.Location).toBe("https://cloudfront.amazonaws.com/2020-05-31/function/arn:aws:cloudfront::123456789012:function/hello");
      const summary = out.FunctionSummary!;
      expect(summary.Name).toBe("hello");
      expect(summary.Status).toBe("UNPUBLISHED");
      expect(summary.FunctionConfig).toEqual({ Comment: "adds a header & <more>", Runtime: "cloudfront-js-2.0" });
      expect(summary.FunctionMetadata?.FunctionARN).toBe("arn:aws:cloudfront::123456789012:function/hello");
      expect(summary.FunctionMetadata?.Stage).toBe("DEVELOPMENT");
      expect(summary.FunctionMetadata?.CreatedTime).toBeInstanceOf(Date);
      expect(summary.FunctionMetadata?.LastModifiedTime?.getTime()).toBe(summary.FunctionMetadata?.CreatedTime?.getTime());
    });

    it("keeps comments with whitespace, newlines and markup exactly", async () => {
      const comment = "  two\nlines\r\n & \"quotes\" <tag> é ";
      await create("ws", { comment });
      const out = await t.client.send(new DescribeFunctionCommand({ Name: "ws" }));
      expect(out.FunctionSummary?.FunctionConfig?.Comment).toBe(comment);
    });

    it("refuses a name that is taken with FunctionAlreadyExists (409)", async () => {
      await create("dup");
      const error = await rejection(create("dup"));
      expect(error).toBeInstanceOf(FunctionAlreadyExists);
      expect(error.$metadata.httpStatusCode).toBe(409);
    });

    it("refuses names outside [a-zA-Z0-9-_]{1,64} with AWS's validation message", async () => {
      const bad = await rejection(create("bad name!"));
      expect(bad.name).toBe("MalformedXML");
      expect(bad.$metadata.httpStatusCode).toBe(400);
      expect(bad.message).toBe(
        "1 validation error detected: Value 'bad name!' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-_]{1,64}",
      );
      const long = await rejection(create("a".repeat(65)));
      expect(long.message).toMatch(/^2 validation errors detected: .*regular expression pattern.*; .*length less than or equal to 64$/);
      await expect(create("a".repeat(64))).resolves.toBeDefined();
    });

    it("refuses an unknown runtime", async () => {
      const error = await rejection(create("rt", { runtime: "cloudfront-js-3.0" as "cloudfront-js-2.0" }));
      expect(error.name).toBe("MalformedXML");
      expect(error.message).toContain("Member must satisfy enum value set: [cloudfront-js-1.0, cloudfront-js-2.0]");
    });

    it("refuses a comment over 128 characters with InvalidArgument", async () => {
      await expect(create("c128", { comment: "x".repeat(128) })).resolves.toBeDefined();
      const error = await rejection(create("c129", { comment: "x".repeat(129) }));
      expect(error).toBeInstanceOf(InvalidArgument);
      expect(error.message).toContain("Comment is too big");
    });

    it("accepts code up to 10,240 bytes and refuses more with FunctionSizeLimitExceeded (413)", async () => {
      const padded = (size: number) => HANDLER + " ".repeat(size - encode(HANDLER).byteLength);
      await expect(create("max", { code: padded(10_240) })).resolves.toBeDefined();
      const error = await rejection(create("over", { code: padded(10_241) }));
      expect(error).toBeInstanceOf(FunctionSizeLimitExceeded);
      expect(error.$metadata.httpStatusCode).toBe(413);
      expect(error.message).toContain("10241");
      const huge = await rejection(create("huge", { code: padded(300_000) }));
      expect(huge).toBeInstanceOf(FunctionSizeLimitExceeded);
    });

    it("refuses empty code", async () => {
      const error = await rejection(create("empty", { code: "" }));
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(error.message).toContain("at 'functionCode' failed to satisfy constraint: Member must have length greater than or equal to 1");
    });

    it("enforces the account's function quota with TooManyFunctions", async () => {
      for (let i = 0; i < 6; i++) await create(`f${i}`);
      const error = await rejection(create("one-too-many"));
      expect(error).toBeInstanceOf(TooManyFunctions);
      expect(error.$metadata.httpStatusCode).toBe(400);
    });

    it("validates key value store associations: one at most, runtime 2.0, an existing store of this account", async () => {
      const KVS_ARN = (await t.client.send(new CreateKeyValueStoreCommand({ Name: "assoc-store" }))).KeyValueStore!.ARN!;
      const out = await create("with-kvs", { arns: [KVS_ARN] });
      expect(out.FunctionSummary?.FunctionConfig?.KeyValueStoreAssociations).toEqual({ Quantity: 1, Items: [{ KeyValueStoreARN: KVS_ARN }] });
      const described = await t.client.send(new DescribeFunctionCommand({ Name: "with-kvs" }));
      expect(described.FunctionSummary?.FunctionConfig?.KeyValueStoreAssociations?.Items?.[0]?.KeyValueStoreARN).toBe(KVS_ARN);

      expect(await rejection(create("one-oh", { runtime: "cloudfront-js-1.0", arns: [KVS_ARN] }))).toBeInstanceOf(InvalidArgument);
      expect(await rejection(create("two", { arns: [KVS_ARN, KVS_ARN.replace(/.{4}$/, "0000")] }))).toBeInstanceOf(InvalidArgument);
      expect(await rejection(create("missing-store", { arns: [KVS_ARN.replace(/.{4}$/, "0000")] }))).toBeInstanceOf(InvalidArgument);
      expect((await rejection(create("bad-arn", { arns: ["arn:aws:cloudfront::123456789012:key-value-store/nope"] }))).name).toBe("MalformedXML");
      const other = await rejection(create("other-acct", { arns: [KVS_ARN.replace("123456789012", "210987654321")] }));
      expect(other).toBeInstanceOf(InvalidArgument);
    });

    it("accepts tags", async () => {
      const out = await t.client.send(
        new CreateFunctionCommand({
          Name: "tagged",
          FunctionConfig: { Comment: "", Runtime: "cloudfront-js-1.0" },
          FunctionCode: encode(HANDLER),
          Tags: { Items: [{ Key: "team", Value: "edge" }, { Key: "empty" }] },
        } as ConstructorParameters<typeof CreateFunctionCommand>[0]),
      );
      expect(out.$metadata.httpStatusCode).toBe(201);
    });
  });

  describe("DescribeFunction and GetFunction", () => {
    it("describe defaults to DEVELOPMENT; LIVE before any publish is NoSuchFunctionExists", async () => {
      await create("d");
      const out = await t.client.send(new DescribeFunctionCommand({ Name: "d" }));
      expect(out.ETag).toBe("ETVPDKIKX0DER");
      expect(out.FunctionSummary?.FunctionMetadata?.Stage).toBe("DEVELOPMENT");
      const live = await rejection(t.client.send(new DescribeFunctionCommand({ Name: "d", Stage: "LIVE" })));
      expect(live).toBeInstanceOf(NoSuchFunctionExists);
      expect(live.$metadata.httpStatusCode).toBe(404);
      expect(live.message).toBe("The function does not exist.");
    });

    it("unknown functions are NoSuchFunctionExists for describe and get", async () => {
      expect(await rejection(t.client.send(new DescribeFunctionCommand({ Name: "nope" })))).toBeInstanceOf(NoSuchFunctionExists);
      expect(await rejection(t.client.send(new GetFunctionCommand({ Name: "nope" })))).toBeInstanceOf(NoSuchFunctionExists);
    });

    it("get returns the exact code bytes, the stage's ETag and the content type", async () => {
      const code = "function handler(e) { return e.request; } // é ✓";
      await create("g", { code });
      const out = await t.client.send(new GetFunctionCommand({ Name: "g" }));
      expect(decode(out.FunctionCode)).toBe(code);
      expect(out.ETag).toBe("ETVPDKIKX0DER");
      expect(out.ContentType).toBe("application/octet-stream");
      expect(await rejection(t.client.send(new GetFunctionCommand({ Name: "g", Stage: "LIVE" })))).toBeInstanceOf(NoSuchFunctionExists);
    });
  });

  describe("UpdateFunction, PublishFunction and stages", () => {
    it("walks the ETag/If-Match dance through both stages", async () => {
      const created = await create("s", { comment: "v1", code: "function handler(e) { return e.request; } // v1" });
      const v1 = created.ETag!;

      const missing = await rejection(
        t.client.send(new UpdateFunctionCommand({ Name: "s", IfMatch: undefined as unknown as string, FunctionConfig: { Comment: "x", Runtime: "cloudfront-js-2.0" }, FunctionCode: encode(HANDLER) })),
      );
      expect(missing).toBeInstanceOf(InvalidIfMatchVersion);
      expect(missing.message).toBe("The If-Match version is missing or not valid for the resource.");

      const stale = await rejection(
        t.client.send(new UpdateFunctionCommand({ Name: "s", IfMatch: "E3UN6WX5RRO2AG", FunctionConfig: { Comment: "x", Runtime: "cloudfront-js-2.0" }, FunctionCode: encode(HANDLER) })),
      );
      expect(stale).toBeInstanceOf(PreconditionFailed);
      expect(stale.$metadata.httpStatusCode).toBe(412);

      // Publish v1: LIVE gets DEVELOPMENT's ETag, DEVELOPMENT's stays.
      const published = await t.client.send(new PublishFunctionCommand({ Name: "s", IfMatch: v1 }));
      expect(published.FunctionSummary?.FunctionMetadata?.Stage).toBe("LIVE");
      expect(published.FunctionSummary?.Status).toBe("UNASSOCIATED");
      expect(published.FunctionSummary?.FunctionMetadata?.CreatedTime?.getTime()).toBeGreaterThanOrEqual(created.FunctionSummary!.FunctionMetadata!.CreatedTime!.getTime());
      const devAfterPublish = await t.client.send(new DescribeFunctionCommand({ Name: "s", Stage: "DEVELOPMENT" }));
      const liveAfterPublish = await t.client.send(new DescribeFunctionCommand({ Name: "s", Stage: "LIVE" }));
      expect(devAfterPublish.ETag).toBe(v1);
      expect(liveAfterPublish.ETag).toBe(v1);
      expect(devAfterPublish.FunctionSummary?.Status).toBe("UNASSOCIATED");

      // Update changes DEVELOPMENT only.
      const updated = await t.client.send(
        new UpdateFunctionCommand({ Name: "s", IfMatch: v1, FunctionConfig: { Comment: "v2", Runtime: "cloudfront-js-1.0" }, FunctionCode: encode("function handler(e) { return e.request; } // v2") }),
      );
      expect(updated.ETag).toBe("E3UN6WX5RRO2AG");
      expect(updated.FunctionSummary?.Status).toBe("UNPUBLISHED");
      expect(updated.FunctionSummary?.FunctionConfig).toEqual({ Comment: "v2", Runtime: "cloudfront-js-1.0" });
      expect(updated.FunctionSummary?.FunctionMetadata?.CreatedTime?.getTime()).toBe(created.FunctionSummary?.FunctionMetadata?.CreatedTime?.getTime());

      const liveCode = await t.client.send(new GetFunctionCommand({ Name: "s", Stage: "LIVE" }));
      expect(decode(liveCode.FunctionCode)).toContain("// v1");
      expect(liveCode.ETag).toBe(v1);
      const devCode = await t.client.send(new GetFunctionCommand({ Name: "s", Stage: "DEVELOPMENT" }));
      expect(decode(devCode.FunctionCode)).toContain("// v2");
      expect(devCode.ETag).toBe("E3UN6WX5RRO2AG");
      const live = await t.client.send(new DescribeFunctionCommand({ Name: "s", Stage: "LIVE" }));
      expect(live.FunctionSummary?.FunctionConfig?.Comment).toBe("v1");
      expect(live.FunctionSummary?.Status).toBe("UNASSOCIATED");

      // Publishing needs the DEVELOPMENT ETag; the (older) LIVE one is stale.
      expect(await rejection(t.client.send(new PublishFunctionCommand({ Name: "s", IfMatch: v1 })))).toBeInstanceOf(PreconditionFailed);
      expect(await rejection(t.client.send(new PublishFunctionCommand({ Name: "s", IfMatch: "" })))).toBeInstanceOf(InvalidIfMatchVersion);
      await t.client.send(new PublishFunctionCommand({ Name: "s", IfMatch: "E3UN6WX5RRO2AG" }));
      const republished = await t.client.send(new GetFunctionCommand({ Name: "s", Stage: "LIVE" }));
      expect(decode(republished.FunctionCode)).toContain("// v2");
      expect(republished.ETag).toBe("E3UN6WX5RRO2AG");

      const third = await t.client.send(
        new UpdateFunctionCommand({ Name: "s", IfMatch: "E3UN6WX5RRO2AG", FunctionConfig: { Comment: "v3", Runtime: "cloudfront-js-2.0" }, FunctionCode: encode(HANDLER) }),
      );
      expect(third.ETag).toBe("E1F83G8C2ARO7P");
      const fourth = await t.client.send(
        new UpdateFunctionCommand({ Name: "s", IfMatch: third.ETag, FunctionConfig: { Comment: "v4", Runtime: "cloudfront-js-2.0" }, FunctionCode: encode(HANDLER) }),
      );
      expect(fourth.ETag).toMatch(/^E[0-9A-Z]{13}$/);
      expect(new Set([v1, "E3UN6WX5RRO2AG", third.ETag, fourth.ETag]).size).toBe(4);
    });

    it("update and publish of an unknown function are NoSuchFunctionExists; update validates like create", async () => {
      expect(
        await rejection(t.client.send(new UpdateFunctionCommand({ Name: "ghost", IfMatch: "ETVPDKIKX0DER", FunctionConfig: { Comment: "", Runtime: "cloudfront-js-2.0" }, FunctionCode: encode(HANDLER) }))),
      ).toBeInstanceOf(NoSuchFunctionExists);
      expect(await rejection(t.client.send(new PublishFunctionCommand({ Name: "ghost", IfMatch: "ETVPDKIKX0DER" })))).toBeInstanceOf(NoSuchFunctionExists);
      await create("u");
      const tooBig = await rejection(
        t.client.send(new UpdateFunctionCommand({ Name: "u", IfMatch: "ETVPDKIKX0DER", FunctionConfig: { Comment: "", Runtime: "cloudfront-js-2.0" }, FunctionCode: encode("x".repeat(10_241)) })),
      );
      expect(tooBig).toBeInstanceOf(FunctionSizeLimitExceeded);
      const kvsOnOne = await rejection(
        t.client.send(
          new UpdateFunctionCommand({
            Name: "u",
            IfMatch: "ETVPDKIKX0DER",
            FunctionConfig: { Comment: "", Runtime: "cloudfront-js-1.0", KeyValueStoreAssociations: { Quantity: 1, Items: [{ KeyValueStoreARN: KVS_ARN }] } },
            FunctionCode: encode(HANDLER),
          }),
        ),
      );
      expect(kvsOnOne).toBeInstanceOf(InvalidArgument);
      // Nothing changed by the failed updates.
      const out = await t.client.send(new DescribeFunctionCommand({ Name: "u" }));
      expect(out.ETag).toBe("ETVPDKIKX0DER");
    });
  });

  describe("ListFunctions", () => {
    async function listAll(params: { MaxItems?: number; Stage?: "DEVELOPMENT" | "LIVE" }): Promise<FunctionSummary[]> {
      const items: FunctionSummary[] = [];
      let marker: string | undefined;
      for (let pages = 0; pages < 50; pages++) {
        const out = await t.client.send(new ListFunctionsCommand({ ...params, Marker: marker }));
        const list = out.FunctionList!;
        expect(list.Quantity).toBe(list.Items?.length ?? 0);
        items.push(...(list.Items ?? []));
        marker = list.NextMarker;
        if (!marker) return items;
      }
      throw new Error("pagination did not end");
    }

    it("lists an empty account", async () => {
      const out = await t.client.send(new ListFunctionsCommand({}));
      expect(out.FunctionList).toMatchObject({ MaxItems: 100, Quantity: 0 });
      expect(out.FunctionList?.NextMarker).toBeUndefined();
    });

    it("lists a published function once per stage and pages through every entry exactly once", async () => {
      for (const name of ["e", "a", "c", "b", "d"]) await create(name);
      for (const name of ["b", "d"]) await t.client.send(new PublishFunctionCommand({ Name: name, IfMatch: "ETVPDKIKX0DER" }));
      const expected = ["a/DEVELOPMENT", "b/DEVELOPMENT", "b/LIVE", "c/DEVELOPMENT", "d/DEVELOPMENT", "d/LIVE", "e/DEVELOPMENT"];
      const key = (s: FunctionSummary) => `${s.Name}/${s.FunctionMetadata?.Stage}`;
      for (const maxItems of [1, 2, 3, 7, 100]) {
        expect((await listAll({ MaxItems: maxItems })).map(key)).toEqual(expected);
      }
      expect((await listAll({ MaxItems: 1, Stage: "LIVE" })).map(key)).toEqual(["b/LIVE", "d/LIVE"]);
      expect((await listAll({ MaxItems: 2, Stage: "DEVELOPMENT" })).map(key)).toEqual(expected.filter((k) => k.endsWith("DEVELOPMENT")));
      const page = await t.client.send(new ListFunctionsCommand({ MaxItems: 2 }));
      expect(page.FunctionList?.MaxItems).toBe(2);
      expect(page.FunctionList?.NextMarker).toBeTruthy();
    });

    it("refuses a bad MaxItems, Stage or Marker with InvalidArgument", async () => {
      expect(await rejection(t.client.send(new ListFunctionsCommand({ MaxItems: -1 })))).toBeInstanceOf(InvalidArgument);
      expect(await rejection(t.client.send(new ListFunctionsCommand({ Stage: "STAGING" as "LIVE" })))).toBeInstanceOf(InvalidArgument);
      expect(await rejection(t.client.send(new ListFunctionsCommand({ Marker: "not a marker" })))).toBeInstanceOf(InvalidArgument);
    });
  });

  describe("DeleteFunction", () => {
    it("needs the current DEVELOPMENT ETag, answers 204 and removes both stages", async () => {
      await create("del");
      await t.client.send(new PublishFunctionCommand({ Name: "del", IfMatch: "ETVPDKIKX0DER" }));
      await t.client.send(
        new UpdateFunctionCommand({ Name: "del", IfMatch: "ETVPDKIKX0DER", FunctionConfig: { Comment: "", Runtime: "cloudfront-js-2.0" }, FunctionCode: encode(HANDLER) }),
      );
      expect(await rejection(t.client.send(new DeleteFunctionCommand({ Name: "del", IfMatch: "" })))).toBeInstanceOf(InvalidIfMatchVersion);
      expect(await rejection(t.client.send(new DeleteFunctionCommand({ Name: "del", IfMatch: "ETVPDKIKX0DER" })))).toBeInstanceOf(PreconditionFailed);
      const out = await t.client.send(new DeleteFunctionCommand({ Name: "del", IfMatch: "E3UN6WX5RRO2AG" }));
      expect(out.$metadata.httpStatusCode).toBe(204);
      expect(await rejection(t.client.send(new DescribeFunctionCommand({ Name: "del" })))).toBeInstanceOf(NoSuchFunctionExists);
      expect(await rejection(t.client.send(new DescribeFunctionCommand({ Name: "del", Stage: "LIVE" })))).toBeInstanceOf(NoSuchFunctionExists);
      expect(await rejection(t.client.send(new DeleteFunctionCommand({ Name: "del", IfMatch: "E3UN6WX5RRO2AG" })))).toBeInstanceOf(NoSuchFunctionExists);
      // The name is free again, and a new function starts over at the first ETag.
      expect((await create("del")).ETag).toBe("ETVPDKIKX0DER");
    });
  });

  describe("TestFunction", () => {
    const event = encode(JSON.stringify({ version: "1.0", context: { eventType: "viewer-request" }, viewer: { ip: "1.2.3.4" }, request: { method: "GET", uri: "/index.html", querystring: {}, headers: { host: { value: "example.org" } }, cookies: {} } }));
    const ADD_HEADER = "function handler(event) { var request = event.request; request.headers['x-test'] = { value: 'yes' }; console.log('processing ' + request.uri); return request; }";

    it("checks the function, stage and If-Match", async () => {
      await create("t", { code: ADD_HEADER });
      expect(await rejection(t.client.send(new TestFunctionCommand({ Name: "ghost", IfMatch: "ETVPDKIKX0DER", EventObject: event })))).toBeInstanceOf(NoSuchFunctionExists);
      expect(await rejection(t.client.send(new TestFunctionCommand({ Name: "t", IfMatch: "", EventObject: event })))).toBeInstanceOf(InvalidIfMatchVersion);
      expect(await rejection(t.client.send(new TestFunctionCommand({ Name: "t", IfMatch: "E3UN6WX5RRO2AG", EventObject: event })))).toBeInstanceOf(PreconditionFailed);
      expect(await rejection(t.client.send(new TestFunctionCommand({ Name: "t", IfMatch: "ETVPDKIKX0DER", Stage: "LIVE", EventObject: event })))).toBeInstanceOf(NoSuchFunctionExists);
    });

    it("runs the stage's code and reports output, logs, utilization and no error", async () => {
      await create("run", { code: ADD_HEADER, comment: "adds a header" });
      const out = await t.client.send(new TestFunctionCommand({ Name: "run", IfMatch: "ETVPDKIKX0DER", EventObject: event }));
      const result = out.TestResult!;
      expect(result.FunctionSummary?.Name).toBe("run");
      expect(result.FunctionSummary?.FunctionMetadata?.Stage).toBe("DEVELOPMENT");
      expect(result.FunctionErrorMessage).toBe("");
      expect(result.FunctionExecutionLogs).toEqual(["processing /index.html"]);
      // Deterministic (src/runtime/meter.ts): 2.0's base 6, plus 0.001 per code byte and 0.02 per statement run, rounded.
      expect(result.ComputeUtilization).toBe("6");
      expect(JSON.parse(result.FunctionOutput!)).toEqual({
        request: { headers: { host: { value: "example.org" }, "x-test": { value: "yes" } }, method: "GET", querystring: {}, uri: "/index.html", cookies: {} },
      });
    });

    it("tests LIVE with the LIVE code after a publish", async () => {
      await create("staged", { code: "function handler(e) { console.log('v1'); return e.request; }" });
      await t.client.send(new PublishFunctionCommand({ Name: "staged", IfMatch: "ETVPDKIKX0DER" }));
      await t.client.send(new UpdateFunctionCommand({ Name: "staged", IfMatch: "ETVPDKIKX0DER", FunctionConfig: { Comment: "", Runtime: "cloudfront-js-2.0" }, FunctionCode: encode("function handler(e) { console.log('v2'); return e.request; }") }));
      const live = await t.client.send(new TestFunctionCommand({ Name: "staged", IfMatch: "ETVPDKIKX0DER", Stage: "LIVE", EventObject: event }));
      expect(live.TestResult?.FunctionExecutionLogs).toEqual(["v1"]);
      const dev = await t.client.send(new TestFunctionCommand({ Name: "staged", IfMatch: "E3UN6WX5RRO2AG", Stage: "DEVELOPMENT", EventObject: event }));
      expect(dev.TestResult?.FunctionExecutionLogs).toEqual(["v2"]);
    });

    it("reports a thrown error in FunctionErrorMessage with HTTP 200", async () => {
      await create("broken", { runtime: "cloudfront-js-1.0", code: "function handler(event) { return event.request.headers.missing.value; }" });
      const out = await t.client.send(new TestFunctionCommand({ Name: "broken", IfMatch: "ETVPDKIKX0DER", EventObject: event }));
      expect(out.$metadata.httpStatusCode).toBe(200);
      expect(out.TestResult?.FunctionErrorMessage).toBe(
        'The CloudFront function associated with the CloudFront distribution is invalid or could not run. TypeError: cannot get property "value" of undefined',
      );
      expect(out.TestResult?.FunctionOutput).toBe("");
    });

    it("answers an event that is not valid with TestFunctionFailed (500)", async () => {
      await create("ev", { code: ADD_HEADER });
      for (const bad of ["not json", "[]", JSON.stringify({ version: "1.0", context: { eventType: "origin-request" }, request: { method: "GET", uri: "/" } })]) {
        const error = await rejection(t.client.send(new TestFunctionCommand({ Name: "ev", IfMatch: "ETVPDKIKX0DER", EventObject: encode(bad) })));
        expect(error.name).toBe("TestFunctionFailed");
        expect(error.$metadata.httpStatusCode).toBe(500);
        expect(error.message).toBe("The provided event object is not valid.");
      }
    });
  });
});
