import { placeholderForLogicalId } from "../../placeholderDomains.js";
import type { Applied, TemplateObject, TemplateValue } from "../types.js";
import { generatedName, partitionOf, type Place } from "./names.js";

/**
 * Stand-ins for resources `up` does not emulate (Lambda functions, IAM roles, load balancers, API Gateway…):
 * the template still resolves, and whatever is built from them points nowhere real. Ref is a name as
 * CloudFormation generates one; any attribute is made up from its name: ARNs, domain names under `.invalid`
 * spelling the logical id (so the edge's 502 names `--origin <logicalId>=…`), URLs on that domain, names and
 * ids from Ref. CloudFormation documents a different set per type; a placeholder answers every name.
 */

/** Ref values stand in as names and ids, and may become a DNS label (an API Gateway id in a domain). */
const PLACEHOLDER_REF_MAX = 63;

/** The kind of value an attribute name suggests. */
function attributeKind(attribute: string): "arn" | "domain" | "url" | "port" | "name" {
  const last = attribute.split(".").at(-1) ?? attribute;
  if (/arn$/i.test(last)) return "arn";
  if (/(url|uri)$/i.test(last)) return "url";
  if (/(domainname|dnsname|hostname|host|address|endpoint)$/i.test(last)) return "domain";
  if (/port$/i.test(last)) return "port";
  return "name";
}

/** `AWS::Lambda::Function` → `lambda` and `function`; `Custom::Thing` → `custom` and `thing`. */
function serviceAndResource(type: string): [string, string] {
  const parts = type.split("::");
  const service = (parts.length >= 3 ? parts[1] : parts[0]) ?? "unknown";
  const resource = parts.at(-1) ?? "resource";
  return [service.toLowerCase(), resource.toLowerCase()];
}

/** The version number a placeholder Lambda version stands for (a distribution accepts only numbered versions). */
const PLACEHOLDER_LAMBDA_VERSION = "1";

/**
 * Types whose Ref is not a name but an ARN (CloudFormation's "Return values" of each type): the ones a
 * distribution or a function may be given — a Lambda@Edge association wants a numbered version's ARN, a viewer
 * certificate an ACM certificate's.
 */
const ARN_REFS: ReadonlyMap<string, (placeholder: Placeholder, properties: TemplateObject) => string> = new Map([
  ["AWS::Lambda::Version", (p: Placeholder, properties: TemplateObject) => `${p.lambdaFunctionArn(properties.FunctionName)}:${PLACEHOLDER_LAMBDA_VERSION}`],
  ["AWS::Lambda::Alias", (p: Placeholder, properties: TemplateObject) => `${p.lambdaFunctionArn(properties.FunctionName)}:${typeof properties.Name === "string" ? properties.Name : p.name}`],
  ["AWS::Lambda::LayerVersion", (p: Placeholder) => `${p.arn("lambda", `layer:${p.name}`)}:${PLACEHOLDER_LAMBDA_VERSION}`],
  ["AWS::CertificateManager::Certificate", (p: Placeholder) => p.arn("acm", `certificate/${p.name}`)],
  ["AWS::SNS::Topic", (p: Placeholder) => p.arn("sns", p.name)],
  ["AWS::IAM::ManagedPolicy", (p: Placeholder) => `arn:${partitionOf(p.region)}:iam::${p.accountId}:policy/${p.name}`],
  ["AWS::StepFunctions::StateMachine", (p: Placeholder) => p.arn("states", `stateMachine:${p.name}`)],
  ["AWS::SecretsManager::Secret", (p: Placeholder) => p.arn("secretsmanager", `secret:${p.name}`)],
]);

/** What a not-emulated resource looks like to the rest of the template. */
export class Placeholder {
  /** The name CloudFormation would generate: Ref for most types, and names and ids among the attributes. */
  readonly name: string;
  readonly ref: string;
  readonly domain: string;

  constructor(
    readonly stackName: string,
    readonly logicalId: string,
    readonly type: string,
    private readonly place: Place,
    properties: TemplateObject = Object.create(null) as TemplateObject,
  ) {
    this.name = generatedName(stackName, logicalId, PLACEHOLDER_REF_MAX);
    this.ref = ARN_REFS.get(type)?.(this, properties) ?? this.name;
    this.domain = placeholderForLogicalId(logicalId);
  }

  get region(): string {
    return this.place.region;
  }

  get accountId(): string {
    return this.place.accountId;
  }

  /** `arn:<partition>:<service>:<region>:<account>:<resource>`. */
  arn(service: string, resource: string): string {
    return `arn:${partitionOf(this.place.region)}:${service}:${this.place.region}:${this.place.accountId}:${resource}`;
  }

  /** A Lambda function's ARN from a FunctionName property: an ARN already, a name, or (unresolvable) this placeholder's name. */
  lambdaFunctionArn(functionName: TemplateValue | undefined): string {
    if (typeof functionName === "string" && /^arn:[^:]+:lambda:/.test(functionName)) return functionName.split(":").slice(0, 7).join(":");
    return this.arn("lambda", `function:${typeof functionName === "string" && functionName !== "" ? functionName : this.name}`);
  }

  attribute(name: string): TemplateValue {
    if (this.type === "AWS::Lambda::Version" && name === "Version") return PLACEHOLDER_LAMBDA_VERSION;
    switch (attributeKind(name)) {
      case "arn": {
        const [service, resource] = serviceAndResource(this.type);
        return ARN_REFS.has(this.type) ? this.ref : this.arn(service, `${resource}/${this.name}`);
      }
      case "domain":
        return this.domain;
      case "url":
        return `https://${this.domain}/`;
      case "port":
        return "443";
      case "name":
        return /id$/i.test(name) || /name$/i.test(name) ? this.name : `${this.name}-${name.replace(/[^A-Za-z0-9]/g, "")}`;
    }
  }
}

/**
 * Attributes of a placeholder: every name answers (CloudFormation's list differs per type and is not known
 * here); the names asked so far are what the map holds when listed.
 */
class PlaceholderAttributes extends Map<string, TemplateValue> {
  constructor(private readonly placeholder: Placeholder) {
    super();
  }

  override get(name: string): TemplateValue {
    if (!super.has(name)) super.set(name, this.placeholder.attribute(name));
    return super.get(name) as TemplateValue;
  }

  override has(): boolean {
    return true;
  }
}

export function placeholderApplied(placeholder: Placeholder, properties: TemplateObject): Applied {
  return {
    logicalId: placeholder.logicalId,
    type: placeholder.type,
    physicalId: placeholder.ref,
    ref: placeholder.ref,
    attributes: new PlaceholderAttributes(placeholder),
    properties,
    summary: `not emulated: Ref ${placeholder.ref}, domains ${placeholder.domain}`,
  };
}
