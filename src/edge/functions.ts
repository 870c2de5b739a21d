import type { FunctionEvent } from "../runtime/event.js";
import type { RunResult } from "../runtime/function.js";
import type { FunctionAssociationConfig } from "../service/distributionConfig.js";
import { functionFailed, type ErrorAnswer } from "./answers.js";
import type { Exchange } from "./exchange.js";

/**
 * Runs the LIVE stage of a function associated with the behaviour, recording it for the log. A run that
 * failed (the function threw, or has no LIVE stage) is answered: 503, FunctionExecutionError.
 */
export async function runAssociation(
  x: Exchange,
  association: FunctionAssociationConfig,
  event: FunctionEvent,
  options: { rawQueryString?: string | null },
): Promise<{ result: RunResult } | { answer: ErrorAnswer }> {
  const result = await x.settings.runLive(association.functionArn, event, options);
  x.functions.push(`${association.eventType}:${association.functionArn.split("/").pop()}`);
  if (!result || result.error) {
    const failure = { functionArn: association.functionArn, eventType: association.eventType, event, result };
    return { answer: functionFailed(failure, x.settings.functionErrorPage) };
  }
  x.compute = result.computeUtilization;
  return { result };
}

/** The behaviour's function for an event type, if it has one. */
export function associationFor(x: Exchange, eventType: FunctionAssociationConfig["eventType"]): FunctionAssociationConfig | undefined {
  return x.behaviour.functions.find((f) => f.eventType === eventType);
}
