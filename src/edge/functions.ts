import type { FunctionEvent } from "../runtime/event.js";
import type { RunResult } from "../runtime/function.js";
import type { FunctionAssociationConfig } from "../service/distributionConfig.js";
import { functionFailed, type ErrorAnswer } from "./answers.js";
import type { Exchange, FunctionRun } from "./exchange.js";

/**
 * Runs the LIVE stage of a function associated with the behaviour, recording it (and its console.log lines)
 * for the request log and the function log store. A run that
 * failed (the function threw, or has no LIVE stage) is answered: 503, FunctionExecutionError.
 */
export async function runAssociation(
  x: Exchange,
  association: FunctionAssociationConfig,
  event: FunctionEvent,
  options: { rawQueryString?: string | null },
): Promise<{ result: RunResult } | { answer: ErrorAnswer }> {
  const result = await x.settings.runLive(association.functionArn, event, options);
  const functionName = association.functionArn.split("/").pop() ?? association.functionArn;
  x.functions.push(`${association.eventType}:${functionName}`);
  if (result) recordRun(x, { functionName, stage: "LIVE", eventType: association.eventType, logs: result.logs, ...failureOf(result) });
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

/** A run on the exchange, and in the function log store as the request's id and distribution. */
function recordRun(x: Exchange, run: FunctionRun): void {
  x.functionRuns.push(run);
  x.settings.recordRun?.({ functionName: run.functionName, requestId: x.requestId, distributionId: x.target.view.id, lines: run.logs, ...(run.error !== undefined ? { error: run.error } : {}) });
}

/** A run's failure as the logs state it: the engine's error, or the production validation problems. */
function failureOf(result: RunResult): { error?: string } {
  if (result.error) return { error: result.error.text };
  return result.validationErrors.length > 0 ? { error: result.validationErrors.join(" ") } : {};
}
