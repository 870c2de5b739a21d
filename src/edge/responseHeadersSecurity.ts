import type { ResponseHeadersPolicySecurityHeaders } from "../service/responseHeadersPolicy.js";

/**
 * A response headers policy's security headers as header lines (CloudFront Developer Guide, "Understand
 * response headers policies", Security headers): lower-case name, value, and whether the policy's value
 * replaces the origin's (Override).
 */
export interface PolicyHeader {
  name: string;
  value: string;
  override: boolean;
}

export function securityHeaders(config: ResponseHeadersPolicySecurityHeaders): PolicyHeader[] {
  const headers: PolicyHeader[] = [];
  const { xssProtection, frameOptions, referrerPolicy, contentSecurityPolicy, contentTypeOptions, strictTransportSecurity } = config;
  if (contentSecurityPolicy) headers.push({ name: "content-security-policy", value: contentSecurityPolicy.contentSecurityPolicy, override: contentSecurityPolicy.override });
  if (referrerPolicy) headers.push({ name: "referrer-policy", value: referrerPolicy.referrerPolicy, override: referrerPolicy.override });
  if (strictTransportSecurity) {
    const { accessControlMaxAgeSec, includeSubdomains, preload } = strictTransportSecurity;
    const value = [`max-age=${accessControlMaxAgeSec}`, ...(includeSubdomains ? ["includeSubDomains"] : []), ...(preload ? ["preload"] : [])].join("; ");
    headers.push({ name: "strict-transport-security", value, override: strictTransportSecurity.override });
  }
  if (contentTypeOptions) headers.push({ name: "x-content-type-options", value: "nosniff", override: contentTypeOptions.override });
  if (frameOptions) headers.push({ name: "x-frame-options", value: frameOptions.frameOption, override: frameOptions.override });
  if (xssProtection) {
    const { protection, modeBlock, reportUri } = xssProtection;
    // `0` disables filtering and takes no directive; mode=block and report= never come together.
    const value = !protection ? "0" : modeBlock ? "1; mode=block" : reportUri ? `1; report=${reportUri}` : "1";
    headers.push({ name: "x-xss-protection", value, override: xssProtection.override });
  }
  return headers;
}
