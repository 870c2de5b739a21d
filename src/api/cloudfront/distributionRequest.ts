import type { DistributionConfig } from "../../service/distributionConfigModel.js";
import { readDistributionConfig } from "./distributionConfigXml.js";
import { rootInnerXml } from "./rawXml.js";
import { parseRequestXml } from "../xml.js";
import type { ApiRequest } from "../operation.js";

/** A request whose body is a DistributionConfig: read into the typed config, and its inner XML kept exactly as sent. */
export function distributionConfigOf(request: ApiRequest): { config: DistributionConfig; asSent: string } {
  const config = readDistributionConfig(parseRequestXml(request.body, "DistributionConfig"));
  return { config, asSent: rootInnerXml(request.body.toString("utf8")) };
}

/** The typed config of a config kept as sent (the inner XML of its `<DistributionConfig>`). */
export function readDistributionConfigAsSent(asSent: string): DistributionConfig {
  return readDistributionConfig(parseRequestXml(Buffer.from(`<DistributionConfig>${asSent}</DistributionConfig>`), "DistributionConfig"));
}

/** The `{Id}` label; an Id that cannot be one names no distribution (the service answers NoSuchDistribution). */
export function distributionIdFromPath(params: Record<string, string>): string {
  return params.Id ?? "";
}
