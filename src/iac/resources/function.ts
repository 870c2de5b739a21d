import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  DescribeFunctionCommand,
  PublishFunctionCommand,
  UpdateFunctionCommand,
  type FunctionConfig,
  type FunctionSummary,
} from "@aws-sdk/client-cloudfront";
import { IacError, type Applied, type ApplyContext, type ResourceHandler, type TemplateObject } from "../types.js";
import { answered, callCloudFront, etagOf, unlessAnswered, type ResourceAt } from "./call.js";
import { resourceLabel, toSdkShape } from "./convert.js";
import { atProperty, checkKnown, optionalBoolean, required, requiredString, tagsOf } from "./properties.js";
import { syncTags } from "./tags.js";

/**
 * AWS::CloudFront::Function → CreateFunction / UpdateFunction, then PublishFunction when AutoPublish is true
 * (CDK's default). Ref is the function's ARN; GetAtt FunctionARN, FunctionMetadata.FunctionARN and Stage
 * (CloudFormation Template Reference, AWS::CloudFront::Function, "Return values"). A new Name is a new
 * function (CloudFormation replaces the resource); an earlier `up`'s function of the same name is adopted.
 */

const TYPE = "AWS::CloudFront::Function";
const PROPERTIES = ["Name", "FunctionCode", "FunctionConfig", "AutoPublish", "FunctionMetadata", "Tags"] as const;

interface Written {
  readonly stage: "LIVE" | "DEVELOPMENT";
  readonly summary: FunctionSummary;
}

export const functionHandler: ResourceHandler = {
  type: TYPE,
  // A previous apply under another Name is replaced: the engine deletes it once its dependants moved on.
  async apply(context, logicalId, properties) {
    const where: ResourceAt = { stackName: context.stackName, logicalId, type: TYPE };
    checkKnown(properties, PROPERTIES, where);
    const name = requiredString(properties, "Name", where);
    const config = toSdkShape<FunctionConfig>(required(properties, "FunctionConfig", where), "FunctionConfig", atProperty(where, "FunctionConfig"));
    const code = functionCode(properties, where);
    const autoPublish = optionalBoolean(properties, "AutoPublish", where) ?? false;
    const tags = tagsOf(properties, where);

    // Create, or (the function exists: this run's previous apply, or an earlier `up` on the same data) update.
    let etag: string;
    let summary: FunctionSummary;
    try {
      const created = await callCloudFront(where, `CreateFunction ${name}`, () =>
        context.cloudfront.send(new CreateFunctionCommand({ Name: name, FunctionConfig: config, FunctionCode: code, Tags: { Items: tags } })),
      );
      etag = etagOf(where, "CreateFunction", created.ETag);
      summary = created.FunctionSummary!;
    } catch (error) {
      if (!answered(error, "FunctionAlreadyExists")) throw error;
      ({ etag, summary } = await update(context, where, name, config, code));
      await syncTags(context, where, arnOf(where, summary), tags);
    }
    const written = autoPublish ? await publish(context, where, name, etag) : development(context, where, name, summary);
    return applied(where, name, written, properties, config);
  },

  async delete(context, previous) {
    const where: ResourceAt = { stackName: context.stackName, logicalId: previous.logicalId, type: TYPE };
    const name = previous.physicalId;
    const described = await unlessAnswered(["NoSuchFunctionExists"], () =>
      callCloudFront(where, `DescribeFunction ${name}`, () => context.cloudfront.send(new DescribeFunctionCommand({ Name: name, Stage: "DEVELOPMENT" }))),
    );
    if (!described) return;
    const ifMatch = etagOf(where, "DescribeFunction", described.ETag);
    await unlessAnswered(["NoSuchFunctionExists"], () =>
      callCloudFront(where, `DeleteFunction ${name}`, () => context.cloudfront.send(new DeleteFunctionCommand({ Name: name, IfMatch: ifMatch }))),
    );
  },
};

/** The code as UTF-8 bytes (CloudFormation's FunctionCode is the source text). */
function functionCode(properties: TemplateObject, where: ResourceAt): Uint8Array {
  return new TextEncoder().encode(requiredString(properties, "FunctionCode", where));
}

async function update(context: ApplyContext, where: ResourceAt, name: string, config: FunctionConfig, code: Uint8Array): Promise<{ etag: string; summary: FunctionSummary }> {
  const described = await callCloudFront(where, `DescribeFunction ${name}`, () => context.cloudfront.send(new DescribeFunctionCommand({ Name: name, Stage: "DEVELOPMENT" })));
  const ifMatch = etagOf(where, "DescribeFunction", described.ETag);
  const updated = await callCloudFront(where, `UpdateFunction ${name}`, () =>
    context.cloudfront.send(new UpdateFunctionCommand({ Name: name, IfMatch: ifMatch, FunctionConfig: config, FunctionCode: code })),
  );
  return { etag: etagOf(where, "UpdateFunction", updated.ETag), summary: updated.FunctionSummary! };
}

async function publish(context: ApplyContext, where: ResourceAt, name: string, etag: string): Promise<Written> {
  const published = await callCloudFront(where, `PublishFunction ${name}`, () => context.cloudfront.send(new PublishFunctionCommand({ Name: name, IfMatch: etag })));
  return { stage: "LIVE", summary: published.FunctionSummary! };
}

function development(context: ApplyContext, where: ResourceAt, name: string, summary: FunctionSummary): Written {
  context.log.warn(
    `${resourceLabel(where)}: AutoPublish is not true, so ${name} stays in DEVELOPMENT; a distribution can only associate a LIVE function. Set AutoPublish: true (CDK's default) to publish it.`,
  );
  return { stage: "DEVELOPMENT", summary };
}

function arnOf(where: ResourceAt, summary: FunctionSummary | undefined): string {
  const arn = summary?.FunctionMetadata?.FunctionARN;
  if (!arn) throw new IacError(`${resourceLabel(where)}: CloudFront answered no FunctionARN.`, where.logicalId);
  return arn;
}

function applied(where: ResourceAt, name: string, written: Written, properties: TemplateObject, config: FunctionConfig): Applied {
  const arn = arnOf(where, written.summary);
  return {
    logicalId: where.logicalId,
    type: TYPE,
    physicalId: name,
    ref: arn,
    attributes: new Map([
      ["FunctionARN", arn],
      ["FunctionMetadata.FunctionARN", arn],
      ["Stage", written.stage],
    ]),
    properties,
    summary: `${name} (${written.stage}, ${config.Runtime})`,
  };
}
