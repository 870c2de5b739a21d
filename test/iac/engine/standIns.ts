import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  DescribeFunctionCommand,
  PublishFunctionCommand,
  UpdateFunctionCommand,
  type FunctionRuntime,
} from "@aws-sdk/client-cloudfront";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { AttributeSource, StackOutput, StackPlan } from "../../../src/iac/engine/stack.js";
import type { Applied, ApplyContext, ResourceHandler, StackSource, TemplateObject, TemplateResource, TemplateValue } from "../../../src/iac/types.js";
import { IacError } from "../../../src/iac/types.js";

/**
 * Minimal stand-ins for the parts built beside the engine (template/, resources/, origins/): a plan that
 * resolves only Ref and Fn::GetAtt in a JSON template, a real handler for AWS::CloudFront::Function through
 * the SDK, and a handler recording its calls.
 */

const isObject = (value: TemplateValue | undefined): value is TemplateObject => typeof value === "object" && value !== null && !Array.isArray(value);

function resolveValue(value: TemplateValue, attributes: AttributeSource): TemplateValue {
  if (Array.isArray(value)) return value.map((item) => resolveValue(item, attributes));
  if (!isObject(value)) return value;
  if (typeof value.Ref === "string") {
    const ref = attributes.ref(value.Ref);
    if (ref === undefined) throw new IacError(`Ref ${value.Ref}: no such resource`, value.Ref);
    return ref;
  }
  const getAtt = value["Fn::GetAtt"];
  if (Array.isArray(getAtt) && typeof getAtt[0] === "string" && typeof getAtt[1] === "string") {
    const found = attributes.getAtt(getAtt[0], getAtt[1]);
    if (found === undefined) throw new IacError(`Fn::GetAtt ${getAtt[0]}.${getAtt[1]}: no such attribute`, getAtt[0]);
    return found;
  }
  const out = Object.create(null) as TemplateObject;
  for (const [key, item] of Object.entries(value)) out[key] = resolveValue(item, attributes);
  return out;
}

function referencesOf(value: TemplateValue, into: Set<string>): Set<string> {
  if (Array.isArray(value)) value.forEach((item) => referencesOf(item, into));
  else if (isObject(value)) {
    if (typeof value.Ref === "string") into.add(value.Ref);
    const getAtt = value["Fn::GetAtt"];
    if (Array.isArray(getAtt) && typeof getAtt[0] === "string") into.add(getAtt[0]);
    Object.values(value).forEach((item) => referencesOf(item, into));
  }
  return into;
}

export function planOf(source: StackSource): StackPlan {
  const resources = new Map<string, TemplateResource>();
  const declared = isObject(source.template.Resources) ? source.template.Resources : {};
  for (const [logicalId, body] of Object.entries(declared)) {
    if (!isObject(body) || typeof body.Type !== "string") throw new IacError(`${logicalId}: no Type`, logicalId);
    resources.set(logicalId, { logicalId, type: body.Type, properties: isObject(body.Properties) ? body.Properties : {}, dependsOn: [] });
  }
  const order: string[] = [];
  const visit = (logicalId: string, path: string[]) => {
    if (order.includes(logicalId)) return;
    if (path.includes(logicalId)) throw new IacError(`circular reference at ${logicalId}`, logicalId);
    for (const dependency of referencesOf(resources.get(logicalId)!.properties, new Set())) if (resources.has(dependency)) visit(dependency, [...path, logicalId]);
    order.push(logicalId);
  };
  for (const logicalId of resources.keys()) visit(logicalId, []);
  const outputs = isObject(source.template.Outputs) ? source.template.Outputs : {};
  return {
    stackName: source.stackName,
    resources,
    order,
    resolve: (logicalId, attributes) => resolveValue(resources.get(logicalId)!.properties, attributes) as TemplateObject,
    outputs: (attributes): StackOutput[] =>
      Object.entries(outputs).map(([name, body]) => {
        const output = isObject(body) ? body : {};
        const exportName = isObject(output.Export) && typeof output.Export.Name === "string" ? output.Export.Name : undefined;
        try {
          return { name, value: resolveValue(output.Value ?? null, attributes), ...(exportName ? { exportName } : {}) };
        } catch (error) {
          return { name, value: undefined, error: (error as Error).message };
        }
      }),
  };
}

