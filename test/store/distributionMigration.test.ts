import { GetDistributionCommand, GetDistributionConfigCommand } from "@aws-sdk/client-cloudfront";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.js";
import { startServer, type RunningServer } from "../../src/server.js";
import { DistributionService } from "../../src/service/distributions.js";
import { MemoryStore } from "../../src/store/memory.js";
import { sqliteDriver } from "../../src/store/sqliteDatabase.js";
import { SQLITE_MIGRATIONS } from "../../src/store/sqliteMigrations.js";
import { etagForVersion } from "../../src/service/etag.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import { cloudFrontClient, http, tempDir, XMLNS } from "../helpers.js";

/** The schema a database had before distributions kept their parsed config: the first three migrations. */
const OLD_SCHEMA_VERSION = 3;
const ID = "EOLD1234567890";
const DOMAIN = "dold1234567890.cloudfront.localhost";

describe("a database written before distributions kept their parsed config", () => {
  const dir = tempDir();
  const file = join(dir.path, "edgelite.sqlite");
  let origin: Server;
  let server: RunningServer;
  let configXml = "";

  beforeAll(async () => {
    origin = createServer((req, res) => res.writeHead(200, { "content-type": "text/plain" }).end(`origin saw ${req.url}`));
    await new Promise<void>((resolve) => origin.listen(0, "127.0.0.1", resolve));
    const port = (origin.address() as AddressInfo).port;
    // Exactly what the old layout wrote: metadata JSON without the parsed config, and the config as sent.
    configXml =
      `<CallerReference>old</CallerReference><Aliases><Quantity>1</Quantity><Items><CNAME>Old.Example.COM</CNAME></Items></Aliases>` +
      `<Origins><Quantity>1</Quantity><Items><Origin><Id>o</Id><DomainName>127.0.0.1</DomainName><OriginPath>/base</OriginPath>` +
      `<CustomOriginConfig><HTTPPort>${port}</HTTPPort><HTTPSPort>443</HTTPSPort><OriginProtocolPolicy>http-only</OriginProtocolPolicy></CustomOriginConfig></Origin></Items></Origins>` +
      `<DefaultCacheBehavior><TargetOriginId>o</TargetOriginId><ViewerProtocolPolicy>allow-all</ViewerProtocolPolicy></DefaultCacheBehavior>` +
      `<Comment>  kept as sent &amp; unparsed  </Comment><Enabled>true</Enabled>`;
    const db = new (sqliteDriver())(file);
    for (const migration of SQLITE_MIGRATIONS.slice(0, OLD_SCHEMA_VERSION)) db.exec(migration);
    db.pragma(`user_version = ${OLD_SCHEMA_VERSION}`);
    const metadata = {
      domainName: DOMAIN,
      callerReference: "old",
      enabled: true,
      aliases: ["old.example.com"],
      functionArns: [],
      version: 4,
      createdTime: Date.UTC(2026, 0, 1),
      lastModifiedTime: Date.UTC(2026, 0, 2),
    };
    db.prepare("INSERT INTO distributions (id, metadata, config) VALUES (?, ?, ?)").run(ID, JSON.stringify(metadata), configXml);
    db.close();
    server = await startServer({ store: new SqliteStore(file), port: 0 });
  });
  afterAll(async () => {
    await server.close();
    origin.close();
    dir.remove();
  });

  it("opens and returns the distribution as it was: the config byte for byte, the same ETag and dates", async () => {
    const reply = await http(server.url, "GET", `/2020-05-31/distribution/${ID}/config`);
    expect(reply.status).toBe(200);
    expect(reply.headers.etag).toBe(etagForVersion(4));
    expect(reply.body).toBe(`<?xml version="1.0" encoding="UTF-8"?><DistributionConfig ${XMLNS}>${configXml}</DistributionConfig>`);
    const client = cloudFrontClient(server.url);
    try {
      const distribution = (await client.send(new GetDistributionCommand({ Id: ID }))).Distribution!;
      expect(distribution.DomainName).toBe(DOMAIN);
      expect(distribution.LastModifiedTime).toEqual(new Date(Date.UTC(2026, 0, 2)));
      expect((await client.send(new GetDistributionConfigCommand({ Id: ID }))).DistributionConfig?.Comment).toBe("  kept as sent & unparsed  ");
    } finally {
      client.destroy();
    }
  });

  it("serves it at the edge, by DomainName and by alias", async () => {
    for (const host of [DOMAIN, "old.example.com"]) {
      const reply = await http(server.url, "GET", "/page", { headers: { host } });
      expect(reply.status).toBe(200);
      expect(reply.body).toBe("origin saw /base/page");
    }
  });

  it("is migrated on disk: the row now carries the parsed config, its version unchanged, and serves after a restart", async () => {
    await server.close();
    const db = new (sqliteDriver())(file, { readonly: true });
    try {
      expect(db.pragma("user_version", { simple: true })).toBe(SQLITE_MIGRATIONS.length);
      const row = db.prepare("SELECT * FROM distributions WHERE id = ?").get(ID) as Record<string, string>;
      expect(row.config).toBe(configXml);
      expect(JSON.parse(row.metadata!).version).toBe(4);
      expect(JSON.parse(row.parsed_config!)).toMatchObject({ callerReference: "old", aliases: ["old.example.com"], origins: [{ id: "o", originPath: "/base" }] });
    } finally {
      db.close();
    }
    server = await startServer({ store: new SqliteStore(file), port: 0 });
    const reply = await http(server.url, "GET", "/page", { headers: { host: "old.example.com" } });
    expect(reply.body).toBe("origin saw /base/page");
  });
});

describe("a distribution written now", () => {
  it("keeps its parsed config: the edge never reads the config as sent again", async () => {
    const store = new MemoryStore();
    const distributions = new DistributionService({
      store,
      clock: systemClock,
      accountId: "123456789012",
      domainSuffix: "cloudfront.localhost",
      isPublishedFunction: async () => false,
      readAsSent: () => {
        throw new Error("the config as sent was read again");
      },
    });
    const view = await distributions.create(
      { CallerReference: "now", Comment: "", Enabled: true, Aliases: ["New.Example.com"], Origins: [{ Id: "o", DomainName: "example.com" }], DefaultCacheBehavior: { TargetOriginId: "o" } },
      "<CallerReference>now</CallerReference>",
    );
    expect((await distributions.forHost("new.example.com"))?.config).toMatchObject({ callerReference: "now", origins: [{ id: "o", domainName: "example.com", kind: "s3" }] });
    expect((await distributions.get(view.id)).configAsSent).toBe("<CallerReference>now</CallerReference>");
    expect(await distributions.upgradeStored()).toBe(0);
    await store.close();
  });
});
