import { randomUUID } from "node:crypto";
import type { Clock } from "../clock.js";
import { matchesPattern, MATCH_ALL, type FilterPattern } from "./filterPattern.js";
import { LogsError, LOGS_MESSAGES } from "./logsErrors.js";

/**
 * CloudFront Functions' logs as CloudWatch Logs keeps them (CloudFront Developer Guide, "Edge function logs",
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/edge-functions-logs.html): a LIVE
 * function run on distribution traffic that logged something (console.log) lands in the log group
 * `/aws/cloudfront/function/<FunctionName>` (us-east-1), in a stream named `YYYY/M/D/<id>`, as
 * `<requestId> START DistributionID: <id>`, one `<requestId> <line>` per console.log line, `<requestId> END`.
 * A run that failed adds `<requestId> ERROR <message>` before END (AWS does not document how a failure
 * appears; this is edgelite's choice). TestFunction's logs are in its answer only, never here.
 *
 * Memory is bounded: past a group's or the whole store's limit (RetentionLimits), the oldest events go
 * first; a stream with no events left is removed, and so is a group.
 */

export const FUNCTION_LOG_GROUP_PREFIX = "/aws/cloudfront/function/";
/** CloudFront sends function logs to CloudWatch Logs in US East (N. Virginia). */
export const FUNCTION_LOG_REGION = "us-east-1";

/** edgelite's retention bounds (CloudWatch keeps logs until their retention ends; a local emulator keeps the newest). */
export interface RetentionLimits {
  maxEventsPerGroup: number;
  maxBytesPerGroup: number;
  maxEvents: number;
  maxBytes: number;
}

export const DEFAULT_MAX_LOG_EVENTS_PER_GROUP = 10_000;
export const DEFAULT_MAX_LOG_BYTES_PER_GROUP = 5 * 1024 * 1024;
export const DEFAULT_MAX_LOG_EVENTS = 100_000;
export const DEFAULT_MAX_LOG_BYTES = 50 * 1024 * 1024;
/** CloudWatch Logs counts each event as its UTF-8 message plus 26 bytes (PutLogEvents, "The maximum batch size"). */
export const LOG_EVENT_OVERHEAD_BYTES = 26;

export const DEFAULT_RETENTION: RetentionLimits = {
  maxEventsPerGroup: DEFAULT_MAX_LOG_EVENTS_PER_GROUP,
  maxBytesPerGroup: DEFAULT_MAX_LOG_BYTES_PER_GROUP,
  maxEvents: DEFAULT_MAX_LOG_EVENTS,
  maxBytes: DEFAULT_MAX_LOG_BYTES,
};

/** Pages: the model's DescribeLimit (1–50, 50 by default) and EventsLimit (1–10,000, 10,000 by default). */
export const MAX_DESCRIBE_LIMIT = 50;
export const MAX_EVENTS_LIMIT = 10_000;

/** One LIVE run at the edge, as the edge reports it. */
export interface FunctionRunLog {
  functionName: string;
  /** The x-amz-cf-id the edge gave the request. */
  requestId: string;
  distributionId: string;
  /** The run's console.log lines (already cut at 10 KB by the runtime). */
  lines: readonly string[];
  /** The run's failure, when it failed. */
  error?: string;
}

interface LogEvent {
  readonly seq: number;
  readonly timestamp: number;
  readonly ingestionTime: number;
  readonly message: string;
  readonly bytes: number;
}

interface LogStream {
  readonly name: string;
  readonly creationTime: number;
  /** Oldest first. */
  readonly events: LogEvent[];
  lastEventTimestamp: number;
  lastIngestionTime: number;
  bytes: number;
}

interface LogGroup {
  readonly name: string;
  readonly creationTime: number;
  /** Insertion order is creation order. */
  readonly streams: Map<string, LogStream>;
  events: number;
  bytes: number;
}

export interface LogGroupView {
  name: string;
  arn: string;
  creationTime: number;
  storedBytes: number;
}

export interface LogStreamView {
  name: string;
  arn: string;
  creationTime: number;
  firstEventTimestamp: number | undefined;
  lastEventTimestamp: number | undefined;
  lastIngestionTime: number | undefined;
  storedBytes: number;
}

export interface LogEventView {
  timestamp: number;
  ingestionTime: number;
  message: string;
}

export interface FilteredEventView extends LogEventView {
  streamName: string;
  eventId: string;
}

export interface Page<T> {
  items: T[];
  nextToken: string | undefined;
}

export interface DescribeGroupsQuery {
  prefix?: string;
  /** Case-insensitive substring of the name. */
  pattern?: string;
  limit?: number;
  nextToken?: string;
}

