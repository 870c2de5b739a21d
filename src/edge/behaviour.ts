import type { BehaviourConfig, ParsedDistributionConfig } from "../service/distributionConfig.js";
import type { PolicySet } from "../service/policySet.js";
import { viewerRequestEvent } from "./events.js";
import type { Exchange } from "./exchange.js";
import { FORWARD_ALL, forwardingRules, type ForwardingRules } from "./forwarding.js";
import { pickBehaviour } from "./pathPattern.js";

/** The cache behaviour a request URL picks: by its path alone, the query string left out. */
export function behaviourFor(config: ParsedDistributionConfig, url: string): BehaviourConfig {
  const at = url.indexOf("?");
  return pickBehaviour(config.behaviours, at === -1 ? url : url.slice(0, at));
}

/** Which viewer values reach the origin: the behaviour's policies, or everything when edgelite forwards all. */
export function rulesFor(behaviour: BehaviourConfig, forwardAll: boolean, policies: PolicySet): ForwardingRules {
  return forwardAll ? FORWARD_ALL : forwardingRules(behaviour, policies);
}

/**
 * Step: the behaviour the viewer's path picks, before any function runs (a function's new uri changes neither
 * the behaviour nor the origin: CloudFront Developer Guide, "CloudFront Functions event structure"), its
 * forwarding rules, and the viewer-request event CloudFront builds from the viewer's request.
 */
export function resolveBehaviour(x: Exchange): undefined {
  const { req, target } = x;
  x.behaviour = behaviourFor(target.config, req.url ?? "/");
  x.rules = rulesFor(x.behaviour, x.settings.forwardAll, target.policies);
  x.viewerIp = (req.socket.remoteAddress ?? "").replace(/^::ffff:/, "");
  const { event, rawQuery } = viewerRequestEvent(req, { distributionId: target.view.id, distributionDomainName: target.view.domainName, requestId: x.requestId, viewerIp: x.viewerIp, host: target.host });
  x.event = event;
  x.rawQuery = rawQuery;
  x.request = event.request;
  return undefined;
}
