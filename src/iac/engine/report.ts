/** What an apply tells the terminal; report.ts's printer turns it into lines, tests record it. */

export type ResourceAction = "created" | "updated" | "replaced" | "deleted";

export interface ResourceEvent {
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: string;
  readonly action: ResourceAction;
  readonly physicalId: string;
  readonly summary?: string;
}

export interface NotEmulatedEvent {
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: string;
  /** Why this type is skipped, when there is more to say than "not emulated". */
  readonly note?: string;
}

export interface OutputEvent {
  readonly stackName: string;
  readonly name: string;
  /** The value as text (JSON for a list or an object); undefined when it could not be resolved. */
  readonly value?: string;
  readonly error?: string;
  readonly exportName?: string;
}

export interface DistributionEvent {
  readonly stackName: string;
  readonly logicalId: string;
  readonly id: string;
  readonly domainName: string;
  readonly enabled: boolean;
}

export interface UpReporter {
  resource(event: ResourceEvent): void;
  notEmulated(event: NotEmulatedEvent): void;
  output(event: OutputEvent): void;
  distribution(event: DistributionEvent): void;
  /** Something went wrong that does not stop the apply (a delete the server refused). */
  warning(message: string): void;
}

/** What an apply did, counted. */
export interface ApplySummary {
  created: number;
  updated: number;
  replaced: number;
  deleted: number;
  unchanged: number;
}

/** The watch's own lines: a reload applied or failed, a synth that failed. */
export interface WatchReporter {
  reloaded(summary: ApplySummary, durationMs: number): void;
  /** The reload did not apply (all or part): the server keeps what it had. */
  reloadFailed(message: string): void;
  synthStarted(command: string): void;
  synthFailed(command: string, status: string, output: string): void;
}
