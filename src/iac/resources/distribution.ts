import {
  CreateDistributionWithTagsCommand,
  DeleteDistributionCommand,
  GetDistributionConfigCommand,
  ListDistributionsCommand,
  ListTagsForResourceCommand,
  UpdateDistributionCommand,
  type Distribution,
  type DistributionConfig,
  type Tag,
} from "@aws-sdk/client-cloudfront";
import { IacError, UP_TAG_KEY, type Applied, type ApplyContext, type ResourceHandler, type TemplateObject } from "../types.js";
import { answered, callCloudFront, etagOf, unlessAnswered, type ResourceAt } from "./call.js";
import { isTemplateObject, propertyError, resourceLabel, toSdkShape } from "./convert.js";
import { atProperty, checkKnown, required, tagsOf, upReference } from "./properties.js";
import { syncTags } from "./tags.js";

/**
 * AWS::CloudFront::Distribution → CreateDistributionWithTags / UpdateDistribution. The DistributionConfig is
 * converted to the API's shape, its origins pointed at local sources (context.origins), its CallerReference
 * `<stack>/<logicalId>`, and it carries the edgelite:up tag an earlier `up` on the same data is found by.
 * Ref is the distribution's Id; GetAtt DomainName and Id (CloudFormation Template Reference,
 * AWS::CloudFront::Distribution, "Return values"). Deleting disables it first, as CloudFront requires.
 */

const TYPE = "AWS::CloudFront::Distribution";
const PROPERTIES = ["DistributionConfig", "Tags"] as const;

export const distributionHandler: ResourceHandler = {
  type: TYPE,
  async apply(context, logicalId, properties, previous) {
    const where: ResourceAt = { stackName: context.stackName, logicalId, type: TYPE };
    checkKnown(properties, PROPERTIES, where);
    const config = distributionConfig(context, where, properties);
    const tags = tagsOf(properties, where);
    const existing = previous?.physicalId ?? (await findByTag(context, where));
    let distribution: Distribution | undefined;
    if (existing !== undefined) {
      distribution = await unlessAnswered(["NoSuchDistribution"], () => update(context, where, existing, config));
      if (distribution) await syncTags(context, where, distribution.ARN!, tags);
    }
    distribution ??= await create(context, where, config, tags);
    return applied(where, distribution, properties);
  },

  async delete(context, previous) {
    const where: ResourceAt = { stackName: context.stackName, logicalId: previous.logicalId, type: TYPE };
    const id = previous.physicalId;
    const current = await unlessAnswered(["NoSuchDistribution"], () => getConfig(context, where, id));
    if (!current) return;
    let ifMatch = current.etag;
    if (current.config.Enabled) {
      const disabled = await callCloudFront(where, `UpdateDistribution ${id} (disable)`, () =>
        context.cloudfront.send(new UpdateDistributionCommand({ Id: id, IfMatch: ifMatch, DistributionConfig: { ...current.config, Enabled: false } })),
      );
      ifMatch = etagOf(where, "UpdateDistribution", disabled.ETag);
    }
    await unlessAnswered(["NoSuchDistribution"], () =>
      callCloudFront(where, `DeleteDistribution ${id}`, () => context.cloudfront.send(new DeleteDistributionCommand({ Id: id, IfMatch: ifMatch }))),
    );
  },
};

/** The template's DistributionConfig in the API's shape, with `up`'s CallerReference and local origins. */
function distributionConfig(context: ApplyContext, where: ResourceAt, properties: TemplateObject): DistributionConfig {
  const written = required(properties, "DistributionConfig", where);
  if (isTemplateObject(written) && Object.hasOwn(written, "CallerReference")) {
    throw propertyError(atProperty(where, "DistributionConfig.CallerReference"), "is not a CloudFormation property (CloudFormation sets it); remove it.");
  }
  const config = toSdkShape<DistributionConfig>(written, "DistributionConfig", atProperty(where, "DistributionConfig"));
  config.CallerReference = upReference(where);
  return context.origins.mapOrigins(config, where.logicalId);
}

async function create(context: ApplyContext, where: ResourceAt, config: DistributionConfig, tags: Tag[]): Promise<Distribution> {
  const created = await withFunctionHint(() =>
    callCloudFront(where, "CreateDistributionWithTags", () =>
      context.cloudfront.send(new CreateDistributionWithTagsCommand({ DistributionConfigWithTags: { DistributionConfig: config, Tags: { Items: tags } } })),
    ),
  );
  return created.Distribution!;
}

async function update(context: ApplyContext, where: ResourceAt, id: string, config: DistributionConfig): Promise<Distribution> {
  const current = await getConfig(context, where, id);
  // CloudFront refuses a changed CallerReference: keep the one the distribution was made with.
  const next: DistributionConfig = { ...config, CallerReference: current.config.CallerReference };
  const updated = await withFunctionHint(() =>
    callCloudFront(where, `UpdateDistribution ${id}`, () => context.cloudfront.send(new UpdateDistributionCommand({ Id: id, IfMatch: current.etag, DistributionConfig: next }))),
  );
  return updated.Distribution!;
}

async function getConfig(context: ApplyContext, where: ResourceAt, id: string): Promise<{ config: DistributionConfig; etag: string }> {
  const got = await callCloudFront(where, `GetDistributionConfig ${id}`, () => context.cloudfront.send(new GetDistributionConfigCommand({ Id: id })));
  return { config: got.DistributionConfig!, etag: etagOf(where, "GetDistributionConfig", got.ETag) };
}

/** The distribution an earlier `up` made for this resource: the one tagged edgelite:up = `<stack>/<logicalId>`. */
async function findByTag(context: ApplyContext, where: ResourceAt): Promise<string | undefined> {
  const wanted = upReference(where);
  let marker: string | undefined;
  do {
    const page = await callCloudFront(where, "ListDistributions", () => context.cloudfront.send(new ListDistributionsCommand({ Marker: marker })));
    for (const summary of page.DistributionList?.Items ?? []) {
      const arn = summary.ARN!;
      const tags = await callCloudFront(where, `ListTagsForResource ${arn}`, () => context.cloudfront.send(new ListTagsForResourceCommand({ Resource: arn })));
      if (tags.Tags?.Items?.some((tag) => tag.Key === UP_TAG_KEY && tag.Value === wanted)) return summary.Id;
    }
    marker = page.DistributionList?.IsTruncated ? page.DistributionList.NextMarker : undefined;
  } while (marker);
  return undefined;
}

/** CloudFront's answer for a function that is not LIVE, with what to change in the template. */
async function withFunctionHint<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (answered(error, "InvalidFunctionAssociation")) {
      throw new IacError(`${error.message} A function resource of the template is LIVE only with AutoPublish: true.`, error.logicalId, error.code);
    }
    throw error;
  }
}

function applied(where: ResourceAt, distribution: Distribution, properties: TemplateObject): Applied {
  const id = distribution.Id;
  const domainName = distribution.DomainName;
  if (!id || !domainName) throw new IacError(`${resourceLabel(where)}: CloudFront answered no Id or DomainName.`, where.logicalId);
  return {
    logicalId: where.logicalId,
    type: TYPE,
    physicalId: id,
    ref: id,
    attributes: new Map([
      ["DomainName", domainName],
      ["Id", id],
    ]),
    properties,
    summary: `${id} (${domainName})`,
  };
}
