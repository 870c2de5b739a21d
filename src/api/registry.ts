import type { Operation } from "./operation.js";
import { createFunction } from "./cloudfront/createFunction.js";
import { deleteFunction } from "./cloudfront/deleteFunction.js";
import { describeFunction } from "./cloudfront/describeFunction.js";
import { getFunction } from "./cloudfront/getFunction.js";
import { listFunctions } from "./cloudfront/listFunctions.js";
import { publishFunction } from "./cloudfront/publishFunction.js";
import { testFunction } from "./cloudfront/testFunction.js";
import { updateFunction } from "./cloudfront/updateFunction.js";
import { createKeyValueStore } from "./cloudfront/createKeyValueStore.js";
import { deleteKeyValueStore } from "./cloudfront/deleteKeyValueStore.js";
import { describeKeyValueStore } from "./cloudfront/describeKeyValueStore.js";
import { listKeyValueStores } from "./cloudfront/listKeyValueStores.js";
import { updateKeyValueStore } from "./cloudfront/updateKeyValueStore.js";
import { KVS_OPERATIONS } from "./kvs/operations.js";
import { LOGS_OPERATIONS } from "./logs/operations.js";
import { listTagsForResource, tagOrUntagResource } from "./cloudfront/tagging.js";
import { createDistribution } from "./cloudfront/createDistribution.js";
import { deleteDistribution } from "./cloudfront/deleteDistribution.js";
import { getDistribution } from "./cloudfront/getDistribution.js";
import { getDistributionConfig } from "./cloudfront/getDistributionConfig.js";
import { listDistributions } from "./cloudfront/listDistributions.js";
import { updateDistribution } from "./cloudfront/updateDistribution.js";
import { listEdgeliteDistributions } from "./edgelite/distributions.js";
import { CACHE_POLICY_OPERATIONS } from "./cloudfront/cachePolicies.js";
import { ORIGIN_REQUEST_POLICY_OPERATIONS } from "./cloudfront/originRequestPolicies.js";
import { ORIGIN_ACCESS_CONTROL_OPERATIONS } from "./cloudfront/originAccessControls.js";
import { INVALIDATION_OPERATIONS } from "./cloudfront/invalidations.js";
import { RESPONSE_HEADERS_POLICY_OPERATIONS } from "./cloudfront/responseHeadersPolicies.js";

/**
 * Every operation this port serves, CloudFront's, the data plane's and CloudWatch Logs': adding one is its file plus its
 * import and entry here. The router tries the REST ones in this order; awsJson ones are found by their X-Amz-Target.
 */
export const OPERATIONS: readonly Operation[] = [
  createFunction,
  describeFunction,
  getFunction,
  updateFunction,
  publishFunction,
  testFunction,
  listFunctions,
  deleteFunction,
  createKeyValueStore,
  describeKeyValueStore,
  listKeyValueStores,
  updateKeyValueStore,
  deleteKeyValueStore,
  listTagsForResource,
  tagOrUntagResource,
  createDistribution,
  getDistribution,
  getDistributionConfig,
  updateDistribution,
  deleteDistribution,
  listDistributions,
  listEdgeliteDistributions,
  ...CACHE_POLICY_OPERATIONS,
  ...ORIGIN_REQUEST_POLICY_OPERATIONS,
  ...ORIGIN_ACCESS_CONTROL_OPERATIONS,
  ...INVALIDATION_OPERATIONS,
  ...RESPONSE_HEADERS_POLICY_OPERATIONS,
  ...KVS_OPERATIONS,
  ...LOGS_OPERATIONS,
];
