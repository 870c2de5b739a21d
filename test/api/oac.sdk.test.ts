import {
  CreateDistributionCommand,
  CreateOriginAccessControlCommand,
  DeleteDistributionCommand,
  DeleteOriginAccessControlCommand,
  GetDistributionConfigCommand,
  GetOriginAccessControlCommand,
  GetOriginAccessControlConfigCommand,
  InvalidArgument,
  IllegalOriginAccessConfiguration,
  InvalidIfMatchVersion,
  InvalidOriginAccessControl,
  ListOriginAccessControlsCommand,
  NoSuchOriginAccessControl,
  OriginAccessControlAlreadyExists,
  OriginAccessControlInUse,
  PreconditionFailed,
  TooManyOriginAccessControls,
  UpdateDistributionCommand,
  UpdateOriginAccessControlCommand,
  type OriginAccessControlConfig,
} from "@aws-sdk/client-cloudfront";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { http, rejection, startTestServer, XMLNS, type StoreKind, type TestServer } from "../helpers.js";
import { awsCloudFront, restartableServer, s3OriginWithOac, simpleDistributionConfig } from "./deployFixtures.js";

const oacConfig = (name: string, overrides: Partial<OriginAccessControlConfig> = {}): OriginAccessControlConfig => ({
  Name: name,
  Description: `OAC ${name}`,
  SigningProtocol: "sigv4",
  SigningBehavior: "always",
  OriginAccessControlOriginType: "s3",
  ...overrides,
});

