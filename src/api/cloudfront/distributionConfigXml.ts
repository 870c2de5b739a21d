import { emptyRecord, getOwn } from "../../nullPrototype.js";
import { originSettingError, type OriginSetting } from "../../service/distributionConfig.js";
import {
  COOKIE_FORWARDING,
  EVENT_TYPES,
  GEO_RESTRICTION_TYPES,
  HTTP_METHODS,
  type AllowedMethods,
  type GeoRestriction,
  type HttpMethod,
  type LambdaFunctionAssociation,
  type CacheBehavior,
  type CustomErrorResponse,
  type DefaultCacheBehavior,
  type DistributionConfig,
  type EventType,
  type ForwardedValues,
  type FunctionAssociation,
  type Origin,
  type OriginGroup,
} from "../../service/distributionConfigModel.js";
import { CloudFrontError } from "../../service/errors.js";
import { missingMemberMessage, validationMessage } from "../../service/validation.js";
import type { XmlNode } from "../xml.js";
import { el, writeXml, type XmlChild, type XmlText } from "../xmlWriter.js";

/**
 * The DistributionConfig's XML, read into the typed config and written from it. Reading checks what the
 * wire decides (required members, enums, `Quantity` against `Items`, text where text belongs); what
 * CloudFront decides about the values is src/service/distributionConfig.ts's.
 */

type XmlObject = { [name: string]: XmlNode | XmlNode[] };

const text = (node: XmlObject | undefined, name: string): string | undefined => {
  const value = node && getOwn(node, name);
  return typeof value === "string" ? value : undefined;
};

function object(node: XmlObject | undefined, name: string): XmlObject | undefined {
  const value = node && getOwn(node, name);
  if (value === undefined) return undefined;
  if (typeof value === "string") return emptyRecord();
  if (Array.isArray(value)) throw malformed(`<${name}> may appear only once.`);
  return value;
}

/** The members of a wrapped list (`<X><Quantity>n</Quantity><Items><Member/>…</Items></X>`), Quantity checked. */
function members(wrapper: XmlObject | undefined, member: string, where: string): XmlNode[] {
  if (!wrapper) return [];
  const list = object(wrapper, "Items");
  const raw = list && getOwn(list, member);
  const found = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const quantity = text(wrapper, "Quantity");
  if (quantity !== undefined && Number(quantity) !== found.length) {
    throw new CloudFrontError("InvalidArgument", `${where}: Quantity is ${quantity} but Items holds ${found.length}.`);
  }
  return found;
}

const items = (wrapper: XmlObject | undefined, member: string, where: string): XmlObject[] =>
  members(wrapper, member, where).map((m) => (typeof m === "string" ? emptyRecord<XmlNode | XmlNode[]>() : m));

function textItems(wrapper: XmlObject | undefined, member: string, where: string): string[] {
  return members(wrapper, member, where).map((m) => {
    if (typeof m !== "string") throw malformed(`<${member}> must contain text.`);
    return m;
  });
}

function malformed(detail: string): CloudFrontError {
  return new CloudFrontError("MalformedXML", `The XML document you provided did not validate against our published schema: ${detail}`);
}

function required(node: XmlObject, name: string, at: string): string {
  const value = text(node, name);
  if (value === undefined) throw new CloudFrontError("MalformedXML", missingMemberMessage(at));
  return value;
}

function requiredObject(node: XmlObject, name: string, at: string): XmlObject {
  const value = object(node, name);
  if (!value) throw new CloudFrontError("MalformedXML", missingMemberMessage(at));
  return value;
}

/** An integer member: absent stays absent; text that is not a whole number is the setting's own error. */
function originSetting(node: XmlObject | undefined, name: OriginSetting): number | undefined {
  const value = text(node, name);
  if (value === undefined) return undefined;
  if (!/^\s*\d{1,9}\s*$/.test(value)) throw originSettingError(name, value);
  return Number(value);
}

const numberOr = (value: string | undefined): number | undefined => (value === undefined ? undefined : Number(value));

/** A whole-number member (the model's integer or long): absent stays absent; other text is not the schema's. */
function wholeNumber(node: XmlObject | undefined, name: string): number | undefined {
  const value = text(node, name);
  if (value === undefined) return undefined;
  if (!/^\s*-?\d{1,15}\s*$/.test(value)) throw malformed(`<${name}> must be a whole number.`);
  return Number(value);
}

