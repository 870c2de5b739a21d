import type { PolicyConfig } from "../../service/policies.js";
import {
  CORS_METHODS,
  FRAME_OPTIONS,
  REFERRER_POLICIES,
  type CorsMethod,
  type FrameOption,
  type ReferrerPolicyValue,
  type ResponseHeadersPolicy,
  type ResponseHeadersPolicyCors,
  type ResponseHeadersPolicySecurityHeaders,
  type ResponseHeadersPolicyServerTiming,
} from "../../service/responseHeadersPolicy.js";
import { el, type XmlChild } from "../xmlWriter.js";
import { policyOperations } from "./policyOperations.js";
import { ConfigReader, lowerFirst, quantityList, quantityStructList, type XmlObject } from "./policyXml.js";
import { leaf, struct } from "./requestFields.js";

/**
 * ResponseHeadersPolicyConfig as XML, both ways (2020-05-31 model, shape ResponseHeadersPolicyConfig and
 * its members, in the model's order). The typed policy is src/service/responseHeadersPolicy.ts; the edge
 * applies it (src/edge/responseHeaders*.ts).
 */

const AT = "responseHeadersPolicyConfig";
const DECIMAL = "[0-9]{1,3}(\\.[0-9]{1,4})?";

/** `<Wrapper><Quantity>n</Quantity><Items><Member>…</Member></Items></Wrapper>`; `Items` written even when empty where the model requires it. */
function counted(wrapper: string, member: string, values: readonly string[], itemsRequired: boolean): XmlChild {
  const items = values.length > 0 || itemsRequired ? el("Items", values.map((v) => el(member, v))) : undefined;
  return el(wrapper, [el("Quantity", values.length), items]);
}

function corsConfig(cors: ResponseHeadersPolicyCors): XmlChild {
  return el("CorsConfig", [
    counted("AccessControlAllowOrigins", "Origin", cors.accessControlAllowOrigins, true),
    counted("AccessControlAllowHeaders", "Header", cors.accessControlAllowHeaders, true),
    counted("AccessControlAllowMethods", "Method", cors.accessControlAllowMethods, true),
    el("AccessControlAllowCredentials", cors.accessControlAllowCredentials),
    counted("AccessControlExposeHeaders", "Header", cors.accessControlExposeHeaders, false),
    el("AccessControlMaxAgeSec", cors.accessControlMaxAgeSec),
    el("OriginOverride", cors.originOverride),
  ]);
}

function securityHeadersConfig(s: ResponseHeadersPolicySecurityHeaders): XmlChild {
  return el("SecurityHeadersConfig", [
    s.xssProtection && el("XSSProtection", [el("Override", s.xssProtection.override), el("Protection", s.xssProtection.protection), el("ModeBlock", s.xssProtection.modeBlock), el("ReportUri", s.xssProtection.reportUri)]),
    s.frameOptions && el("FrameOptions", [el("Override", s.frameOptions.override), el("FrameOption", s.frameOptions.frameOption)]),
    s.referrerPolicy && el("ReferrerPolicy", [el("Override", s.referrerPolicy.override), el("ReferrerPolicy", s.referrerPolicy.referrerPolicy)]),
    s.contentSecurityPolicy && el("ContentSecurityPolicy", [el("Override", s.contentSecurityPolicy.override), el("ContentSecurityPolicy", s.contentSecurityPolicy.contentSecurityPolicy)]),
    s.contentTypeOptions && el("ContentTypeOptions", [el("Override", s.contentTypeOptions.override)]),
    s.strictTransportSecurity &&
      el("StrictTransportSecurity", [
        el("Override", s.strictTransportSecurity.override),
        el("IncludeSubdomains", s.strictTransportSecurity.includeSubdomains),
        el("Preload", s.strictTransportSecurity.preload),
        el("AccessControlMaxAgeSec", s.strictTransportSecurity.accessControlMaxAgeSec),
      ]),
  ]);
}