describe.each<StoreKind>(["sqlite", "memory"])("origin access controls through @aws-sdk/client-cloudfront (%s store)", (kind) => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer(kind);
  });
  afterEach(async () => {
    await t.close();
  });

  const create = (name: string, overrides: Partial<OriginAccessControlConfig> = {}) =>
    t.client.send(new CreateOriginAccessControlCommand({ OriginAccessControlConfig: oacConfig(name, overrides) }));

  it("creates (201, Location, ETag), gets and gets the config with the same ETag", async () => {
    const created = await create("site");
    expect(created.$metadata.httpStatusCode).toBe(201);
    const id = created.OriginAccessControl!.Id!;
    expect(id).toMatch(/^E[0-9A-Z]{13}$/);
    expect(created.Location).toBe(`https://cloudfront.amazonaws.com/2020-05-31/origin-access-control/${id}`);
    expect(created.ETag).toBe("ETVPDKIKX0DER");
    expect(created.OriginAccessControl!.OriginAccessControlConfig).toEqual(oacConfig("site"));
    const got = await t.client.send(new GetOriginAccessControlCommand({ Id: id }));
    expect(got.ETag).toBe("ETVPDKIKX0DER");
    expect(got.OriginAccessControl).toEqual(created.OriginAccessControl);
    const config = await t.client.send(new GetOriginAccessControlConfigCommand({ Id: id }));
    expect(config.ETag).toBe("ETVPDKIKX0DER");
    expect(config.OriginAccessControlConfig).toEqual(oacConfig("site"));
  });

  it("refuses a taken Name with OriginAccessControlAlreadyExists (409)", async () => {
    await create("taken");
    const error = await rejection(create("taken", { SigningBehavior: "never" }));
    expect(error).toBeInstanceOf(OriginAccessControlAlreadyExists);
    expect(error.$metadata.httpStatusCode).toBe(409);
  });

  it.each([
    ["SigningProtocol", { SigningProtocol: "sigv2" }],
    ["SigningBehavior", { SigningBehavior: "sometimes" }],
    ["OriginAccessControlOriginType", { OriginAccessControlOriginType: "ec2" }],
    ["Name", { Name: "n".repeat(65) }],
  ] as const)("refuses a bad %s with InvalidArgument naming the member", async (member, overrides) => {
    const error = await rejection(create("bad", overrides as Partial<OriginAccessControlConfig>));
    expect(error).toBeInstanceOf(InvalidArgument);
    expect(error.message).toContain(`originAccessControlConfig.${member.charAt(0).toLowerCase()}${member.slice(1)}`);
  });

  it("updates with If-Match: missing is InvalidIfMatchVersion, stale is PreconditionFailed, current moves the ETag", async () => {
    const id = (await create("u")).OriginAccessControl!.Id!;
    await create("other");
    const update = (ifMatch: string | undefined, config = oacConfig("u", { SigningBehavior: "no-override" })) =>
      t.client.send(new UpdateOriginAccessControlCommand({ Id: id, IfMatch: ifMatch, OriginAccessControlConfig: config }));
    expect(await rejection(update(undefined))).toBeInstanceOf(InvalidIfMatchVersion);
    expect(await rejection(update("E3UN6WX5RRO2AG"))).toBeInstanceOf(PreconditionFailed);
    expect(await rejection(update("ETVPDKIKX0DER", oacConfig("other")))).toBeInstanceOf(OriginAccessControlAlreadyExists);
    const updated = await update("ETVPDKIKX0DER");
    expect(updated.ETag).toBe("E3UN6WX5RRO2AG");
    expect(updated.OriginAccessControl?.OriginAccessControlConfig?.SigningBehavior).toBe("no-override");
    expect((await t.client.send(new GetOriginAccessControlCommand({ Id: id }))).ETag).toBe("E3UN6WX5RRO2AG");
    expect(await rejection(t.client.send(new UpdateOriginAccessControlCommand({ Id: "ENOSUCHOAC12345", IfMatch: "ETVPDKIKX0DER", OriginAccessControlConfig: oacConfig("x") })))).toBeInstanceOf(
      NoSuchOriginAccessControl,
    );
  });

  it("deletes with If-Match; an unknown Id is NoSuchOriginAccessControl (404)", async () => {
    const id = (await create("gone")).OriginAccessControl!.Id!;
    expect(await rejection(t.client.send(new DeleteOriginAccessControlCommand({ Id: id })))).toBeInstanceOf(InvalidIfMatchVersion);
    expect(await rejection(t.client.send(new DeleteOriginAccessControlCommand({ Id: id, IfMatch: "E3UN6WX5RRO2AG" })))).toBeInstanceOf(PreconditionFailed);
    await t.client.send(new DeleteOriginAccessControlCommand({ Id: id, IfMatch: "ETVPDKIKX0DER" }));
    const error = await rejection(t.client.send(new GetOriginAccessControlCommand({ Id: id })));
    expect(error).toBeInstanceOf(NoSuchOriginAccessControl);
    expect(error.$metadata.httpStatusCode).toBe(404);
    expect(await rejection(t.client.send(new GetOriginAccessControlConfigCommand({ Id: "../../etc" })))).toBeInstanceOf(NoSuchOriginAccessControl);
    // The name is free again.
    await create("gone");
  });

  it("refuses to delete an OAC a distribution's origin names (OriginAccessControlInUse), and deletes it once no origin does", async () => {
    const id = (await create("in-use")).OriginAccessControl!.Id!;
    const distribution = (await t.client.send(new CreateDistributionCommand({ DistributionConfig: simpleDistributionConfig("uses-oac", s3OriginWithOac(id)) }))).Distribution!;
    const stored = await t.client.send(new GetDistributionConfigCommand({ Id: distribution.Id }));
    expect(stored.DistributionConfig?.Origins?.Items?.[0]?.OriginAccessControlId).toBe(id);
    const error = await rejection(t.client.send(new DeleteOriginAccessControlCommand({ Id: id, IfMatch: "ETVPDKIKX0DER" })));
    expect(error).toBeInstanceOf(OriginAccessControlInUse);
    expect(error.$metadata.httpStatusCode).toBe(409);
    const disabled = await t.client.send(
      new UpdateDistributionCommand({ Id: distribution.Id, IfMatch: stored.ETag, DistributionConfig: { ...simpleDistributionConfig("uses-oac"), Enabled: false } }),
    );
    await t.client.send(new DeleteOriginAccessControlCommand({ Id: id, IfMatch: "ETVPDKIKX0DER" }));
    await t.client.send(new DeleteDistributionCommand({ Id: distribution.Id, IfMatch: disabled.ETag }));
  });

  it("refuses a distribution whose origin names an unknown OAC (InvalidOriginAccessControl) or an OAC and an OAI (IllegalOriginAccessConfiguration)", async () => {
    const unknown = await rejection(t.client.send(new CreateDistributionCommand({ DistributionConfig: simpleDistributionConfig("unknown-oac", s3OriginWithOac("ENOSUCHOAC1234")) })));
    expect(unknown).toBeInstanceOf(InvalidOriginAccessControl);
    expect(unknown.$metadata.httpStatusCode).toBe(400);
    const id = (await create("both")).OriginAccessControl!.Id!;
    const both = simpleDistributionConfig("both", { ...s3OriginWithOac(id), S3OriginConfig: { OriginAccessIdentity: "origin-access-identity/cloudfront/E127EXAMPLE51Z" } });
    expect(await rejection(t.client.send(new CreateDistributionCommand({ DistributionConfig: both })))).toBeInstanceOf(IllegalOriginAccessConfiguration);
    // On update too.
    const plain = (await t.client.send(new CreateDistributionCommand({ DistributionConfig: simpleDistributionConfig("plain") }))).Distribution!;
    const update = new UpdateDistributionCommand({ Id: plain.Id, IfMatch: "ETVPDKIKX0DER", DistributionConfig: simpleDistributionConfig("plain", s3OriginWithOac("ENOSUCHOAC1234")) });
    expect(await rejection(t.client.send(update))).toBeInstanceOf(InvalidOriginAccessControl);
  });

  it("lists page by page with MaxItems and Marker; an empty list has no Items", async () => {
    const empty = (await t.client.send(new ListOriginAccessControlsCommand({}))).OriginAccessControlList!;
    expect(empty).toMatchObject({ Quantity: 0, IsTruncated: false, Marker: "" });
    expect(empty.Items).toBeUndefined();
    const ids = [];
    for (const name of ["a", "b", "c"]) ids.push((await create(name)).OriginAccessControl!.Id!);
    const seen: string[] = [];
    let marker: string | undefined;
    for (let page = 0; page < 5; page++) {
      const list = (await t.client.send(new ListOriginAccessControlsCommand({ MaxItems: 2, ...(marker ? { Marker: marker } : {}) }))).OriginAccessControlList!;
      expect(list.MaxItems).toBe(2);
      for (const item of list.Items ?? []) {
        seen.push(item.Id!);
        expect(item).toMatchObject({ SigningProtocol: "sigv4", SigningBehavior: "always", OriginAccessControlOriginType: "s3" });
        expect(item.Description).toBe(`OAC ${item.Name}`);
      }
      if (!list.IsTruncated) break;
      marker = list.NextMarker;
    }
    // Creation order, ties within a millisecond broken by Id: compare as sets.
    expect([...seen].sort()).toEqual([...ids].sort());
    expect(await rejection(t.client.send(new ListOriginAccessControlsCommand({ MaxItems: 0 })))).toBeInstanceOf(InvalidArgument);
  });

  it("writes hostile names escaped and an absent Description as empty", async () => {
    const created = await create("<x>&'\"", { Description: undefined });
    const id = created.OriginAccessControl!.Id!;
    const raw = await http(t.url, "GET", `/2020-05-31/origin-access-control/${id}`);
    expect(raw.body).toContain("<Name>&lt;x&gt;&amp;'&quot;</Name>");
    expect(raw.body).toContain("<Description></Description>");
    const got = await t.client.send(new GetOriginAccessControlCommand({ Id: id }));
    expect(got.OriginAccessControl?.OriginAccessControlConfig?.Name).toBe("<x>&'\"");
  });

  it("answers a body without the required members with InvalidArgument listing them", async () => {
    const raw = await http(t.url, "POST", "/2020-05-31/origin-access-control", { body: `<OriginAccessControlConfig ${XMLNS}><Name>n</Name></OriginAccessControlConfig>` });
    expect(raw.status).toBe(400);
    expect(raw.body).toContain("<Code>InvalidArgument</Code>");
    expect(raw.body).toContain("3 validation errors detected");
  });
});

