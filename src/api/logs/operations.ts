import { parseFilterPattern } from "../../service/filterPattern.js";
import { MAX_DESCRIBE_LIMIT, MAX_EVENTS_LIMIT } from "../../service/functionLogs.js";
import { LogsError } from "../../service/logsErrors.js";
import type { Operation } from "../operation.js";
import {
  LOG_GROUP_NAME,
  LOG_STREAM_NAME,
  LOGS_TARGET_PREFIX,
  logGroupOf,
  logsReply,
  NEXT_TOKEN,
  optionalBoolean,
  optionalEnum,
  optionalInteger,
  optionalString,
  optionalStringList,
  optionalTimestamp,
  requestObject,
} from "./common.js";

/**
 * The CloudWatch Logs operations that read function logs (shapes from the logs 2014-03-28 model), on the
 * API's port: what `aws logs describe-log-groups`, `get-log-events`, `filter-log-events` and `tail` call.
 */
const json11 = (name: string): Pick<Operation, "name" | "method" | "path" | "protocol" | "target"> => ({
  name,
  method: "POST",
  path: "/",
  protocol: "aws-json-1.1",
  target: `${LOGS_TARGET_PREFIX}${name}`,
});

const DESCRIBE_LIMIT = { min: 1, max: MAX_DESCRIBE_LIMIT };
const EVENTS_LIMIT = { min: 1, max: MAX_EVENTS_LIMIT };

export const describeLogGroups: Operation = {
  ...json11("DescribeLogGroups"),
  async handle(request, { functionLogs }) {
    const body = requestObject(request);
    const prefix = optionalString(body, "logGroupNamePrefix", LOG_GROUP_NAME);
    const pattern = optionalString(body, "logGroupNamePattern", { min: 0, max: 512, pattern: "[\\.\\-_/#A-Za-z0-9]*" });
    if (prefix !== undefined && pattern !== undefined) throw new LogsError("InvalidParameterException", "LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
    const page = functionLogs.describeGroups({
      ...(prefix !== undefined ? { prefix } : {}),
      ...(pattern ? { pattern } : {}),
      ...optional("limit", optionalInteger(body, "limit", DESCRIBE_LIMIT)),
      ...optional("nextToken", optionalString(body, "nextToken", NEXT_TOKEN)),
    });
    return logsReply({
      logGroups: page.items.map((group) => ({
        logGroupName: group.name,
        creationTime: group.creationTime,
        metricFilterCount: 0,
        arn: `${group.arn}:*`,
        storedBytes: group.storedBytes,
        logGroupClass: "STANDARD",
        logGroupArn: group.arn,
      })),
      ...optional("nextToken", page.nextToken),
    });
  },
};

export const describeLogStreams: Operation = {
  ...json11("DescribeLogStreams"),
  async handle(request, { functionLogs }) {
    const body = requestObject(request);
    const group = logGroupOf(body);
    const prefix = optionalString(body, "logStreamNamePrefix", LOG_STREAM_NAME);
    const orderBy = optionalEnum(body, "orderBy", ["LogStreamName", "LastEventTime"] as const);
    if (orderBy === "LastEventTime" && prefix !== undefined) throw new LogsError("InvalidParameterException", "Cannot order by LastEventTime with a logStreamNamePrefix.");
    const page = functionLogs.describeStreams({
      group,
      ...optional("prefix", prefix),
      ...optional("orderBy", orderBy),
      ...optional("descending", optionalBoolean(body, "descending")),
      ...optional("limit", optionalInteger(body, "limit", DESCRIBE_LIMIT)),
      ...optional("nextToken", optionalString(body, "nextToken", NEXT_TOKEN)),
    });
    return logsReply({
      logStreams: page.items.map((stream) => ({
        logStreamName: stream.name,
        creationTime: stream.creationTime,
        ...optional("firstEventTimestamp", stream.firstEventTimestamp),
        ...optional("lastEventTimestamp", stream.lastEventTimestamp),
        ...optional("lastIngestionTime", stream.lastIngestionTime),
        arn: stream.arn,
        storedBytes: stream.storedBytes,
      })),
      ...optional("nextToken", page.nextToken),
    });
  },
};

export const getLogEvents: Operation = {
  ...json11("GetLogEvents"),
  async handle(request, { functionLogs }) {
    const body = requestObject(request);
    const group = logGroupOf(body);
    const stream = optionalString(body, "logStreamName", LOG_STREAM_NAME);
    if (stream === undefined) throw new LogsError("InvalidParameterException", "1 validation error detected: Value null at 'logStreamName' failed to satisfy constraint: Member must not be null");
    const result = functionLogs.getEvents({
      group,
      stream,
      ...optional("startTime", optionalTimestamp(body, "startTime")),
      ...optional("endTime", optionalTimestamp(body, "endTime")),
      ...optional("startFromHead", optionalBoolean(body, "startFromHead")),
      ...optional("limit", optionalInteger(body, "limit", EVENTS_LIMIT)),
      ...optional("nextToken", optionalString(body, "nextToken", NEXT_TOKEN)),
    });
    return logsReply({ events: result.events, nextForwardToken: result.nextForwardToken, nextBackwardToken: result.nextBackwardToken });
  },
};

export const filterLogEvents: Operation = {
  ...json11("FilterLogEvents"),
  async handle(request, { functionLogs }) {
    const body = requestObject(request);
    const group = logGroupOf(body);
    const streamNames = optionalStringList(body, "logStreamNames", { min: 1, max: 100 }, LOG_STREAM_NAME);
    const streamPrefix = optionalString(body, "logStreamNamePrefix", LOG_STREAM_NAME);
    if (streamNames !== undefined && streamPrefix !== undefined) throw new LogsError("InvalidParameterException", "logStreamNames and logStreamNamePrefix are mutually exclusive parameters.");
    const pattern = optionalString(body, "filterPattern", { min: 0, max: 1024 });
    // `interleaved` is accepted and ignored: events always come interleaved across streams, oldest first.
    optionalBoolean(body, "interleaved");
    const result = functionLogs.filterEvents({
      group,
      ...optional("streamNames", streamNames),
      ...optional("streamPrefix", streamPrefix),
      ...optional("startTime", optionalTimestamp(body, "startTime")),
      ...optional("endTime", optionalTimestamp(body, "endTime")),
      ...(pattern !== undefined ? { pattern: parseFilterPattern(pattern) } : {}),
      ...optional("limit", optionalInteger(body, "limit", EVENTS_LIMIT)),
      ...optional("nextToken", optionalString(body, "nextToken", NEXT_TOKEN)),
    });
    return logsReply({
      events: result.events.map((event) => ({ logStreamName: event.streamName, timestamp: event.timestamp, message: event.message, ingestionTime: event.ingestionTime, eventId: event.eventId })),
      searchedLogStreams: result.searchedStreams.map((name) => ({ logStreamName: name, searchedCompletely: result.nextToken === undefined })),
      ...optional("nextToken", result.nextToken),
    });
  },
};

/** `{ [name]: value }` when the value is present, `{}` when not (exactOptionalPropertyTypes). */
function optional<K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [name]: value }) as { [P in K]?: V };
}

export const LOGS_OPERATIONS: readonly Operation[] = [describeLogGroups, describeLogStreams, getLogEvents, filterLogEvents];