/** A boolean member: absent stays absent; only true and false are booleans. */
function booleanMember(node: XmlObject | undefined, name: string): boolean | undefined {
  const value = text(node, name);
  if (value === undefined) return undefined;
  if (value !== "true" && value !== "false") throw malformed(`<${name}> must be true or false.`);
  return value === "true";
}

function methods(wrapper: XmlObject | undefined, where: string): HttpMethod[] {
  return textItems(wrapper, "Method", where).map((value) => {
    if (!isOneOf(HTTP_METHODS, value)) throw new CloudFrontError("MalformedXML", validationMessage([{ at: where, value, constraint: { kind: "enum", values: HTTP_METHODS } }]));
    return value;
  });
}

/** Only the members present, so that a config read from XML and one built as an object compare equal. */
function defined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as Array<keyof T>) if (value[key] === undefined) delete value[key];
  return value;
}

function readOrigin(node: XmlObject): Origin {
  const custom = object(node, "CustomOriginConfig");
  const s3 = object(node, "S3OriginConfig");
  const headers = object(node, "CustomHeaders");
  const customHeaders = items(headers, "OriginCustomHeader", "CustomHeaders").map((h) => ({ HeaderName: text(h, "HeaderName") ?? "", HeaderValue: text(h, "HeaderValue") ?? "" }));
  return defined({
    Id: required(node, "Id", "distributionConfig.origins.items.member.id"),
    DomainName: required(node, "DomainName", "distributionConfig.origins.items.member.domainName"),
    OriginPath: text(node, "OriginPath"),
    CustomHeaders: headers ? customHeaders : undefined,
    S3OriginConfig: s3 ? defined({ OriginAccessIdentity: text(s3, "OriginAccessIdentity") }) : undefined,
    CustomOriginConfig: custom
      ? defined({
          HTTPPort: numberOr(text(custom, "HTTPPort")),
          HTTPSPort: numberOr(text(custom, "HTTPSPort")),
          OriginProtocolPolicy: text(custom, "OriginProtocolPolicy"),
          OriginReadTimeout: originSetting(custom, "OriginReadTimeout"),
          OriginKeepaliveTimeout: originSetting(custom, "OriginKeepaliveTimeout"),
        })
      : undefined,
    ConnectionTimeout: originSetting(node, "ConnectionTimeout"),
    ConnectionAttempts: originSetting(node, "ConnectionAttempts"),
    OriginAccessControlId: text(node, "OriginAccessControlId"),
  });
}

function readOriginGroup(node: XmlObject, i: number): OriginGroup {
  const Id = required(node, "Id", `distributionConfig.originGroups.items.${i + 1}.member.id`);
  const Members = items(object(node, "Members"), "OriginGroupMember", "OriginGroup Members").map((member) => ({
    OriginId: required(member, "OriginId", `distributionConfig.originGroups.items.${i + 1}.member.members.items.member.originId`),
  }));
  const criteria = object(node, "FailoverCriteria");
  const StatusCodes = textItems(object(criteria, "StatusCodes"), "StatusCode", "FailoverCriteria StatusCodes").map(Number);
  return defined({ Id, Members, FailoverCriteria: criteria ? { StatusCodes } : undefined });
}

/** A required member that must be one of the model's enum values (`at` names it as the service's messages do). */
function requiredEnum<T extends string>(node: XmlObject, name: string, at: string, values: readonly T[]): T {
  const value = required(node, name, at);
  if (!isOneOf(values, value)) throw new CloudFrontError("MalformedXML", validationMessage([{ at, value, constraint: { kind: "enum", values } }]));
  return value;
}

function readAssociation(node: XmlObject, where: string): FunctionAssociation {
  const FunctionARN = required(node, "FunctionARN", `${where}.functionAssociations.items.member.functionARN`);
  const EventType = requiredEnum(node, "EventType", `${where}.functionAssociations.items.member.eventType`, EVENT_TYPES);
  return { FunctionARN, EventType };
}

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