describe("origin access controls: quota, restart, AWS CLI", () => {
  it("refuses more than the account's quota with TooManyOriginAccessControls", async () => {
    const t = await startTestServer("memory", { maxOriginAccessControls: 2 });
    try {
      for (const name of ["one", "two"]) await t.client.send(new CreateOriginAccessControlCommand({ OriginAccessControlConfig: oacConfig(name) }));
      const error = await rejection(t.client.send(new CreateOriginAccessControlCommand({ OriginAccessControlConfig: oacConfig("three") })));
      expect(error).toBeInstanceOf(TooManyOriginAccessControls);
      expect(error.$metadata.httpStatusCode).toBe(400);
    } finally {
      await t.close();
    }
  });

  it("keeps OACs and their ETags across a restart of a SQLite data dir", async () => {
    const server = restartableServer();
    try {
      let { client } = await server.start();
      const id = (await client.send(new CreateOriginAccessControlCommand({ OriginAccessControlConfig: oacConfig("kept") }))).OriginAccessControl!.Id!;
      await client.send(new UpdateOriginAccessControlCommand({ Id: id, IfMatch: "ETVPDKIKX0DER", OriginAccessControlConfig: oacConfig("kept", { Description: "v2" }) }));
      await server.stop();
      ({ client } = await server.start());
      const got = await client.send(new GetOriginAccessControlCommand({ Id: id }));
      expect(got.ETag).toBe("E3UN6WX5RRO2AG");
      expect(got.OriginAccessControl?.OriginAccessControlConfig?.Description).toBe("v2");
      expect(await rejection(client.send(new CreateOriginAccessControlCommand({ OriginAccessControlConfig: oacConfig("kept") })))).toBeInstanceOf(OriginAccessControlAlreadyExists);
    } finally {
      await server.remove();
    }
  });

  it("drives create, list and delete with the AWS CLI", async () => {
    const t = await startTestServer("sqlite");
    const aws = (...args: string[]) => awsCloudFront<Record<string, any>>(t.url, ...args);
    try {
      const created = await aws(
        "create-origin-access-control",
        "--origin-access-control-config",
        "Name=cli-oac,Description=from the CLI,SigningProtocol=sigv4,SigningBehavior=always,OriginAccessControlOriginType=s3",
      );
      expect(created.ETag).toBe("ETVPDKIKX0DER");
      const id = created.OriginAccessControl.Id as string;
      expect((await aws("list-origin-access-controls")).OriginAccessControlList.Items).toEqual([
        { Id: id, Name: "cli-oac", Description: "from the CLI", SigningProtocol: "sigv4", SigningBehavior: "always", OriginAccessControlOriginType: "s3" },
      ]);
      await aws("delete-origin-access-control", "--id", id, "--if-match", "ETVPDKIKX0DER");
      expect(await rejection(t.client.send(new GetOriginAccessControlCommand({ Id: id })))).toBeInstanceOf(NoSuchOriginAccessControl);
    } finally {
      await t.close();
    }
  });
});
