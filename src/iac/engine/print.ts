import type { ApplySummary, DistributionEvent, NotEmulatedEvent, OutputEvent, ResourceEvent, UpReporter, WatchReporter } from "./report.js";

/** Where the lines go: `text` when pretty, `msg` plus `fields` when the log is JSON (the CLI's request log). */
/** A JSON line's fields (the CLI's LogFields). */
export type LineFields = Record<string, string | number | boolean | undefined>;

export interface LineSink {
  info(text: string, msg: string, fields?: LineFields): void;
  warn(text: string, msg: string, fields?: LineFields): void;
}

export interface Paint {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  cyan(text: string): string;
}

export interface PrinterOptions {
  sink: LineSink;
  paint: Paint;
  /** Template text made safe for a terminal (ids and values are the template author's). */
  printable(text: string): string;
  /** Where a distribution is served: its URL by DomainName, and on its own port when it has one. */
  distributionUrls(id: string, domainName: string): { url: string; plainUrl?: string };
}

/**
 * The terminal's view of `up`: one line per resource created, updated, replaced or deleted, one per resource
 * that is not emulated, then the stack's outputs and the URLs its distributions are served at (the same line
 * as `serve`'s).
 */
export function printer({ sink, paint, printable, distributionUrls }: PrinterOptions): UpReporter & WatchReporter {
  const colourOf = { created: paint.green, updated: paint.cyan, replaced: paint.cyan, deleted: paint.yellow } as const;
  const where = (stackName: string, logicalId: string) => printable(`${stackName}/${logicalId}`);
  return {
    resource({ stackName, logicalId, type, action, physicalId, summary }: ResourceEvent) {
      const detail = summary ? ` ${printable(summary)}` : "";
      sink.info(`${colourOf[action](action.padEnd(8))} ${where(stackName, logicalId)} ${paint.dim(printable(type))}${detail}`, action, { stack: stackName, logicalId, type, physicalId, summary });
    },
    notEmulated({ stackName, logicalId, type, note }: NotEmulatedEvent) {
      const why = note ?? "skipped; its Ref and Fn::GetAtt are placeholders";
      sink.info(`${paint.dim("not emulated")} ${where(stackName, logicalId)} ${paint.dim(`${printable(type)} (${why})`)}`, "not emulated", { stack: stackName, logicalId, type, note: why });
    },
    output({ stackName, name, value, error, exportName }: OutputEvent) {
      const exported = exportName ? paint.dim(` (export ${printable(exportName)})`) : "";
      if (error !== undefined) {
        sink.warn(`${paint.yellow("output")} ${printable(`${stackName}.${name}`)} cannot be resolved: ${printable(error)}`, "output", { stack: stackName, name, error, exportName });
        return;
      }
      sink.info(`${paint.cyan("output")} ${printable(`${stackName}.${name}`)} = ${printable(value ?? "")}${exported}`, "output", { stack: stackName, name, value, exportName });
    },
    distribution({ stackName, logicalId, id, domainName, enabled }: DistributionEvent) {
      if (!enabled) {
        sink.info(`${paint.yellow("distribution")} ${printable(id)} (${where(stackName, logicalId)}) is disabled: set Enabled: true to serve it`, "distribution", { stack: stackName, logicalId, id, enabled: false });
        return;
      }
      const { url, plainUrl } = distributionUrls(id, domainName);
      sink.info(`${paint.green("distribution")} ${printable(id)} serving at ${paint.bold(url)}${plainUrl ? ` and ${paint.bold(plainUrl)}` : ""}`, "distribution", { stack: stackName, logicalId, id, url, plainUrl });
    },
    warning(message: string) {
      sink.warn(paint.yellow(`edgelite up: ${printable(message)}`), message);
    },
    reloaded(summary: ApplySummary, durationMs: number) {
      const counts = (["created", "updated", "replaced", "deleted"] as const).filter((action) => summary[action] > 0).map((action) => `${summary[action]} ${action}`);
      const what = counts.length > 0 ? counts.join(", ") : "no change";
      sink.info(`${paint.green("reloaded")} ${what} ${paint.dim(`(${durationMs} ms)`)}`, "reloaded", { ...summary, durationMs });
    },
    reloadFailed(message: string) {
      sink.warn(`${paint.red("reload failed")} ${printable(message)}\n${paint.dim("still serving what was applied before; fix it and save again")}`, "reload failed", { error: message });
    },
    synthStarted(command: string) {
      sink.info(paint.dim(`synth: ${printable(command)}`), "synth", { command });
    },
    synthFailed(command: string, status: string, output: string) {
      const shown = output.split("\n").map((line) => `  ${printable(line)}`).join("\n");
      sink.warn(`${paint.red("synth failed")} ${printable(command)} (${status})${output ? `:\n${shown}` : ""}\n${paint.dim("still serving what was applied before")}`, "synth failed", { command, status, output });
    },
  };
}
