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

/** What a not-emulated resource looks like to the rest of the template. */
export class Placeholder {
  readonly ref: string;
  readonly domain: string;

  constructor(
    readonly stackName: string,
    readonly logicalId: string,
    readonly type: string,
    private readonly place: Place,
  ) {
    this.ref = generatedName(stackName, logicalId, PLACEHOLDER_REF_MAX);
    this.domain = placeholderForLogicalId(logicalId);
  }

  attribute(name: string): TemplateValue {
    switch (attributeKind(name)) {
      case "arn": {
        const [service, resource] = serviceAndResource(this.type);
        return `arn:${partitionOf(this.place.region)}:${service}:${this.place.region}:${this.place.accountId}:${resource}/${this.ref}`;
      }
      case "domain":
        return this.domain;
      case "url":
        return `https://${this.domain}/`;
      case "port":
        return "443";
      case "name":
        return /id$/i.test(name) || /name$/i.test(name) ? this.ref : `${this.ref}-${name.replace(/[^A-Za-z0-9]/g, "")}`;
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
