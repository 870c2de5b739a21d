import { getOwn } from "../../nullPrototype.js";
import { IacError, type Applied, type ResourceHandler, type TemplateObject, type TemplateValue } from "../types.js";

export const SSM_PARAMETER_TYPE = "AWS::SSM::Parameter";
/**
 * The custom resource CDK's `cloudfront.experimental.EdgeFunction` puts in a distribution's stack outside
 * us-east-1: it reads the Lambda@Edge version's ARN from the SSM parameter the function's us-east-1 stack
 * writes, and answers it as its `FunctionArn` attribute (aws-cdk-lib, aws-cloudfront/lib/experimental/edge-function.ts).
 */
export const CROSS_REGION_READER_TYPE = "Custom::CrossRegionStringParameterReader";

/** An SSM parameter value is at most 8 KB (advanced tier; Parameter Store quotas). */
const MAX_PARAMETER_VALUE_BYTES = 8 * 1024;

/**
 * Parameter Store as far as one run of `up` both writes and reads it: `AWS::SSM::Parameter` resources hold
 * their value here, and CDK's cross-region reader reads it back, so a distribution in one stack gets the
 * Lambda@Edge version ARN its edge stack made (a placeholder, as Lambda is not emulated). Nothing is read
 * from, or written to, AWS.
 */
export class LocalParameterStore {
  readonly handlers: ReadonlyMap<string, ResourceHandler>;
  private readonly values = new Map<string, string>();

  constructor() {
    this.handlers = new Map<string, ResourceHandler>([
      [SSM_PARAMETER_TYPE, { type: SSM_PARAMETER_TYPE, apply: async (context, logicalId, properties) => this.put(context.stackName, logicalId, properties), delete: async (_context, previous) => void this.values.delete(previous.physicalId) }],
      [CROSS_REGION_READER_TYPE, { type: CROSS_REGION_READER_TYPE, apply: async (context, logicalId, properties) => this.read(context.stackName, logicalId, properties), delete: async () => {} }],
    ]);
  }

  private put(stackName: string, logicalId: string, properties: TemplateObject): Applied {
    const where = `${stackName}/${logicalId} (${SSM_PARAMETER_TYPE})`;
    const value = getOwn(properties, "Value");
    if (typeof value !== "string") throw new IacError(`${where}: Value must be a string.`, logicalId);
    if (Buffer.byteLength(value) > MAX_PARAMETER_VALUE_BYTES) throw new IacError(`${where}: Value is over ${MAX_PARAMETER_VALUE_BYTES} bytes, Parameter Store's limit.`, logicalId);
    const given = getOwn(properties, "Name");
    if (given !== undefined && typeof given !== "string") throw new IacError(`${where}: Name must be a string.`, logicalId);
    // CloudFormation names a parameter without Name `CFN-<logicalId>-<random>`.
    const name = given ?? `CFN-${logicalId}-${stackName}`;
    this.values.set(name, value);
    const type = getOwn(properties, "Type");
    return {
      logicalId,
      type: SSM_PARAMETER_TYPE,
      physicalId: name,
      ref: name,
      attributes: new Map<string, TemplateValue>([
        ["Type", typeof type === "string" ? type : "String"],
        ["Value", value],
      ]),
      properties,
      summary: `${name} (kept locally for the template's readers)`,
    };
  }

  private read(stackName: string, logicalId: string, properties: TemplateObject): Applied {
    const name = getOwn(properties, "ParameterName");
    const where = `${stackName}/${logicalId} (${CROSS_REGION_READER_TYPE})`;
    if (typeof name !== "string") throw new IacError(`${where}: ParameterName must be a string.`, logicalId);
    const value = this.values.get(name);
    if (value === undefined) {
      throw new IacError(`${where} reads the SSM parameter ${name}, which no stack brought up in this run writes: bring up the stack that makes it too (it is CDK's EdgeFunction stack, edge-lambda-stack-…; leave --stack out, or name both).`, logicalId);
    }
    return {
      logicalId,
      type: CROSS_REGION_READER_TYPE,
      physicalId: `${stackName}-${logicalId}`,
      ref: `${stackName}-${logicalId}`,
      attributes: new Map<string, TemplateValue>([["FunctionArn", value]]),
      properties,
      summary: `${name} = ${value}`,
    };
  }
}