export interface DescribeStreamsQuery {
  group: string;
  prefix?: string;
  orderBy?: "LogStreamName" | "LastEventTime";
  descending?: boolean;
  limit?: number;
  nextToken?: string;
}

export interface GetEventsQuery {
  group: string;
  stream: string;
  startTime?: number;
  endTime?: number;
  startFromHead?: boolean;
  limit?: number;
  nextToken?: string;
}

export interface FilterEventsQuery {
  group: string;
  streamNames?: readonly string[];
  streamPrefix?: string;
  startTime?: number;
  endTime?: number;
  pattern?: FilterPattern;
  limit?: number;
  nextToken?: string;
}

export interface FunctionLogStoreOptions {
  clock: Clock;
  accountId: string;
  retention?: Partial<RetentionLimits>;
}

export class FunctionLogStore {
  private readonly groups = new Map<string, LogGroup>();
  private readonly limits: RetentionLimits;
  /** This process's "edge location": every stream name ends in it. */
  private readonly streamId = randomUUID().replace(/-/g, "");
  private seq = 0;
  private events = 0;
  private bytes = 0;

  constructor(private readonly options: FunctionLogStoreOptions) {
    this.limits = { ...DEFAULT_RETENTION, ...options.retention };
  }

  /** The log group of a function's logs. */
  static groupName(functionName: string): string {
    return `${FUNCTION_LOG_GROUP_PREFIX}${functionName}`;
  }

  /** Records one LIVE run. A run that logged nothing and did not fail sends nothing, as on AWS. */
  record(run: FunctionRunLog): void {
    if (run.lines.length === 0 && run.error === undefined) return;
    const now = this.options.clock.now();
    const at = now.getTime();
    const stream = this.streamFor(FunctionLogStore.groupName(run.functionName), now);
    const messages = [`${run.requestId} START DistributionID: ${run.distributionId}`, ...run.lines.map((line) => `${run.requestId} ${line}`)];
    if (run.error !== undefined) messages.push(`${run.requestId} ERROR ${run.error}`);
    messages.push(`${run.requestId} END`);
    for (const message of messages) this.append(stream.group, stream.stream, message, at);
  }

  describeGroups(query: DescribeGroupsQuery): Page<LogGroupView> {
    const pattern = query.pattern?.toLowerCase();
    const names = [...this.groups.keys()]
      .filter((name) => (query.prefix === undefined || name.startsWith(query.prefix)) && (pattern === undefined || name.toLowerCase().includes(pattern)))
      .sort(byText);
    return pageOf(names, "groups", query.limit ?? MAX_DESCRIBE_LIMIT, query.nextToken, (name) => this.groupView(this.groups.get(name)!));
  }

  describeStreams(query: DescribeStreamsQuery): Page<LogStreamView> {
    const group = this.group(query.group);
    const streams = [...group.streams.values()].filter((stream) => query.prefix === undefined || stream.name.startsWith(query.prefix));
    if (query.orderBy === "LastEventTime") streams.sort((a, b) => a.lastEventTimestamp - b.lastEventTimestamp || byText(a.name, b.name));
    else streams.sort((a, b) => byText(a.name, b.name));
    if (query.descending) streams.reverse();
    return pageOf(streams, "streams", query.limit ?? MAX_DESCRIBE_LIMIT, query.nextToken, (stream) => this.streamView(group, stream));
  }

  /**
   * GetLogEvents: the events of one stream within [startTime, endTime), oldest first in the page. Without a
   * token, the newest `limit` (or the oldest with startFromHead); `f/N` reads on after event N, `b/N` the page
   * before it. At either end the token passed in comes back unchanged.
   */
  getEvents(query: GetEventsQuery): { events: LogEventView[]; nextForwardToken: string; nextBackwardToken: string } {
    const group = this.group(query.group);
    const stream = group.streams.get(query.stream);
    if (!stream) throw new LogsError("ResourceNotFoundException", LOGS_MESSAGES.streamNotFound);
    const limit = query.limit ?? MAX_EVENTS_LIMIT;
    const inRange = stream.events.filter((event) => (query.startTime === undefined || event.timestamp >= query.startTime) && (query.endTime === undefined || event.timestamp < query.endTime));
    const token = query.nextToken === undefined ? undefined : parseEventToken(query.nextToken);
    let page: LogEvent[];
    if (token?.direction === "f") page = inRange.filter((event) => event.seq > token.seq).slice(0, limit);
    else if (token?.direction === "b") page = inRange.filter((event) => event.seq < token.seq).slice(-limit);
    else page = query.startFromHead ? inRange.slice(0, limit) : inRange.slice(-limit);
    const first = page[0];
    const last = page[page.length - 1];
    let forward: string;
    let backward: string;
    if (first && last) {
      forward = eventToken("f", last.seq);
      backward = eventToken("b", first.seq);
    } else if (token) {
      // At the end: the token passed in, and the other direction's token from the same place.
      forward = token.direction === "f" ? query.nextToken! : eventToken("f", Math.max(0, token.seq - 1));
      backward = token.direction === "b" ? query.nextToken! : eventToken("b", token.seq + 1);
    } else {
      const before = (inRange[0]?.seq ?? this.seq + 1) - 1;
      forward = eventToken("f", before);
      backward = eventToken("b", before + 1);
    }
    return { events: page.map(eventView), nextForwardToken: forward, nextBackwardToken: backward };
  }