function readForwardedValues(node: XmlObject): ForwardedValues {
  const cookies = object(node, "Cookies");
  const forward = text(cookies, "Forward");
  if (forward !== undefined && !isOneOf(COOKIE_FORWARDING, forward)) throw malformed("<Cookies><Forward> must be none, whitelist or all.");
  const names = object(cookies, "WhitelistedNames");
  const headers = object(node, "Headers");
  return defined({
    QueryString: text(node, "QueryString") === "true",
    Cookies: cookies ? defined({ Forward: forward, WhitelistedNames: names ? textItems(names, "Name", "WhitelistedNames") : undefined }) : undefined,
    Headers: headers ? textItems(headers, "Name", "Headers") : undefined,
  });
}

function readAllowedMethods(node: XmlObject, where: string): AllowedMethods {
  const cached = object(node, "CachedMethods");
  return defined({
    Items: methods(node, `${where}.allowedMethods.items`),
    CachedMethods: cached ? methods(cached, `${where}.allowedMethods.cachedMethods.items`) : undefined,
  });
}

function readLambdaAssociation(node: XmlObject, where: string): LambdaFunctionAssociation {
  const LambdaFunctionARN = required(node, "LambdaFunctionARN", `${where}.lambdaFunctionAssociations.items.member.lambdaFunctionARN`);
  const EventType = requiredEnum(node, "EventType", `${where}.lambdaFunctionAssociations.items.member.eventType`, EVENT_TYPES);
  return defined({ LambdaFunctionARN, EventType, IncludeBody: booleanMember(node, "IncludeBody") });
}

function readBehaviour(node: XmlObject, where: string): DefaultCacheBehavior {
  const TargetOriginId = required(node, "TargetOriginId", `${where}.targetOriginId`);
  const associations = object(node, "FunctionAssociations");
  const FunctionAssociations = items(associations, "FunctionAssociation", `${where}.FunctionAssociations`).map((a) => readAssociation(a, where));
  const lambdas = object(node, "LambdaFunctionAssociations");
  const LambdaFunctionAssociations = items(lambdas, "LambdaFunctionAssociation", `${where}.LambdaFunctionAssociations`).map((a) => readLambdaAssociation(a, where));
  const allowed = object(node, "AllowedMethods");
  const forwarded = object(node, "ForwardedValues");
  return defined({
    TargetOriginId,
    ViewerProtocolPolicy: text(node, "ViewerProtocolPolicy"),
    AllowedMethods: allowed ? readAllowedMethods(allowed, where) : undefined,
    Compress: booleanMember(node, "Compress"),
    LambdaFunctionAssociations: lambdas ? LambdaFunctionAssociations : undefined,
    FunctionAssociations: associations ? FunctionAssociations : undefined,
    OriginRequestPolicyId: text(node, "OriginRequestPolicyId"),
    CachePolicyId: text(node, "CachePolicyId"),
    ResponseHeadersPolicyId: text(node, "ResponseHeadersPolicyId"),
    ForwardedValues: forwarded ? readForwardedValues(forwarded) : undefined,
    MinTTL: wholeNumber(node, "MinTTL"),
    DefaultTTL: wholeNumber(node, "DefaultTTL"),
    MaxTTL: wholeNumber(node, "MaxTTL"),
  });
}

function readGeoRestriction(node: XmlObject): GeoRestriction {
  const RestrictionType = requiredEnum(node, "RestrictionType", "distributionConfig.restrictions.geoRestriction.restrictionType", GEO_RESTRICTION_TYPES);
  const Locations = textItems(node, "Location", "GeoRestriction");
  return defined({ RestrictionType, Locations: Locations.length > 0 ? Locations : undefined });
}

function readCacheBehavior(node: XmlObject, i: number): CacheBehavior {
  const where = `distributionConfig.cacheBehaviors.items.${i + 1}.member`;
  return { PathPattern: required(node, "PathPattern", `${where}.pathPattern`), ...readBehaviour(node, where) };
}

function readCustomErrorResponse(node: XmlObject, i: number): CustomErrorResponse {
  return defined({
    ErrorCode: Number(required(node, "ErrorCode", `distributionConfig.customErrorResponses.items.${i + 1}.member.errorCode`)),
    ResponsePagePath: text(node, "ResponsePagePath"),
    ResponseCode: text(node, "ResponseCode"),
    ErrorCachingMinTTL: wholeNumber(node, "ErrorCachingMinTTL"),
  });
}

