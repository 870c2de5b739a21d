import { rootInnerXml } from "./rawXml.js";
import { parseRequestXml } from "./xml.js";
import type { ApiRequest } from "../operation.js";

/** A request whose body is a DistributionConfig: parsed for reading, and its inner XML kept exactly as sent. */
export function distributionConfigOf(request: ApiRequest): { root: Record<string, unknown>; xml: string } {
  const root = parseRequestXml(request.body, "DistributionConfig");
  return { root, xml: rootInnerXml(request.body.toString("utf8")) };
}

/** The `{Id}` label; an Id that cannot be one names no distribution (the service answers NoSuchDistribution). */
export function distributionIdFromPath(params: Record<string, string>): string {
  return params.Id ?? "";
}