  /**
   * FilterLogEvents: the group's events (or those of the named streams, or of the streams with the prefix)
   * within [startTime, endTime] that match the pattern, oldest first across streams (interleaved).
   */
  filterEvents(query: FilterEventsQuery): { events: FilteredEventView[]; searchedStreams: string[]; nextToken: string | undefined } {
    const group = this.group(query.group);
    const names = query.streamNames && new Set(query.streamNames);
    const streams = [...group.streams.values()].filter((stream) => (names === undefined || names.has(stream.name)) && (query.streamPrefix === undefined || stream.name.startsWith(query.streamPrefix)));
    const after = query.nextToken === undefined ? 0 : parseFilterToken(query.nextToken);
    const pattern = query.pattern ?? MATCH_ALL;
    const limit = query.limit ?? MAX_EVENTS_LIMIT;
    const matched: FilteredEventView[] = [];
    const found: Array<{ event: LogEvent; stream: LogStream }> = [];
    for (const stream of streams) {
      for (const event of stream.events) {
        if (event.seq <= after) continue;
        if (query.startTime !== undefined && event.timestamp < query.startTime) continue;
        if (query.endTime !== undefined && event.timestamp > query.endTime) continue;
        if (matchesPattern(pattern, event.message)) found.push({ event, stream });
      }
    }
    found.sort((a, b) => a.event.seq - b.event.seq);
    for (const { event, stream } of found.slice(0, limit)) matched.push({ ...eventView(event), streamName: stream.name, eventId: eventIdOf(event.seq) });
    const more = found.length > limit;
    return { events: matched, searchedStreams: streams.map((stream) => stream.name), nextToken: more ? filterToken(found[limit - 1]!.event.seq) : undefined };
  }

  /** A log group named by its name or ARN (`logGroupName` or `logGroupIdentifier`). */
  private group(nameOrArn: string): LogGroup {
    const group = this.groups.get(this.nameOf(nameOrArn));
    if (!group) throw new LogsError("ResourceNotFoundException", LOGS_MESSAGES.groupNotFound);
    return group;
  }

  private nameOf(identifier: string): string {
    const arnPrefix = `arn:aws:logs:${FUNCTION_LOG_REGION}:${this.options.accountId}:log-group:`;
    // The model's pattern keeps a trailing `:*` out of logGroupIdentifier, as AWS asks.
    return identifier.startsWith(arnPrefix) ? identifier.slice(arnPrefix.length) : identifier;
  }

  private groupArn(name: string): string {
    return `arn:aws:logs:${FUNCTION_LOG_REGION}:${this.options.accountId}:log-group:${name}`;
  }

  private groupView(group: LogGroup): LogGroupView {
    return { name: group.name, arn: this.groupArn(group.name), creationTime: group.creationTime, storedBytes: group.bytes };
  }

  private streamView(group: LogGroup, stream: LogStream): LogStreamView {
    return {
      name: stream.name,
      arn: `${this.groupArn(group.name)}:log-stream:${stream.name}`,
      creationTime: stream.creationTime,
      firstEventTimestamp: stream.events[0]?.timestamp,
      lastEventTimestamp: stream.events.length > 0 ? stream.lastEventTimestamp : undefined,
      lastIngestionTime: stream.events.length > 0 ? stream.lastIngestionTime : undefined,
      storedBytes: stream.bytes,
    };
  }

  /** The group and today's stream (UTC), created on first use. */
  private streamFor(groupName: string, now: Date): { group: LogGroup; stream: LogStream } {
    let group = this.groups.get(groupName);
    if (!group) {
      group = { name: groupName, creationTime: now.getTime(), streams: new Map(), events: 0, bytes: 0 };
      this.groups.set(groupName, group);
    }
    const streamName = `${now.getUTCFullYear()}/${now.getUTCMonth() + 1}/${now.getUTCDate()}/${this.streamId}`;
    let stream = group.streams.get(streamName);
    if (!stream) {
      stream = { name: streamName, creationTime: now.getTime(), events: [], lastEventTimestamp: now.getTime(), lastIngestionTime: now.getTime(), bytes: 0 };
      group.streams.set(streamName, stream);
    }
    return { group, stream };
  }