function present<T>(wrapper: XmlObject | undefined, read: (wrapper: XmlObject) => T): T | undefined {
  return wrapper ? read(wrapper) : undefined;
}

/** The typed config of a parsed `<DistributionConfig>` element. */
export function readDistributionConfig(root: XmlObject): DistributionConfig {
  const CallerReference = required(root, "CallerReference", "distributionConfig.callerReference");
  const Comment = required(root, "Comment", "distributionConfig.comment");
  const enabled = required(root, "Enabled", "distributionConfig.enabled");
  if (enabled !== "true" && enabled !== "false") throw malformed("<Enabled> must be true or false.");
  const aliases = object(root, "Aliases");
  const Aliases = aliases ? textItems(aliases, "CNAME", "Aliases") : undefined;
  const DefaultRootObject = text(root, "DefaultRootObject");
  const Origins = items(requiredObject(root, "Origins", "distributionConfig.origins"), "Origin", "Origins").map(readOrigin);
  const OriginGroups = present(object(root, "OriginGroups"), (groups) => items(groups, "OriginGroup", "OriginGroups").map(readOriginGroup));
  const DefaultCacheBehavior = readBehaviour(requiredObject(root, "DefaultCacheBehavior", "distributionConfig.defaultCacheBehavior"), "distributionConfig.defaultCacheBehavior");
  const CacheBehaviors = present(object(root, "CacheBehaviors"), (behaviours) => items(behaviours, "CacheBehavior", "CacheBehaviors").map(readCacheBehavior));
  const CustomErrorResponses = present(object(root, "CustomErrorResponses"), (responses) => items(responses, "CustomErrorResponse", "CustomErrorResponses").map(readCustomErrorResponse));
  const geo = object(object(root, "Restrictions"), "GeoRestriction");
  const Restrictions = geo ? { GeoRestriction: readGeoRestriction(geo) } : undefined;
  return defined({ CallerReference, Comment, Enabled: enabled === "true", Aliases, DefaultRootObject, Origins, OriginGroups, DefaultCacheBehavior, CacheBehaviors, CustomErrorResponses, Restrictions });
}

// ---- writing

/** `<Wrapper><Quantity>n</Quantity><Items>…</Items></Wrapper>`, the model's list form (no Items when empty). */
function list<T>(name: string, values: readonly T[] | undefined, member: (value: T) => XmlChild): XmlChild {
  if (values === undefined) return undefined;
  return el(name, [el("Quantity", values.length), values.length > 0 ? el("Items", values.map(member)) : undefined]);
}

/** The names of T's members whose values are text (or absent). */
type TextMember<T> = { [K in keyof T]-?: T[K] extends XmlText | undefined ? K : never }[keyof T] & string;

/** Text members, each under its model name, in the order given. */
function textMembers<T>(value: T, names: ReadonlyArray<TextMember<T>>): XmlChild[] {
  return names.map((name) => el(name, value[name] as XmlText | undefined));
}

const textList = (name: string, member: string, values: readonly string[] | undefined) => list(name, values, (value) => el(member, value));

function originXml(origin: Origin): XmlChild {
  const custom = origin.CustomOriginConfig;
  return el("Origin", [
    el("Id", origin.Id),
    el("DomainName", origin.DomainName),
    el("OriginPath", origin.OriginPath),
    list("CustomHeaders", origin.CustomHeaders, (h) => el("OriginCustomHeader", [el("HeaderName", h.HeaderName), el("HeaderValue", h.HeaderValue)])),
    origin.S3OriginConfig && el("S3OriginConfig", [el("OriginAccessIdentity", origin.S3OriginConfig.OriginAccessIdentity)]),
    custom &&
      el("CustomOriginConfig", textMembers(custom, ["HTTPPort", "HTTPSPort", "OriginProtocolPolicy", "OriginReadTimeout", "OriginKeepaliveTimeout"])),
    el("ConnectionAttempts", origin.ConnectionAttempts),
    el("ConnectionTimeout", origin.ConnectionTimeout),
    el("OriginAccessControlId", origin.OriginAccessControlId),
  ]);
}

