import { invalidResult, type Answer } from "./answers.js";
import type { Exchange } from "./exchange.js";
import { associationFor, runAssociation } from "./functions.js";

/**
 * Step: the behaviour's viewer-response function, on the response as the source produced it. It does not
 * run when the origin answered 400 or above (CloudFront Developer Guide, "Restrictions on edge functions",
 * HTTP status codes), nor on a custom error page (errorPages.ts answers before this step). A response it returns with a body is sent as it made it;
 * otherwise its status, headers and cookies go out over the origin's body.
 */
export async function runViewerResponse(x: Exchange): Promise<Answer | undefined> {
  const association = associationFor(x, "viewer-response");
  const upstream = x.fetched();
  if (!association || upstream.response.statusCode >= 400) return undefined;
  const event = { ...x.event, context: { ...x.event.context, eventType: "viewer-response" as const }, request: x.request, response: upstream.response };
  const ran = await runAssociation(x, association, event, {});
  if ("answer" in ran) return ran.answer;
  const { output, validationErrors } = ran.result;
  if (validationErrors.length > 0 || !output || !("response" in output)) return invalidResult(validationErrors.join(" ") || "A viewer-response function must return the response object.");
  const response = output.response;
  if (response.body !== undefined) return { kind: "generated", response, cache: response.statusCode >= 400 ? "Error" : (x.cacheResult ?? "Miss"), result: x.cacheResult ?? "Miss" };
  x.upstream = { ...upstream, response, fromFunction: true };
  return undefined;
}
