import type { ResourceHandler } from "../types.js";
import { distributionHandler } from "./distribution.js";
import { functionHandler } from "./function.js";
import { keyValueStoreHandler } from "./keyValueStore.js";
import { cachePolicyHandler, originAccessControlHandler, originRequestPolicyHandler, responseHeadersPolicyHandler } from "./policies.js";

/** The CloudFront resource types `edgelite up` applies through the CloudFront API, by CloudFormation type. */
export const CLOUDFRONT_HANDLERS: ReadonlyMap<string, ResourceHandler> = new Map(
  [functionHandler, keyValueStoreHandler, distributionHandler, cachePolicyHandler, originRequestPolicyHandler, responseHeadersPolicyHandler, originAccessControlHandler].map(
    (handler) => [handler.type, handler],
  ),
);
