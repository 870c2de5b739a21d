import { CloudFrontError } from "../service/errors.js";
import { KvsError } from "../service/kvsErrors.js";
import { LogsError } from "../service/logsErrors.js";
import { LOGS_TARGET_PREFIX } from "./logs/common.js";
import type { Operation } from "./operation.js";
import { OPERATIONS } from "./registry.js";

export const API_VERSION_PREFIX = "/2020-05-31/";

interface CompiledRoute {
  operation: Operation;
  regex: RegExp;
  labels: string[];
}

function compile(operation: Operation): CompiledRoute {
  const labels: string[] = [];
  const source = operation.path
    .split("/")
    .map((segment) => {
      const label = /^\{(\w+)\}$/.exec(segment);
      if (!label) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      labels.push(label[1]!);
      return "([^/]*)";
    })
    .join("/");
  return { operation, regex: new RegExp(`^${source}/?$`), labels };
}

/** Operations routed by path (REST); awsJson operations are routed by their X-Amz-Target instead. */
const ROUTES = OPERATIONS.filter((operation) => operation.target === undefined).map(compile);
const TARGETS = new Map(OPERATIONS.flatMap((operation) => (operation.target === undefined ? [] : [[operation.target, operation] as const])));

/** Whether a request speaks CloudWatch Logs' awsJson1_1: a POST whose X-Amz-Target names that service. */
export function isLogsRequest(method: string, target: string | string[] | undefined): boolean {
  return method === "POST" && typeof target === "string" && target.startsWith(LOGS_TARGET_PREFIX);
}

/** The awsJson operation an X-Amz-Target names; UnknownOperationException (as AWS answers) for one edgelite does not serve. */
export function routeTarget(target: string): RouteMatch {
  const operation = TARGETS.get(target);
  if (operation) return { operation, params: {} };
  const supported = [...TARGETS.keys()].map((name) => name.slice(LOGS_TARGET_PREFIX.length)).join(", ");
  const shown = target.length > 100 ? `${target.slice(0, 100)}…` : target;
  throw new LogsError("UnknownOperationException", `edgelite does not implement the CloudWatch Logs operation ${shown}. Supported: ${supported}.`);
}

export interface RouteMatch {
  operation: Operation;
  params: Record<string, string>;
}

/**
 * Finds the operation for a method and raw (still percent-encoded) path. Labels are split first and
 * decoded after, so an encoded `/` stays inside its label. Throws CloudFront-style errors for paths
 * that match no operation.
 */
export function route(method: string, rawPath: string): RouteMatch {
  let pathMatched = false;
  for (const { operation, regex, labels } of ROUTES) {
    const match = regex.exec(rawPath);
    if (!match) continue;
    pathMatched = true;
    if (operation.method !== method) continue;
    const params: Record<string, string> = {};
    labels.forEach((label, index) => {
      params[label] = decodeLabel(operation, label, match[index + 1]!);
    });
    return { operation, params };
  }
  if (pathMatched) {
    throw new CloudFrontError("MethodNotAllowed", `${method} is not allowed on ${rawPath}.`);
  }
  if (rawPath.startsWith(API_VERSION_PREFIX)) {
    throw new CloudFrontError(
      "NotImplemented",
      `edgelite does not implement ${method} ${rawPath} yet. Supported: (${OPERATIONS.map((op) => op.name).join(", ")}).`,
    );
  }
  throw new CloudFrontError("NotFound", `No CloudFront API operation matches ${method} ${rawPath}. The API lives under ${API_VERSION_PREFIX}.`);
}

/**
 * A path label, percent-decoded. The data plane refuses a label that is not valid percent-encoded UTF-8
 * (`%zz`, a truncated `%E0%A4`) with ValidationException rather than take it literally, so such a key is
 * never stored; the CloudFront API keeps the raw text (its names cannot contain `%`, so it names nothing).
 */
function decodeLabel(operation: Operation, label: string, segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    if (operation.protocol === "rest-json") {
      throw new KvsError("ValidationException", `The ${label} in the request path is not valid percent-encoded UTF-8.`);
    }
    return segment;
  }
}
