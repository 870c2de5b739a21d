import pino from "pino";
import type { EdgeLogEntry, EdgeNotice } from "../edge/edge.js";
import type { RequestLogEntry } from "../api/dispatch.js";
import { colour, formatApiLine, formatEdgeEntry } from "./format.js";

export const LOG_FORMATS = ["pretty", "json"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface RequestLogOptions {
  format: LogFormat;
  /** No per-request lines, nor the functions' console.log lines under them (process lines such as "listening" are still written). */
  quiet?: boolean;
}

/** Extra fields of a process line in JSON (url, storage…). */
export type LogFields = Record<string, string | number | boolean | string[] | undefined>;

export interface RequestLog {
  /** One line per API call; undefined when quiet, so the server skips building entries. */
  readonly api?: (entry: RequestLogEntry) => void;
  /** One line per edge request; undefined when quiet. */
  readonly edge?: (entry: EdgeLogEntry) => void;
  /** A process line such as the ready line: `text` as it is when pretty, `msg` plus `fields` when JSON. */
  info(text: string, msg: string, fields?: LogFields): void;
  /**
   * What the edge accepts but does not do for a distribution (once per distribution and version): on stderr
   * when pretty, a warn line (`kind: "notice"`) when JSON. Written even when quiet.
   */
  notice(notice: EdgeNotice): void;
  /** Writes out what is still buffered; call before process.exit. Bounded: resolves within a second. */
  close(): Promise<void>;
}

/**
 * The request log of `serve` and `dev`.
 * - pretty (default): the coloured lines, edge requests on stdout (each followed by its functions' console.log
 *   lines, indented), API calls on stderr, written as they happen.
 * - json: one pino object per line on stdout (level, time, pid, hostname, msg and the entry's fields), written
 *   asynchronously: lines queue in memory while a write is in flight and go out together in the next one.
 *   Level: 30 (info) below 400, 40 (warn) for 4xx, 50 (error) for 5xx. An edge entry carries its functions'
 *   console.log lines as `logs: [{ function, stage, eventType, message }]` when there are any.
 */
export function createRequestLog(options: RequestLogOptions): RequestLog {
  return options.format === "json" ? jsonLog(options.quiet ?? false) : prettyLog(options.quiet ?? false);
}

function prettyLog(quiet: boolean): RequestLog {
  const out = colour(process.stdout);
  const err = colour(process.stderr);
  return {
    api: quiet ? undefined : (entry) => void process.stderr.write(`${formatApiLine(entry, err)}\n`),
    edge: quiet ? undefined : (entry) => void process.stdout.write(formatEdgeEntry(entry, out)),
    info: (text) => void process.stdout.write(`${text}\n`),
    notice: (notice) => void process.stderr.write(`${err.yellow(`edgelite: notice: ${notice.message}`)}\n`),
    close: async () => {},
  };
}

/** pino's level for an HTTP status. */
export function levelOf(status: number): pino.Level {
  return status >= 500 ? "error" : status >= 400 ? "warn" : "info";
}

/** Microsecond precision: 0.123 rather than 0.12345678901. */
const roundMs = (ms: number) => Math.round(ms * 1000) / 1000;

function jsonLog(quiet: boolean): RequestLog {
  const destination = pino.destination({ dest: 1, sync: false });
  const logger: pino.Logger = pino({}, destination);
  let closed: Promise<void> | undefined;
  // Lines after close() (a straggler while the process stops) are dropped: the destination is gone.
  const write = (level: pino.Level, fields: object, msg: string) => {
    if (!closed) logger[level](fields, msg);
  };
  return {
    api: quiet
      ? undefined
      : (entry) =>
          write(
            levelOf(entry.status),
            {
              kind: "api",
              requestId: entry.requestId,
              method: entry.method,
              path: entry.path,
              operation: entry.operation,
              status: entry.status,
              errorCode: entry.errorCode,
              durationMs: roundMs(entry.durationMs),
            },
            `${entry.method} ${entry.path} ${entry.status}`,
          ),
    edge: quiet
      ? undefined
      : (entry) =>
          write(
            levelOf(entry.status),
            {
              kind: "edge",
              requestId: entry.requestId,
              distributionId: entry.distributionId,
              method: entry.method,
              uri: entry.uri,
              status: entry.status,
              result: entry.result,
              detailedResult: entry.detailedResult,
              functions: entry.functions,
              // Absent when no function logged anything, like the other optional fields.
              logs: entry.logs.length > 0 ? entry.logs : undefined,
              computeUtilization: entry.computeUtilization,
              durationMs: roundMs(entry.durationMs),
              detail: entry.detail,
            },
            `${entry.method} ${entry.uri} ${entry.status}`,
          ),
    info: (_text, msg, fields = {}) => write("info", fields, msg),
    notice: (notice) => write("warn", { kind: "notice", distributionId: notice.distributionId, notice: notice.kind }, notice.message),
    close() {
      // end() writes what is queued (after a write in flight) and leaves fd 1 open; 'close' follows.
      // A broken pipe turns end() into a no-op, hence the bound.
      closed ??= new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        destination.once("close", () => {
          clearTimeout(timer);
          resolve();
        });
        try {
          destination.end();
        } catch {
          // Already destroyed: nothing left to write.
          clearTimeout(timer);
          resolve();
        }
      });
      return closed;
    },
  };
}
