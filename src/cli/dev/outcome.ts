import type { App } from "../../compose.js";
import { gate, GateSyntaxError } from "../../runtime/gate.js";
import { codeFrame, formatLocation } from "../../runtime/sourceLocation.js";
import type { RuntimeName } from "../../runtime/types.js";
import type { FunctionConfigInput } from "../../service/functions.js";
import { CloudFrontError } from "../../service/errors.js";
import { CliError, EXIT } from "../failures.js";
import type { Paint } from "../format.js";
import type { LogFields } from "../log.js";
import type { FileEvent } from "./watch.js";

/** One line of `edgelite dev`'s output: `text` when pretty, `msg` and `fields` when JSON. */
export interface DevLine {
  text: string;
  msg: string;
  fields: LogFields;
}

/**
 * Deploys a version of a dev function (DEVELOPMENT, then published to LIVE) and says, in one line, what
 * requests get now:
 * - `reloaded <file>` when the new code is live;
 * - `syntax error <file>:<line>:<column>: …` (the code frame under it) when it does not parse: it is deployed anyway, so requests
 *   get a 503 as on CloudFront (where a function that does not compile fails every request it runs for);
 * - `cannot deploy <file>: …` when CloudFront would refuse it (too large…): the previous version stays live.
 * `first` creates the function and says nothing when all went well (the serving line follows).
 */
export async function deployVersion(
  app: App,
  deployment: { name: string; file: string; config: FunctionConfigInput; runtime: RuntimeName; first: boolean },
  code: Buffer,
  paint: Paint,
): Promise<DevLine | undefined> {
  const { name, file, config, runtime, first } = deployment;
  const syntax = syntaxErrorOf(code.toString("utf8"), runtime);
  try {
    await app.deployFunction(name, config, code, { create: first });
  } catch (error) {
    const reason = error instanceof CloudFrontError ? `${error.code}: ${error.message}` : String(error);
    if (first) throw new CliError(`cannot deploy ${file} as function ${name}: ${reason}. Fix the file and start again.`, EXIT.dataError);
    return {
      text: `${paint.red("cannot deploy")} ${file}: ${reason} ${paint.dim("(the previous version is still live)")}`,
      msg: "cannot deploy",
      fields: { file, function: name, error: reason },
    };
  }
  if (syntax !== undefined) {
    const { location } = syntax;
    const at = location ? formatLocation(file, location) : syntax.line !== undefined ? `${file}:${syntax.line}` : file;
    const message = `${syntax.errorName}: ${syntax.message}`;
    const frame = location ? codeFrame(code.toString("utf8"), location) : undefined;
    return {
      text: `${paint.red("syntax error")} ${at}: ${message} ${paint.dim("(deployed: requests get a 503 error page until you fix it, as on CloudFront)")}${frame ? `\n${indent(frame)}` : ""}`,
      msg: "syntax error",
      fields: { file, function: name, error: message, ...(location ? { line: location.line, column: location.column } : syntax.line !== undefined ? { line: syntax.line } : {}), ...(frame ? { codeFrame: frame } : {}) },
    };
  }
  if (first) return undefined;
  return { text: `${paint.cyan("reloaded")} ${file}`, msg: "reloaded", fields: { file, function: name } };
}

function syntaxErrorOf(source: string, runtime: RuntimeName): GateSyntaxError | undefined {
  try {
    gate(source, runtime);
    return undefined;
  } catch (error) {
    return error instanceof GateSyntaxError ? error : undefined;
  }
}

const indent = (text: string) => text.replace(/^/gm, "    ");

/** The line for a watched file that went away, came back unchanged, or cannot be read. */
export function fileLine(event: Exclude<FileEvent, { kind: "changed" }>, file: string, paint: Paint): DevLine {
  switch (event.kind) {
    case "gone":
      return { text: `${paint.yellow("gone")} ${file}: the last version is still live; edgelite dev reloads it when the file is back`, msg: "file gone", fields: { file } };
    case "back-unchanged":
      return { text: `${paint.dim(`back ${file}, unchanged`)}`, msg: "file back", fields: { file } };
    case "unreadable":
      return { text: `${paint.red("cannot read")} ${file}: ${event.reason} ${paint.dim("(the last version is still live)")}`, msg: "cannot read", fields: { file, error: event.reason } };
  }
}
