import { CreateDistributionCommand } from "@aws-sdk/client-cloudfront";
import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { http, startTestServer, tempDir, type TestServer } from "../helpers.js";

/** Text that lives only outside the served folder: no reply may ever carry it. */
const SECRET = "edgelite-s3-secret-4b1d";

describe("an --s3 folder serves only regular files inside it", () => {
  const root = tempDir("edgelite-s3-");
  const site = join(root.path, "site");
  const outside = join(root.path, "outside");
  let t: TestServer;
  let domain: string;
  const get = (path: string, headers: Record<string, string> = {}) => http(t.url, "GET", path, { headers: { host: domain, ...headers } });

  beforeAll(async () => {
    mkdirSync(join(site, "sub"), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(site, "hello.txt"), "hello");
    writeFileSync(join(site, "sub", "inner.txt"), "inner");
    writeFileSync(join(outside, "secret.txt"), SECRET);
    symlinkSync(join(outside, "secret.txt"), join(site, "out.txt"));
    symlinkSync("../outside/secret.txt", join(site, "relative-out.txt"));
    symlinkSync(outside, join(site, "linked-out"));
    symlinkSync(join(site, "hello.txt"), join(site, "in-link.txt"));
    symlinkSync("sub", join(site, "linked-sub"));
    symlinkSync("/etc/passwd", join(site, "passwd"));
    symlinkSync("/dev/zero", join(site, "zero"));
    symlinkSync(join(site, "missing.txt"), join(site, "dangling.txt"));
    symlinkSync("loop-b", join(site, "loop-a"));
    symlinkSync("loop-a", join(site, "loop-b"));
    execFileSync("mkfifo", [join(site, "pipe.txt")]);
    t = await startTestServer("memory", { s3Sources: new Map([["site-bucket", site]]) });
    const created = await t.client.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: "s3-symlinks",
          Comment: "",
          Enabled: true,
          Origins: { Quantity: 1, Items: [{ Id: "site", DomainName: "site-bucket.s3.us-east-1.amazonaws.com", S3OriginConfig: { OriginAccessIdentity: "" } }] },
          DefaultCacheBehavior: { TargetOriginId: "site", ViewerProtocolPolicy: "allow-all" },
        },
      }),
    );
    domain = created.Distribution!.DomainName!;
  });
  afterAll(async () => {
    await t.close();
    root.remove();
  });

  const denied = async (path: string) => {
    const res = await get(path);
    expect(res.status, path).toBe(403);
    expect(res.body).toContain("<Code>AccessDenied</Code>");
    expect(res.body).not.toContain(SECRET);
    expect(res.body).not.toContain("root:");
  };

  it("serves regular files, and symlinks that resolve inside the folder", async () => {
    expect((await get("/hello.txt")).body).toBe("hello");
    expect((await get("/sub/inner.txt")).body).toBe("inner");
    const linked = await get("/in-link.txt");
    expect(linked.status).toBe(200);
    expect(linked.body).toBe("hello");
    expect(linked.headers.etag).toBe((await get("/hello.txt")).headers.etag);
    expect((await get("/linked-sub/inner.txt")).body).toBe("inner");
    expect((await get("/in-link.txt", { range: "bytes=1-2" })).body).toBe("el");
  });

  it("answers 403 AccessDenied for symlinks that lead out of the folder", async () => {
    for (const path of ["/out.txt", "/relative-out.txt", "/linked-out/secret.txt", "/passwd", "/zero", "/dangling.txt", "/loop-a"]) await denied(path);
  });

  it("answers 403 for a FIFO, a directory and a folder key, and keeps serving afterwards", async () => {
    for (let i = 0; i < 6; i++) await Promise.all(["/pipe.txt", "/sub", "/sub/", "/linked-sub"].map(denied));
    expect((await get("/hello.txt")).body).toBe("hello");
    expect((await http(t.url, "GET", "/_edgelite/health")).status).toBe(200);
  });

  it("is not fooled by encoded dot segments, backslashes, NUL bytes or very long keys", async () => {
    const paths = [
      "/..%2Foutside%2Fsecret.txt",
      "/%2e%2e/outside/secret.txt",
      "/%2E%2E%2Foutside%2Fsecret.txt",
      "/sub/%2e%2e/%2e%2e/outside/secret.txt",
      "/..%5Coutside%5Csecret.txt",
      "/sub%5C..%5C..%5Coutside%5Csecret.txt",
      "/hello.txt%00",
      "/%00",
      `/${"a".repeat(5000)}`,
      `/${"a/".repeat(600)}x`,
      `/${encodeURIComponent(join(outside, "secret.txt"))}`,
      "/%2Fetc%2Fpasswd",
      "/.",
      "/./hello.txt",
    ];
    for (const path of paths) await denied(path);
    const malformed = await get("/%zz");
    expect(malformed.status).toBe(400);
    expect(malformed.body).toContain("<Code>InvalidURI</Code>");
    expect((await get("/hello.txt")).body).toBe("hello");
  });
});
