import { CreateFunctionCommand, DescribeFunctionCommand, GetFunctionCommand, PreconditionFailed, UpdateFunctionCommand } from "@aws-sdk/client-cloudfront";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decode, encode, HANDLER, startTestServer, type StoreKind, type TestServer } from "../helpers.js";

describe.each<StoreKind>(["sqlite", "memory"])("If-Match is an atomic check-and-write (%s store)", (kind) => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer(kind);
  });
  afterEach(async () => {
    await t.close();
  });

  it("lets exactly one of 20 concurrent updates with the same ETag win", async () => {
    await t.client.send(new CreateFunctionCommand({ Name: "race", FunctionConfig: { Comment: "", Runtime: "cloudfront-js-2.0" }, FunctionCode: encode(HANDLER) }));
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        t.client.send(
          new UpdateFunctionCommand({
            Name: "race",
            IfMatch: "ETVPDKIKX0DER",
            FunctionConfig: { Comment: `writer ${i}`, Runtime: "cloudfront-js-2.0" },
            FunctionCode: encode(`function handler(e) { return e.request; } // writer ${i}`),
          }),
        ),
      ),
    );
    const winners = results.flatMap((r, i) => (r.status === "fulfilled" ? [i] : []));
    const losers = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(19);
    for (const loser of losers) expect(loser.reason).toBeInstanceOf(PreconditionFailed);

    const described = await t.client.send(new DescribeFunctionCommand({ Name: "race" }));
    expect(described.ETag).toBe("E3UN6WX5RRO2AG");
    expect(described.FunctionSummary?.FunctionConfig?.Comment).toBe(`writer ${winners[0]}`);
    const code = await t.client.send(new GetFunctionCommand({ Name: "race" }));
    expect(decode(code.FunctionCode)).toContain(`// writer ${winners[0]}`);
  });

  it("creates a contested name exactly once", async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        t.client.send(new CreateFunctionCommand({ Name: "once", FunctionConfig: { Comment: "", Runtime: "cloudfront-js-2.0" }, FunctionCode: encode(HANDLER) })),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });
});
