import {
  CreateDistributionCommand,
  CreateDistributionWithTagsCommand,
  CreateOriginAccessControlCommand,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  InvalidTagging,
  ListTagsForResourceCommand,
  NoSuchResource,
  TagResourceCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-cloudfront";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { http, rejection, startTestServer, XMLNS, type StoreKind, type TestServer } from "../helpers.js";
import { awsCloudFront, restartableServer, simpleDistributionConfig } from "./deployFixtures.js";

const tags = (count: number) => Array.from({ length: count }, (_, i) => ({ Key: `k${i}`, Value: `v${i}` }));

describe.each<StoreKind>(["sqlite", "memory"])("tagging distributions (%s store)", (kind) => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer(kind);
  });
  afterEach(async () => {
    await t.close();
  });

  it("creates a distribution with tags (CreateDistributionWithTags: 201, Location, ETag) and lists them", async () => {
    const created = await t.client.send(
      new CreateDistributionWithTagsCommand({ DistributionConfigWithTags: { DistributionConfig: simpleDistributionConfig("with-tags"), Tags: { Items: [{ Key: "team", Value: "edge" }, { Key: "empty" }] } } }),
    );
    expect(created.$metadata.httpStatusCode).toBe(201);
    const distribution = created.Distribution!;
    expect(created.Location).toBe(`https://cloudfront.amazonaws.com/2020-05-31/distribution/${distribution.Id}`);
    expect(created.ETag).toBe("ETVPDKIKX0DER");
    expect(distribution.DistributionConfig?.Comment).toBe("deploy test");
    expect((await t.client.send(new ListTagsForResourceCommand({ Resource: distribution.ARN }))).Tags?.Items).toEqual([{ Key: "team", Value: "edge" }, { Key: "empty" }]);
    // The config is kept as sent, without the tags around it.
    const config = await t.client.send(new GetDistributionConfigCommand({ Id: distribution.Id }));
    expect(config.DistributionConfig?.CallerReference).toBe("with-tags");
    expect(config.ETag).toBe("ETVPDKIKX0DER");
  });

  it("tags, retags and untags a distribution without moving its ETag; a new distribution has no tags", async () => {
    const distribution = (await t.client.send(new CreateDistributionCommand({ DistributionConfig: simpleDistributionConfig("plain") }))).Distribution!;
    const arn = distribution.ARN!;
    expect((await t.client.send(new ListTagsForResourceCommand({ Resource: arn }))).Tags?.Items).toBeUndefined();
    await t.client.send(new TagResourceCommand({ Resource: arn, Tags: { Items: [{ Key: "env", Value: "dev" }, { Key: "owner", Value: "me" }] } }));
    await t.client.send(new TagResourceCommand({ Resource: arn, Tags: { Items: [{ Key: "env", Value: "prod" }] } }));
    await t.client.send(new UntagResourceCommand({ Resource: arn, TagKeys: { Items: ["owner"] } }));
    expect((await t.client.send(new ListTagsForResourceCommand({ Resource: arn }))).Tags?.Items).toEqual([{ Key: "env", Value: "prod" }]);
    expect((await t.client.send(new GetDistributionCommand({ Id: distribution.Id }))).ETag).toBe("ETVPDKIKX0DER");
  });

  it("refuses more than 50 tags and bad keys with InvalidTagging, at creation and after", async () => {
    const tooMany = await rejection(
      t.client.send(new CreateDistributionWithTagsCommand({ DistributionConfigWithTags: { DistributionConfig: simpleDistributionConfig("many"), Tags: { Items: tags(51) } } })),
    );
    expect(tooMany).toBeInstanceOf(InvalidTagging);
    const distribution = (await t.client.send(new CreateDistributionWithTagsCommand({ DistributionConfigWithTags: { DistributionConfig: simpleDistributionConfig("fifty"), Tags: { Items: tags(50) } } })))
      .Distribution!;
    expect(await rejection(t.client.send(new TagResourceCommand({ Resource: distribution.ARN, Tags: { Items: [{ Key: "one-more", Value: "x" }] } })))).toBeInstanceOf(InvalidTagging);
    expect(await rejection(t.client.send(new TagResourceCommand({ Resource: distribution.ARN, Tags: { Items: [{ Key: "bad<key>", Value: "x" }] } })))).toBeInstanceOf(InvalidTagging);
    expect((await t.client.send(new ListTagsForResourceCommand({ Resource: distribution.ARN }))).Tags?.Items).toHaveLength(50);
  });

  it("answers NoSuchResource for an unknown distribution, and for kinds CloudFront does not tag (origin access controls, policies) saying so", async () => {
    const unknown = await rejection(t.client.send(new ListTagsForResourceCommand({ Resource: "arn:aws:cloudfront::123456789012:distribution/ENOSUCHDIST123" })));
    expect(unknown).toBeInstanceOf(NoSuchResource);
    const oac = (await t.client.send(
      new CreateOriginAccessControlCommand({ OriginAccessControlConfig: { Name: "o", SigningProtocol: "sigv4", SigningBehavior: "always", OriginAccessControlOriginType: "s3" } }),
    )).OriginAccessControl!;
    const error = await rejection(t.client.send(new TagResourceCommand({ Resource: `arn:aws:cloudfront::123456789012:origin-access-control/${oac.Id}`, Tags: { Items: [{ Key: "a", Value: "b" }] } })));
    expect(error).toBeInstanceOf(NoSuchResource);
    expect(error.message).toContain("not origin access controls");
    const policy = await rejection(t.client.send(new ListTagsForResourceCommand({ Resource: "arn:aws:cloudfront::123456789012:cache-policy/658327ea-f89d-4fab-a63d-7e88639e58f6" })));
    expect(policy.message).toContain("not cache policies");
  });

  it("refuses a CreateDistributionWithTags body without its DistributionConfig or Tags (MalformedXML)", async () => {
    const noTags = await http(t.url, "POST", "/2020-05-31/distribution?WithTags", { body: `<DistributionConfigWithTags ${XMLNS}><DistributionConfig/></DistributionConfigWithTags>` });
    expect(noTags.status).toBe(400);
    expect(noTags.body).toContain("<Code>MalformedXML</Code>");
    const noConfig = await http(t.url, "POST", "/2020-05-31/distribution?WithTags", { body: `<DistributionConfigWithTags ${XMLNS}><Tags/></DistributionConfigWithTags>` });
    expect(noConfig.status).toBe(400);
    expect(noConfig.body).toContain("distributionConfigWithTags.distributionConfig");
  });
});