function behaviourFields(behaviour: DefaultCacheBehavior): XmlChild[] {
  const forwarded = behaviour.ForwardedValues;
  const allowed = behaviour.AllowedMethods;
  const methodList = (name: string, values: readonly HttpMethod[] | undefined) => textList(name, "Method", values);
  return [
    el("TargetOriginId", behaviour.TargetOriginId),
    el("ViewerProtocolPolicy", behaviour.ViewerProtocolPolicy),
    allowed && el("AllowedMethods", [el("Quantity", allowed.Items.length), el("Items", allowed.Items.map((m) => el("Method", m))), methodList("CachedMethods", allowed.CachedMethods)]),
    el("Compress", behaviour.Compress),
    list("LambdaFunctionAssociations", behaviour.LambdaFunctionAssociations, (a) =>
      el("LambdaFunctionAssociation", [el("LambdaFunctionARN", a.LambdaFunctionARN), el("EventType", a.EventType), el("IncludeBody", a.IncludeBody)]),
    ),
    list("FunctionAssociations", behaviour.FunctionAssociations, (a) => el("FunctionAssociation", [el("FunctionARN", a.FunctionARN), el("EventType", a.EventType satisfies EventType)])),
    el("CachePolicyId", behaviour.CachePolicyId),
    el("OriginRequestPolicyId", behaviour.OriginRequestPolicyId),
    el("ResponseHeadersPolicyId", behaviour.ResponseHeadersPolicyId),
    forwarded &&
      el("ForwardedValues", [
        el("QueryString", forwarded.QueryString),
        forwarded.Cookies && el("Cookies", [el("Forward", forwarded.Cookies.Forward), textList("WhitelistedNames", "Name", forwarded.Cookies.WhitelistedNames)]),
        textList("Headers", "Name", forwarded.Headers),
      ]),
    el("MinTTL", behaviour.MinTTL),
    el("DefaultTTL", behaviour.DefaultTTL),
    el("MaxTTL", behaviour.MaxTTL),
  ];
}

/** The inner XML of a `<DistributionConfig>` for a config built as an object (`edgelite dev`), as if a client had sent it. */
export function writeDistributionConfig(config: DistributionConfig): string {
  return writeXml(distributionConfigElements(config));
}

function distributionConfigElements(config: DistributionConfig): XmlChild[] {
  return [
    el("CallerReference", config.CallerReference),
    textList("Aliases", "CNAME", config.Aliases),
    el("DefaultRootObject", config.DefaultRootObject),
    list("Origins", config.Origins, originXml),
    list("OriginGroups", config.OriginGroups, (group) =>
      el("OriginGroup", [
        el("Id", group.Id),
        group.FailoverCriteria && el("FailoverCriteria", [list("StatusCodes", group.FailoverCriteria.StatusCodes, (code) => el("StatusCode", code))]),
        list("Members", group.Members, (member) => el("OriginGroupMember", [el("OriginId", member.OriginId)])),
      ]),
    ),
    el("DefaultCacheBehavior", behaviourFields(config.DefaultCacheBehavior)),
    list("CacheBehaviors", config.CacheBehaviors, (behaviour) => el("CacheBehavior", [el("PathPattern", behaviour.PathPattern), ...behaviourFields(behaviour)])),
    list("CustomErrorResponses", config.CustomErrorResponses, (response) =>
      el("CustomErrorResponse", [el("ErrorCode", response.ErrorCode), el("ResponsePagePath", response.ResponsePagePath), el("ResponseCode", response.ResponseCode), el("ErrorCachingMinTTL", response.ErrorCachingMinTTL)]),
    ),
    el("Comment", config.Comment),
    el("Enabled", config.Enabled),
    config.Restrictions &&
      el("Restrictions", [
        el("GeoRestriction", [
          el("RestrictionType", config.Restrictions.GeoRestriction.RestrictionType),
          el("Quantity", config.Restrictions.GeoRestriction.Locations?.length ?? 0),
          config.Restrictions.GeoRestriction.Locations && el("Items", config.Restrictions.GeoRestriction.Locations.map((code) => el("Location", code))),
        ]),
      ]),
  ];
}
