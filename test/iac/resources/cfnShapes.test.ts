import { describe, expect, it } from "vitest";
import { apiShape, isQuantityWrapper, memberShape } from "../../../src/iac/resources/apiModel.js";
import type { ApiShape } from "../../../src/iac/resources/shapeTypes.js";
import { renameOf } from "../../../src/iac/resources/cfnShapes.js";
import { readCfnSchema, type CfnProperty, type CfnSchema } from "./cfnSchema.js";

/**
 * Every CloudFormation property of the emulated types (aws-cdk-lib's copy of the CloudFormation schemas)
 * meets an API member of the same kind through the rename table, or is one the converter reshapes itself.
 */

/** Properties cfnShapes.ts's rewrites move or merge (each has its own conversion test in convert.test.ts). */
const REWRITTEN: Record<string, readonly string[]> = {
  DistributionConfig: ["CNAMEs", "CustomOrigin", "S3Origin"],
  DefaultCacheBehavior: ["CachedMethods"],
  CacheBehavior: ["CachedMethods"],
};

const ROOTS: Array<[cfnConverter: string, property: string, apiShape: string]> = [
  ["convertCfnDistributionPropsToCloudFormation", "DistributionConfig", "DistributionConfig"],
  ["convertCfnFunctionPropsToCloudFormation", "FunctionConfig", "FunctionConfig"],
  ["convertCfnCachePolicyPropsToCloudFormation", "CachePolicyConfig", "CachePolicyConfig"],
  ["convertCfnOriginRequestPolicyPropsToCloudFormation", "OriginRequestPolicyConfig", "OriginRequestPolicyConfig"],
  ["convertCfnResponseHeadersPolicyPropsToCloudFormation", "ResponseHeadersPolicyConfig", "ResponseHeadersPolicyConfig"],
  ["convertCfnOriginAccessControlPropsToCloudFormation", "OriginAccessControlConfig", "OriginAccessControlConfig"],
];

function mismatches(schema: CfnSchema, converter: string, shapeName: string, path: string, found: string[]): void {
  const properties = schema.get(converter);
  if (!properties) {
    found.push(`${path}: aws-cdk-lib has no ${converter}`);
    return;
  }
  const shape = apiShape(shapeName);
  if (shape.type !== "structure") {
    found.push(`${path}: ${shapeName} is not a structure`);
    return;
  }
  for (const [key, property] of properties) {
    if (REWRITTEN[shapeName]?.includes(key)) continue;
    const target = memberShape(shape, renameOf(shapeName, key));
    if (target === undefined) {
      found.push(`${path}.${key}: no member of ${shapeName}`);
      continue;
    }
    check(schema, property, target, `${path}.${key}`, found);
  }
}

function check(schema: CfnSchema, property: CfnProperty, targetName: string, path: string, found: string[]): void {
  const target = apiShape(targetName);
  if (property.list) {
    const member = listMemberOf(target);
    if (member === undefined) return void found.push(`${path}: a list in CloudFormation, ${targetName} in the API`);
    return check(schema, { list: false, target: property.target }, member, `${path}[]`, found);
  }
  if (property.target.startsWith("convertCfn")) return mismatches(schema, property.target, targetName, path, found);
  if (!scalarFits(property.target, target)) found.push(`${path}: ${property.target} in CloudFormation, ${target.type} in the API`);
}

function listMemberOf(shape: ApiShape): string | undefined {
  if (shape.type === "list") return shape.member;
  if (isQuantityWrapper(shape)) {
    const items = apiShape(shape.members.Items!);
    return items.type === "list" ? items.member : undefined;
  }
  return undefined;
}

function scalarFits(cfn: string, api: ApiShape): boolean {
  // The converter writes a number as its decimal text (CustomErrorResponse.ResponseCode: a number in CloudFormation).
  if (cfn === "string" || cfn === "number") if (api.type === "string") return true;
  if (cfn === "number") return ["integer", "long", "float", "double"].includes(api.type);
  if (cfn === "boolean") return api.type === "boolean";
  return false;
}

describe("CloudFormation's CloudFront property names against the API model", () => {
  const schema = readCfnSchema();
  it.each(ROOTS)("%s %s meets %s member for member", (converter, property, shapeName) => {
    const root = schema.get(converter)?.get(property);
    expect(root, `${converter} ${property}`).toBeDefined();
    const found: string[] = [];
    mismatches(schema, root!.target, shapeName, property, found);
    expect(found).toEqual([]);
  });

  it("has every property the rewrites reshape", () => {
    for (const [shapeName, keys] of Object.entries(REWRITTEN)) {
      const properties = schema.get(`convertCfnDistribution${shapeName}PropertyToCloudFormation`);
      for (const key of keys) expect(properties?.has(key), `${shapeName}.${key}`).toBe(true);
    }
  });

  it("finds a property the API does not have (the check can fail)", () => {
    const found: string[] = [];
    const fake: CfnSchema = new Map([["convertCfnFake", new Map([["NoSuchMember", { list: false, target: "string" }]])]]);
    mismatches(fake, "convertCfnFake", "Origin", "Origin", found);
    expect(found).toEqual(["Origin.NoSuchMember: no member of Origin"]);
  });
});