/** ResponseHeadersPolicyConfig's members. Empty custom and remove lists are left out (the type does not keep whether they were sent). */
export function responseHeadersPolicyConfig(p: ResponseHeadersPolicy): XmlChild[] {
  return [
    el("Comment", p.comment),
    el("Name", p.name),
    p.cors && corsConfig(p.cors),
    p.securityHeaders && securityHeadersConfig(p.securityHeaders),
    p.serverTiming && el("ServerTimingHeadersConfig", [el("Enabled", p.serverTiming.enabled), el("SamplingRate", p.serverTiming.samplingRate)]),
    p.customHeaders.length > 0 &&
      el("CustomHeadersConfig", [
        el("Quantity", p.customHeaders.length),
        el("Items", p.customHeaders.map((h) => el("ResponseHeadersPolicyCustomHeader", [el("Header", h.header), el("Value", h.value), el("Override", h.override)]))),
      ]),
    p.removeHeaders.length > 0 &&
      el("RemoveHeadersConfig", [el("Quantity", p.removeHeaders.length), el("Items", p.removeHeaders.map((h) => el("ResponseHeadersPolicyRemoveHeader", [el("Header", h)])))]),
  ];
}

function readCors(reader: ConfigReader, node: XmlObject, at: string): ResponseHeadersPolicyCors {
  const required = (name: string, member: string) => {
    reader.struct(node, name, `${at}.${lowerFirst(name)}`);
    return quantityList(reader, node, name, member, `${at}.${lowerFirst(name)}`);
  };
  const accessControlAllowOrigins = required("AccessControlAllowOrigins", "Origin");
  const accessControlAllowHeaders = required("AccessControlAllowHeaders", "Header");
  const methods = required("AccessControlAllowMethods", "Method");
  methods.forEach((method, i) => reader.member(`${at}.accessControlAllowMethods.items.${i + 1}.member`, method, { enum: CORS_METHODS }));
  const accessControlAllowCredentials = reader.boolean(node, "AccessControlAllowCredentials", `${at}.accessControlAllowCredentials`);
  const accessControlExposeHeaders = quantityList(reader, node, "AccessControlExposeHeaders", "Header", `${at}.accessControlExposeHeaders`);
  const accessControlMaxAgeSec = reader.wholeNumber(node, "AccessControlMaxAgeSec", `${at}.accessControlMaxAgeSec`);
  const originOverride = reader.boolean(node, "OriginOverride", `${at}.originOverride`);
  return {
    accessControlAllowOrigins,
    accessControlAllowHeaders,
    accessControlAllowMethods: methods as CorsMethod[],
    accessControlAllowCredentials,
    accessControlExposeHeaders,
    ...(accessControlMaxAgeSec !== undefined ? { accessControlMaxAgeSec } : {}),
    originOverride,
  };
}

function readSecurityHeaders(reader: ConfigReader, node: XmlObject, at: string): ResponseHeadersPolicySecurityHeaders {
  const result: ResponseHeadersPolicySecurityHeaders = {};
  const section = (name: string) => struct(node, name);
  const xss = section("XSSProtection");
  if (xss) {
    const x = `${at}.xSSProtection`;
    const override = reader.boolean(xss, "Override", `${x}.override`);
    const protection = reader.boolean(xss, "Protection", `${x}.protection`);
    const modeBlock = leaf(xss, "ModeBlock") === undefined ? undefined : reader.boolean(xss, "ModeBlock", `${x}.modeBlock`);
    const reportUri = reader.text(xss, "ReportUri", `${x}.reportUri`, {});
    result.xssProtection = { override, protection, ...(modeBlock !== undefined ? { modeBlock } : {}), ...(reportUri !== undefined ? { reportUri } : {}) };
  }
  const frame = section("FrameOptions");
  if (frame) {
    const override = reader.boolean(frame, "Override", `${at}.frameOptions.override`);
    const frameOption = reader.text(frame, "FrameOption", `${at}.frameOptions.frameOption`, { required: true, enum: FRAME_OPTIONS });
    result.frameOptions = { override, frameOption: (frameOption ?? "DENY") as FrameOption };
  }
  const referrer = section("ReferrerPolicy");
  if (referrer) {
    const override = reader.boolean(referrer, "Override", `${at}.referrerPolicy.override`);
    const value = reader.text(referrer, "ReferrerPolicy", `${at}.referrerPolicy.referrerPolicy`, { required: true, enum: REFERRER_POLICIES });
    result.referrerPolicy = { override, referrerPolicy: (value ?? "no-referrer") as ReferrerPolicyValue };
  }
  const csp = section("ContentSecurityPolicy");
  if (csp) {
    const override = reader.boolean(csp, "Override", `${at}.contentSecurityPolicy.override`);
    const value = reader.text(csp, "ContentSecurityPolicy", `${at}.contentSecurityPolicy.contentSecurityPolicy`, { required: true });
    result.contentSecurityPolicy = { override, contentSecurityPolicy: value ?? "" };
  }
  const contentType = section("ContentTypeOptions");
  if (contentType) result.contentTypeOptions = { override: reader.boolean(contentType, "Override", `${at}.contentTypeOptions.override`) };
  const hsts = section("StrictTransportSecurity");
  if (hsts) {
    const h = `${at}.strictTransportSecurity`;
    const override = reader.boolean(hsts, "Override", `${h}.override`);
    const includeSubdomains = leaf(hsts, "IncludeSubdomains") === undefined ? undefined : reader.boolean(hsts, "IncludeSubdomains", `${h}.includeSubdomains`);
    const preload = leaf(hsts, "Preload") === undefined ? undefined : reader.boolean(hsts, "Preload", `${h}.preload`);
    const accessControlMaxAgeSec = reader.wholeNumber(hsts, "AccessControlMaxAgeSec", `${h}.accessControlMaxAgeSec`, true) ?? 0;
    result.strictTransportSecurity = { override, ...(includeSubdomains !== undefined ? { includeSubdomains } : {}), ...(preload !== undefined ? { preload } : {}), accessControlMaxAgeSec };
  }
  return result;
}

