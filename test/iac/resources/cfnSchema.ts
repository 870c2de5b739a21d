import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * CloudFormation's property shapes for AWS::CloudFront::*, read from aws-cdk-lib's generated L1 code
 * (`aws-cloudfront/lib/cloudfront.generated.js`, generated from the CloudFormation resource schemas): each
 * `convertCfn…ToCloudFormation` function lists a property type's CloudFormation names and what each holds.
 */

export type CfnScalar = "string" | "number" | "boolean" | "tag";
export interface CfnProperty {
  readonly list: boolean;
  /** A scalar, or the name of the converter of the property type it holds. */
  readonly target: CfnScalar | string;
}
export type CfnSchema = ReadonlyMap<string, ReadonlyMap<string, CfnProperty>>;

const CONVERTER = /function (convertCfn\w+ToCloudFormation)\(properties\)\{return cdk\(\)\.canInspect\(properties\)\?\(\w+\(properties\)\.assertSuccess\(\),\{(.*?)\}\):properties\}/g;
const SCALARS: Record<string, CfnScalar> = {
  "cdk().stringToCloudFormation": "string",
  "cdk().numberToCloudFormation": "number",
  "cdk().booleanToCloudFormation": "boolean",
  "cdk().cfnTagToCloudFormation": "tag",
};

export function readCfnSchema(): CfnSchema {
  const require = createRequire(import.meta.url);
  const file = join(dirname(require.resolve("aws-cdk-lib/package.json")), "aws-cloudfront/lib/cloudfront.generated.js");
  const source = readFileSync(file, "utf8");
  const schema = new Map<string, Map<string, CfnProperty>>();
  for (const [, name, body] of source.matchAll(CONVERTER)) {
    const properties = new Map<string, CfnProperty>();
    for (const entry of body!.split(/,(?=[A-Za-z0-9]+:)/)) {
      const colon = entry.indexOf(":");
      const key = entry.slice(0, colon);
      const expression = entry.slice(colon + 1);
      const listed = /^cdk\(\)\.listMapper\((.+)\)\(properties\./.exec(expression);
      const list = listed !== null;
      const mapper = listed ? listed[1]! : /^([\w().]+?)\(properties\./.exec(expression)![1]!;
      const target = SCALARS[mapper] ?? mapper;
      properties.set(key, { list, target });
    }
    schema.set(name!, properties);
  }
  return schema;
}
