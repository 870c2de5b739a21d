import type { CloudFrontClient } from "@aws-sdk/client-cloudfront";

/**
 * The shared vocabulary of `edgelite up`: a CloudFormation template (or a CDK cloud assembly's) is read
 * (template/), its resources applied to an edgelite server through the CloudFront API as an AWS client would
 * (resources/, engine/), and its origins given local sources (origins/).
 */

/**
 * A template value as parsed from JSON or YAML, intrinsics in their long form (`{"Fn::Sub": …}`, `{"Ref": …}`;
 * YAML short forms such as `!Sub` are read into that form). Objects are null-prototype: keys are the
 * template author's.
 */
export type TemplateValue = null | boolean | number | string | TemplateValue[] | TemplateObject;
export interface TemplateObject {
  [key: string]: TemplateValue;
}

/** One entry of a template's Resources, as written (properties unresolved). */
export interface TemplateResource {
  readonly logicalId: string;
  readonly type: string;
  /** The Properties object, or an empty one when the template has none. */
  readonly properties: TemplateObject;
  readonly dependsOn: readonly string[];
  /** The name of the condition that must hold for the resource to exist. */
  readonly condition?: string;
  readonly metadata?: TemplateObject;
}

/** A stack to bring up: a template file, or one stack of a cloud assembly. */
export interface StackSource {
  /** AWS::StackName: the cloud assembly's stackName, or the template file's name without its extension. */
  readonly stackName: string;
  /** The file the template was read from (messages, `--watch`). */
  readonly templateFile: string;
  /** The parsed template (a JSON or YAML document; not checked beyond being an object). */
  readonly template: TemplateObject;
}

/** A local file or folder standing for an S3 object (a CDK asset, or a file under a `--s3` folder). */
export interface LocalObject {
  /** Absolute path. */
  readonly path: string;
  /**
   * `file`: the object's bytes are the file's; `zip`: the object is a zip of this folder's content (a CDK
   * asset with packaging zip that cdk synth staged as a folder) or, when `path` is a `.zip` file, that file.
   */
  readonly packaging: "file" | "zip";
}

/** Where S3 objects named by a template (`arn:aws:s3:::bucket/key`, SourceBucketNames + SourceObjectKeys) are on this machine. */
export interface S3ObjectLocator {
  /** `bucket` and `key` already resolved (pseudo parameters substituted). Undefined when nothing local stands for it. */
  locate(bucket: string, key: string): LocalObject | undefined;
}

/** What a resource became once applied: how the rest of the template sees it, and what it was made from. */
export interface Applied {
  readonly logicalId: string;
  readonly type: string;
  /** What the handler needs to update or delete it (function or store name, distribution or policy id). */
  readonly physicalId: string;
  /** The value of `{"Ref": logicalId}`. */
  readonly ref: string;
  /** `Fn::GetAtt` values by attribute name (nested names such as `FunctionMetadata.FunctionARN` as written). */
  readonly attributes: ReadonlyMap<string, TemplateValue>;
  /** The resolved properties it was applied from: the engine compares them (as JSON) to tell whether to apply again. */
  readonly properties: TemplateObject;
  /** One line for the terminal after "created"/"updated", e.g. `hello (LIVE, cloudfront-js-2.0)`; optional. */
  readonly summary?: string;
}

/** Lines for the terminal (the CLI decides colours and JSON). */
export interface IacLog {
  info(message: string): void;
  warn(message: string): void;
}

/** The local sources origins are mapped to (origins/): rewrites a distribution's origins before it is created or updated. */
export interface OriginMapper {
  /**
   * Takes the API-shaped DistributionConfig (as `@aws-sdk/client-cloudfront` takes it) and returns it with each
   * origin pointed at its local source (`--origin`, `--s3`, a BucketDeployment's folder), or at a domain that
   * answers CloudFront's 502 with a log naming the flag to add. `distributionLogicalId` for messages.
   */
  mapOrigins<T extends { Origins?: { Items?: ReadonlyArray<{ Id?: string; DomainName?: string }> } }>(config: T, distributionLogicalId: string): T;
}

/** Puts key value store data through the data plane (UpdateKeys), as `edgelite kvs import` does. */
export interface KeyValueData {
  /** Makes the store (by ARN) hold exactly these keys; answers how many it holds. */
  replaceKeys(arn: string, entries: ReadonlyArray<readonly [string, string]>): Promise<number>;
}

/** What a handler is given to apply a resource. */
export interface ApplyContext {
  readonly cloudfront: CloudFrontClient;
  readonly keyValueData: KeyValueData;
  readonly s3Objects: S3ObjectLocator;
  readonly origins: OriginMapper;
  readonly stackName: string;
  readonly log: IacLog;
}

/**
 * One resource type's life cycle through the CloudFront API. `apply` creates when there is no `previous`
 * (adopting what an earlier `up` on the same data made, found by name or by the `edgelite:up` tag, rather than
 * failing with …AlreadyExists), and updates otherwise. A change CloudFormation makes by replacement (a
 * function's Name) is a new physicalId: the engine deletes the previous one after its dependants moved on.
 */
export interface ResourceHandler {
  readonly type: string;
  apply(context: ApplyContext, logicalId: string, properties: TemplateObject, previous: Applied | undefined): Promise<Applied>;
  delete(context: ApplyContext, previous: Applied): Promise<void>;
}

/** The tag `up` puts on what it creates (taggable resources: functions, key value stores, distributions): `<stack>/<logicalId>`. */
export const UP_TAG_KEY = "edgelite:up";

/**
 * A template or apply problem the user can fix: the message names the stack, the logical id and what to do.
 * `code` is CloudFormation's or CloudFront's error code when there is one.
 */
export class IacError extends Error {
  constructor(
    message: string,
    readonly logicalId?: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = "IacError";
  }
}
