import type { DistributionConfig } from "@aws-sdk/client-cloudfront";

/** A disabled distribution whose default behaviour names the given policies (it is never served). */
export function distributionConfig(reference: string, cachePolicyId: string, originRequestPolicyId?: string, responseHeadersPolicyId?: string): DistributionConfig {
  return {
    CallerReference: reference,
    Comment: "",
    Enabled: false,
    Origins: { Quantity: 1, Items: [{ Id: "app", DomainName: "localhost", CustomOriginConfig: { HTTPPort: 8080, HTTPSPort: 443, OriginProtocolPolicy: "http-only" } }] },
    DefaultCacheBehavior: {
      TargetOriginId: "app",
      ViewerProtocolPolicy: "allow-all",
      CachePolicyId: cachePolicyId,
      ...(originRequestPolicyId ? { OriginRequestPolicyId: originRequestPolicyId } : {}),
      ...(responseHeadersPolicyId ? { ResponseHeadersPolicyId: responseHeadersPolicyId } : {}),
    },
  };
}

