import type { CloudFrontClient } from "@aws-sdk/client-cloudfront";
import { UpEngine, type EngineOptions } from "../../../src/iac/engine/engine.js";
import type { ApplySummary, DistributionEvent, NotEmulatedEvent, OutputEvent, ResourceEvent, UpReporter, WatchReporter } from "../../../src/iac/engine/report.js";
import type { ApplyContext, ResourceHandler } from "../../../src/iac/types.js";
import { placeholder, planOf } from "./standIns.js";

export type Told =
  | ({ kind: "resource" } & ResourceEvent)
  | ({ kind: "notEmulated" } & NotEmulatedEvent)
  | ({ kind: "output" } & OutputEvent)
  | ({ kind: "distribution" } & DistributionEvent)
  | { kind: "warning"; message: string }
  | { kind: "reloaded"; summary: ApplySummary }
  | { kind: "reloadFailed"; message: string }
  | { kind: "synthStarted"; command: string }
  | { kind: "synthFailed"; status: string; output: string };

/** A reporter that keeps what it is told, in order. */
export function recorder(): UpReporter & WatchReporter & { told: Told[] } {
  const told: Told[] = [];
  return {
    told,
    resource: (event) => told.push({ kind: "resource", ...event }),
    notEmulated: (event) => told.push({ kind: "notEmulated", ...event }),
    output: (event) => told.push({ kind: "output", ...event }),
    distribution: (event) => told.push({ kind: "distribution", ...event }),
    warning: (message) => told.push({ kind: "warning", message }),
    reloaded: (summary) => told.push({ kind: "reloaded", summary }),
    reloadFailed: (message) => told.push({ kind: "reloadFailed", message }),
    synthStarted: (command) => told.push({ kind: "synthStarted", command }),
    synthFailed: (_command, status, output) => told.push({ kind: "synthFailed", status, output }),
  };
}

export function contextFor(cloudfront: CloudFrontClient): Omit<ApplyContext, "stackName"> {
  return {
    cloudfront,
    keyValueData: { replaceKeys: async (_arn, entries) => entries.length },
    s3Objects: { locate: () => undefined },
    origins: { mapOrigins: (config) => config },
    log: { info: () => undefined, warn: () => undefined },
  };
}

/** An engine over the stand-in plan, with these handlers. */
export function engineWith(cloudfront: CloudFrontClient, handlers: readonly ResourceHandler[], report: UpReporter, options: Partial<EngineOptions> = {}): UpEngine {
  return new UpEngine({
    handlers: new Map(handlers.map((handler) => [handler.type, handler])),
    notEmulated: placeholder,
    context: contextFor(cloudfront),
    planStack: (source) => planOf(source),
    imports: new Map(),
    report,
    ...options,
  });
}
