import { invalidResult, type Answer } from "./answers.js";
import type { Exchange } from "./exchange.js";
import { associationFor, runAssociation } from "./functions.js";

/**
 * Step: the behaviour's viewer-request function. It may answer itself (a generated response: no origin is
 * asked, the viewer's body goes nowhere) or return the request to send on, whose method stays the viewer's
 * (read-only: CloudFront Developer Guide, "CloudFront Functions event structure"), with origin changes asked
 * through the cloudfront module.
 */
export async function runViewerRequest(x: Exchange): Promise<Answer | undefined> {
  const association = associationFor(x, "viewer-request");
  if (!association) return undefined;
  const ran = await runAssociation(x, association, x.event, { rawQueryString: x.rawQuery });
  if ("answer" in ran) return ran.answer;
  const { output, validationErrors, originCalls } = ran.result;
  if (validationErrors.length > 0 || !output) return invalidResult(validationErrors.join(" ") || "The function returned neither a request nor a response.");
  if ("response" in output) {
    x.req.resume();
    return { kind: "generated", response: output.response, cache: "FunctionGeneratedResponse", result: "FunctionGeneratedResponse" };
  }
  x.request = { ...output.request, method: x.event.request.method };
  x.originCalls.push(...originCalls);
  return undefined;
}
