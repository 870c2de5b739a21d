import { IacError, type StackSource } from "../types.js";
import type { UpEngine } from "./engine.js";
import type { WatchReporter } from "./report.js";
import { runSynth } from "./synth.js";
import { watchSources, type SourceFilter } from "./sources.js";
import { watchFiles, type Watch } from "./watchFiles.js";

/** What reading the template (or cloud assembly) gives the session. */
export interface LoadedStacks {
  readonly stacks: readonly StackSource[];
  /** The files whose change means a new template: the template, or manifest.json and the stacks' templates. */
  readonly watchPaths: readonly string[];
}

export interface SynthOptions {
  /** The command, run through the shell. */
  readonly command: string;
  /** Where it runs, and whose files are watched. */
  readonly appFolder: string;
  readonly filter: SourceFilter;
}

export interface SessionOptions {
  /** Reads the stacks again (a watch reload reads everything afresh). */
  load(): Promise<LoadedStacks> | LoadedStacks;
  readonly engine: UpEngine;
  readonly report: WatchReporter;
  readonly synth?: SynthOptions;
  /** What to watch until a load succeeds (a template broken at start, a cdk.out not made yet). */
  readonly initialWatchPaths?: readonly string[];
}

/**
 * `up`'s life after the first apply: `--watch` re-reads the template or assembly when its files change and
 * applies the difference; `--synth` reruns the app's synth command when its sources change (then the new
 * assembly is applied). A reload that fails is told and the server keeps the last applied state.
 */
export class UpSession {
  private watchPaths: readonly string[];
  private readonly watches: Watch[] = [];
  private synthRunning: Promise<void> | undefined;
  private synthAgain = false;
  private closed = false;

  constructor(private readonly options: SessionOptions) {
    this.watchPaths = options.initialWatchPaths ?? [];
  }

  /** Reads and applies once; a failure is thrown (the first apply without --watch ends the command). */
  async applyOnce(): Promise<void> {
    const loaded = await this.options.load();
    this.watchPaths = loaded.watchPaths;
    await this.options.engine.apply(loaded.stacks);
  }

  /** Starts watching (after applyOnce, whether it worked or not). */
  watch(): void {
    this.watches.push(watchFiles(() => this.watchPaths, () => this.reload()));
    const { synth } = this.options;
    if (synth !== undefined) {
      this.watches.push(watchSources(synth.appFolder, synth.filter, () => void this.resynth()));
    }
  }

  /** Reads and applies again, telling what changed or why it could not. */
  async reload(): Promise<void> {
    if (this.closed) return;
    const started = Date.now();
    try {
      const loaded = await this.options.load();
      this.watchPaths = loaded.watchPaths;
      const summary = await this.options.engine.apply(loaded.stacks);
      this.options.report.reloaded(summary, Date.now() - started);
    } catch (error) {
      this.options.report.reloadFailed(describeFailure(error));
    }
  }

  /** Runs the synth command (one at a time; edits during a run make one more), then applies what it made. */
  resynth(): Promise<void> {
    if (this.synthRunning !== undefined) {
      this.synthAgain = true;
      return this.synthRunning;
    }
    this.synthRunning = (async () => {
      try {
        do {
          this.synthAgain = false;
          await this.synthOnce();
        } while (this.synthAgain && !this.closed);
      } finally {
        this.synthRunning = undefined;
      }
    })();
    return this.synthRunning;
  }

  private async synthOnce(): Promise<void> {
    const { synth, report } = this.options;
    if (synth === undefined || this.closed) return;
    report.synthStarted(synth.command);
    const result = await runSynth(synth.command, synth.appFolder);
    if (!result.ok) {
      report.synthFailed(synth.command, result.status, result.output);
      return;
    }
    // The file watch would see the new assembly too; applying now saves its debounce (an unchanged
    // assembly applies nothing).
    await this.reload();
  }

  close(): void {
    this.closed = true;
    for (const watch of this.watches.splice(0)) watch.close();
  }
}

/** An error as a reload failure's line: the user's problem in its own words, anything else with its stack. */
export function describeFailure(error: unknown): string {
  if (error instanceof IacError) return error.message;
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof Error && typeof code === "string") return error.message;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