export function sourceOf(stackName: string, template: object, templateFile = `${stackName}.json`): StackSource {
  return { stackName, templateFile, template: JSON.parse(JSON.stringify(template)) as TemplateObject };
}

/** A template file read as template/'s loadStacks would (JSON only). */
export function loadTemplateFile(file: string): { stacks: StackSource[]; watchPaths: string[] } {
  const template = JSON.parse(readFileSync(file, "utf8")) as TemplateObject;
  return { stacks: [{ stackName: basename(file).replace(/\.[^.]+$/, ""), templateFile: file, template }], watchPaths: [file] };
}

const text = (value: TemplateValue | undefined) => (typeof value === "string" ? value : "");

/** AWS::CloudFront::Function through the real SDK (Name, FunctionCode, FunctionConfig.Runtime; always published). */
export const functionHandler: ResourceHandler = {
  type: "AWS::CloudFront::Function",
  async apply(context: ApplyContext, logicalId, properties, previous) {
    const name = text(properties.Name);
    const code = new TextEncoder().encode(text(properties.FunctionCode));
    const config = isObject(properties.FunctionConfig) ? properties.FunctionConfig : {};
    const FunctionConfig = { Comment: text(config.Comment), Runtime: (text(config.Runtime) || "cloudfront-js-2.0") as FunctionRuntime };
    let etag: string | undefined;
    if (previous !== undefined && previous.physicalId === name) {
      const described = await context.cloudfront.send(new DescribeFunctionCommand({ Name: name }));
      etag = (await context.cloudfront.send(new UpdateFunctionCommand({ Name: name, IfMatch: described.ETag, FunctionConfig, FunctionCode: code }))).ETag;
    } else {
      etag = (await context.cloudfront.send(new CreateFunctionCommand({ Name: name, FunctionConfig, FunctionCode: code }))).ETag;
    }
    const published = await context.cloudfront.send(new PublishFunctionCommand({ Name: name, IfMatch: etag }));
    const arn = published.FunctionSummary?.FunctionMetadata?.FunctionARN ?? "";
    return { logicalId, type: this.type, physicalId: name, ref: arn, attributes: new Map([["FunctionARN", arn]]), properties, summary: `${name} (LIVE)` };
  },
  async delete(context, previous) {
    const described = await context.cloudfront.send(new DescribeFunctionCommand({ Name: previous.physicalId }));
    await context.cloudfront.send(new DeleteFunctionCommand({ Name: previous.physicalId, IfMatch: described.ETag }));
  },
};

export interface Call {
  readonly op: "apply" | "delete";
  readonly logicalId: string;
  readonly physicalId: string;
  readonly properties?: TemplateObject;
  readonly previous?: string;
}

/** A handler that applies nothing but records each call; physicalId is the Name property (a new name replaces). */
export function recordingHandler(type: string, calls: Call[], fail?: (logicalId: string) => Error | undefined): ResourceHandler {
  return {
    type,
    async apply(_context, logicalId, properties, previous) {
      const failure = fail?.(logicalId);
      if (failure) throw failure;
      const physicalId = text(properties.Name) || `${logicalId}-id`;
      calls.push({ op: "apply", logicalId, physicalId, properties, ...(previous ? { previous: previous.physicalId } : {}) });
      return { logicalId, type, physicalId, ref: `ref:${physicalId}`, attributes: new Map<string, TemplateValue>([["Arn", `arn:${physicalId}`], ["DomainName", `${physicalId}.cloudfront.localhost`]]), properties };
    },
    async delete(_context, previous: Applied) {
      calls.push({ op: "delete", logicalId: previous.logicalId, physicalId: previous.physicalId });
    },
  };
}

/** LocalOrigins.notEmulated's stand-in: a placeholder whose Ref names the logical id. */
export function placeholder(stackName: string, logicalId: string, type: string, properties: TemplateObject): Applied {
  return { logicalId, type, physicalId: `${logicalId}-placeholder`, ref: `${stackName}-${logicalId}`.toLowerCase(), attributes: new Map([["DomainName", `${logicalId.toLowerCase()}.invalid`]]), properties };
}