  private append(group: LogGroup, stream: LogStream, message: string, at: number): void {
    const bytes = Buffer.byteLength(message) + LOG_EVENT_OVERHEAD_BYTES;
    const event: LogEvent = { seq: ++this.seq, timestamp: at, ingestionTime: at, message, bytes };
    // The group and stream may have been emptied (and removed) by an earlier eviction: put them back.
    if (!this.groups.has(group.name)) this.groups.set(group.name, group);
    if (!group.streams.has(stream.name)) group.streams.set(stream.name, stream);
    stream.events.push(event);
    stream.bytes += bytes;
    stream.lastEventTimestamp = Math.max(stream.lastEventTimestamp, at);
    stream.lastIngestionTime = at;
    group.events++;
    group.bytes += bytes;
    this.events++;
    this.bytes += bytes;
    while ((group.events > this.limits.maxEventsPerGroup || group.bytes > this.limits.maxBytesPerGroup) && group.events > 0) this.dropOldest(group);
    while (this.events > this.limits.maxEvents || this.bytes > this.limits.maxBytes) {
      const oldest = this.oldestGroup();
      if (!oldest) break;
      this.dropOldest(oldest);
    }
  }

  /** The group holding the store's oldest event. */
  private oldestGroup(): LogGroup | undefined {
    let oldest: { group: LogGroup; seq: number } | undefined;
    for (const group of this.groups.values()) {
      const seq = this.oldestIn(group)?.events[0]?.seq;
      if (seq !== undefined && (oldest === undefined || seq < oldest.seq)) oldest = { group, seq };
    }
    return oldest?.group;
  }

  private oldestIn(group: LogGroup): LogStream | undefined {
    let oldest: LogStream | undefined;
    for (const stream of group.streams.values()) {
      const first = stream.events[0];
      if (first && (oldest === undefined || first.seq < oldest.events[0]!.seq)) oldest = stream;
    }
    return oldest;
  }

  private dropOldest(group: LogGroup): void {
    const stream = this.oldestIn(group);
    const event = stream?.events.shift();
    if (!stream || !event) return;
    stream.bytes -= event.bytes;
    group.events--;
    group.bytes -= event.bytes;
    this.events--;
    this.bytes -= event.bytes;
    if (stream.events.length === 0) group.streams.delete(stream.name);
    if (group.events === 0) this.groups.delete(group.name);
  }
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function eventView(event: LogEvent): LogEventView {
  return { timestamp: event.timestamp, ingestionTime: event.ingestionTime, message: event.message };
}

/** Event ids are the store's sequence numbers, zero-padded as CloudWatch's long decimal ids are. */
function eventIdOf(seq: number): string {
  return String(seq).padStart(20, "0");
}

// ---- tokens: opaque to callers, checked on the way in

function eventToken(direction: "f" | "b", seq: number): string {
  return `${direction}/${String(seq).padStart(20, "0")}`;
}

function parseEventToken(token: string): { direction: "f" | "b"; seq: number } {
  const match = /^([fb])\/([0-9]{1,20})$/.exec(token);
  if (!match) throw new LogsError("InvalidParameterException", LOGS_MESSAGES.badToken);
  return { direction: match[1] as "f" | "b", seq: Number(match[2]) };
}

function filterToken(seq: number): string {
  return `e/${String(seq).padStart(20, "0")}`;
}

function parseFilterToken(token: string): number {
  const match = /^e\/([0-9]{1,20})$/.exec(token);
  if (!match) throw new LogsError("InvalidParameterException", LOGS_MESSAGES.badToken);
  return Number(match[1]);
}

/** A page of a sorted list by offset: `<kind>/<offset>` tokens. */
function pageOf<T, V>(items: readonly T[], kind: string, limit: number, token: string | undefined, view: (item: T) => V): Page<V> {
  let offset = 0;
  if (token !== undefined) {
    const match = new RegExp(`^${kind}/([0-9]{1,9})$`).exec(token);
    if (!match) throw new LogsError("InvalidParameterException", LOGS_MESSAGES.badToken);
    offset = Number(match[1]);
  }
  const page = items.slice(offset, offset + limit);
  const next = offset + limit < items.length ? `${kind}/${offset + limit}` : undefined;
  return { items: page.map(view), nextToken: next };
}
