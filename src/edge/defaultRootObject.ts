import type { Exchange } from "./exchange.js";

/**
 * Step: a request for exactly "/" is served as "/<DefaultRootObject>"; subdirectories ("/blog/") never are
 * (CloudFront Developer Guide, "Specify a default root object"). It applies after the viewer-request
 * function, which sees "/": no public source says which of the two the function sees, and moving this step
 * above runViewerRequest would flip it.
 */
export function applyDefaultRootObject(x: Exchange): undefined {
  const root = x.config.defaultRootObject;
  if (root && x.request.uri === "/") x.request = { ...x.request, uri: `/${root}` };
  return undefined;
}