describe("tagging distributions: restart, AWS CLI", () => {
  it("keeps a distribution's tags across a restart of a SQLite data dir", async () => {
    const server = restartableServer();
    try {
      let { client } = await server.start();
      const arn = (await client.send(new CreateDistributionWithTagsCommand({ DistributionConfigWithTags: { DistributionConfig: simpleDistributionConfig("kept"), Tags: { Items: [{ Key: "k", Value: "v" }] } } })))
        .Distribution!.ARN!;
      await client.send(new TagResourceCommand({ Resource: arn, Tags: { Items: [{ Key: "__proto__", Value: "p" }] } }));
      await server.stop();
      ({ client } = await server.start());
      expect((await client.send(new ListTagsForResourceCommand({ Resource: arn }))).Tags?.Items).toEqual([{ Key: "k", Value: "v" }, { Key: "__proto__", Value: "p" }]);
    } finally {
      await server.remove();
    }
  });

  it("runs aws cloudfront tag-resource and list-tags-for-resource on a distribution", async () => {
    const t = await startTestServer("sqlite");
    try {
      const arn = (await t.client.send(new CreateDistributionCommand({ DistributionConfig: simpleDistributionConfig("cli") }))).Distribution!.ARN!;
      await awsCloudFront(t.url, "tag-resource", "--resource", arn, "--tags", "Items=[{Key=stage,Value=prod}]");
      expect((await t.client.send(new ListTagsForResourceCommand({ Resource: arn }))).Tags?.Items).toEqual([{ Key: "stage", Value: "prod" }]);
    } finally {
      await t.close();
    }
  });
});
