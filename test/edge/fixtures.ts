import type { BehaviourConfig, OriginConfig, ParsedDistributionConfig } from "../../src/service/distributionConfig.js";
import type { DistributionView } from "../../src/service/distributions.js";

/** Typed building blocks for the edge's unit tests (no server, no HTTP). */

export function origin(id: string, overrides: Partial<OriginConfig> = {}): OriginConfig {
  return {
    id,
    domainName: `${id}.example`,
    originPath: "",
    kind: "custom",
    httpPort: 80,
    httpsPort: 443,
    protocolPolicy: "http-only",
    customHeaders: [],
    readTimeoutSeconds: 30,
    keepaliveTimeoutSeconds: 5,
    connectionTimeoutSeconds: 10,
    connectionAttempts: 3,
    ...overrides,
  };
}

export function behaviour(pathPattern: string, targetOriginId: string, overrides: Partial<BehaviourConfig> = {}): BehaviourConfig {
  return { pathPattern, targetOriginId, functions: [], ...overrides };
}

export function config(overrides: Partial<ParsedDistributionConfig> = {}): ParsedDistributionConfig {
  return {
    callerReference: "test",
    enabled: true,
    comment: "",
    aliases: [],
    defaultRootObject: "",
    origins: [origin("o")],
    originGroups: [],
    customErrorResponses: [],
    behaviours: [behaviour("*", "o")],
    ...overrides,
  };
}

export function view(id = "EDFDVBD6EXAMPLE"): DistributionView {
  return { id, arn: `arn:aws:cloudfront::123456789012:distribution/${id}`, status: "Deployed", domainName: "d111111abcdef8.cloudfront.net", lastModifiedTime: new Date(0), etag: "E1", configXml: "", enabled: true };
}