function readServerTiming(reader: ConfigReader, node: XmlObject, at: string): ResponseHeadersPolicyServerTiming {
  const enabled = reader.boolean(node, "Enabled", `${at}.enabled`);
  const rate = reader.text(node, "SamplingRate", `${at}.samplingRate`, { pattern: DECIMAL });
  const samplingRate = rate !== undefined && new RegExp(`^${DECIMAL}$`).test(rate.trim()) ? Number(rate.trim()) : undefined;
  return { enabled, ...(samplingRate !== undefined ? { samplingRate } : {}) };
}

/** A ResponseHeadersPolicyConfig as sent. */
export function readResponseHeadersPolicyConfig(root: XmlObject): PolicyConfig<ResponseHeadersPolicy> {
  const reader = new ConfigReader();
  const name = reader.text(root, "Name", `${AT}.name`, { required: true });
  const comment = reader.text(root, "Comment", `${AT}.comment`, {});
  const corsNode = struct(root, "CorsConfig");
  const cors = corsNode && readCors(reader, corsNode, `${AT}.corsConfig`);
  const securityNode = struct(root, "SecurityHeadersConfig");
  const securityHeaders = securityNode && readSecurityHeaders(reader, securityNode, `${AT}.securityHeadersConfig`);
  const timingNode = struct(root, "ServerTimingHeadersConfig");
  const serverTiming = timingNode && readServerTiming(reader, timingNode, `${AT}.serverTimingHeadersConfig`);
  const customAt = `${AT}.customHeadersConfig`;
  const customHeaders = quantityStructList(reader, root, "CustomHeadersConfig", "ResponseHeadersPolicyCustomHeader", customAt).map((item, i) => {
    const at = `${customAt}.items.${i + 1}.member`;
    const header = reader.text(item, "Header", `${at}.header`, { required: true }) ?? "";
    const value = reader.text(item, "Value", `${at}.value`, { required: true }) ?? "";
    const override = reader.boolean(item, "Override", `${at}.override`);
    return { header, value, override };
  });
  const removeAt = `${AT}.removeHeadersConfig`;
  const removeHeaders = quantityStructList(reader, root, "RemoveHeadersConfig", "ResponseHeadersPolicyRemoveHeader", removeAt).map(
    (item, i) => reader.text(item, "Header", `${removeAt}.items.${i + 1}.member.header`, { required: true }) ?? "",
  );
  reader.check();
  return {
    name: name ?? "",
    comment: comment ?? "",
    ...(cors ? { cors } : {}),
    ...(securityHeaders ? { securityHeaders } : {}),
    ...(serverTiming ? { serverTiming } : {}),
    customHeaders,
    removeHeaders,
  };
}

/** Create/Get/GetConfig/Update/Delete/ListResponseHeadersPolicies: AWS's managed response headers policies and the account's custom ones. */
export const RESPONSE_HEADERS_POLICY_OPERATIONS = policyOperations<ResponseHeadersPolicy>({
  shape: "ResponseHeadersPolicy",
  path: "response-headers-policy",
  policies: (services) => services.policies.responseHeaders,
  writeConfig: responseHeadersPolicyConfig,
  readConfig: readResponseHeadersPolicyConfig,
});
