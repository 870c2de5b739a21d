import { CommanderError } from "commander";
import { readFileSync, statSync } from "node:fs";
import { NativeModuleUnavailable } from "../native.js";
import { CloudFrontError } from "../service/errors.js";
import { StorageError } from "../store/storageErrors.js";

/**
 * Every way an edgelite command can fail, told in one place: what went wrong, which flag or file, what to
 * do, and an exit status a script can test. Commands throw a CliError for the failures they foresee; the
 * top level (`runCli` in main.ts) turns anything else — Node's system errors (`listen EADDRINUSE`,
 * `ENOENT … open`), the store's StorageError, the service's CloudFrontError — into the same shape with
 * `failureOf`. Only an error none of these explain is treated as a bug: its stack is printed with a
 * request to report it.
 *
 * Exit statuses (sysexits(3) numbering for the usage and environment failures; docs/cli.md):
 */
export const EXIT = {
  /** The command did what was asked (`test`: the function ran and production would accept its result). */
  ok: 0,
  /** `test`: the function failed (syntax or runtime error); other commands: the server refused the request. */
  failed: 1,
  /** `test`: the function ran, but production would reject its result (a 502 at the edge). */
  rejected: 2,
  /** A command line mistake: unknown command or flag, a flag's value that means nothing (EX_USAGE). */
  usage: 64,
  /** An input file was read but its content is wrong: invalid JSON, not an event, not an import file (EX_DATAERR). */
  dataError: 65,
  /** An input file is missing, unreadable or a folder (EX_NOINPUT). */
  noInput: 66,
  /** Something edgelite needs is not there: no server at the endpoint, the port is taken (EX_UNAVAILABLE). */
  unavailable: 69,
  /** A bug in edgelite: please report it (EX_SOFTWARE). */
  internal: 70,
  /** The data directory or its database cannot be used (EX_CANTCREAT). */
  storage: 73,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure the CLI foresaw: the message is complete (what, which flag or file, what to do) and is printed as is. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = "CliError";
  }
}

export const usageError = (message: string) => new CliError(message, EXIT.usage);

export interface Failure {
  /** What to print on stderr (after `error: `). */
  message: string;
  exitCode: ExitCode;
  /** Whether this is a bug in edgelite (the message then carries the stack and a request to report it). */
  bug: boolean;
}

interface SystemError extends Error {
  code?: string;
  syscall?: string;
  path?: string;
  port?: number;
  address?: string;
}

const isSystemError = (error: unknown): error is SystemError => error instanceof Error && typeof (error as SystemError).code === "string";

/** What the CLI says about an error that reached its top level. */
export function failureOf(error: unknown): Failure {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode, bug: false };
  if (error instanceof CommanderError) {
    // Commander has printed its own message already (help, version, or `error: unknown option …`).
    const quiet = error.code === "commander.helpDisplayed" || error.code === "commander.help" || error.code === "commander.version";
    return { message: "", exitCode: quiet ? EXIT.ok : EXIT.usage, bug: false };
  }
  if (error instanceof StorageError) return { message: error.message, exitCode: EXIT.storage, bug: false };
  // The sandbox or SQLite is not built for this Node: the message says how to build it (src/native.ts).
  if (error instanceof NativeModuleUnavailable) return { message: error.message, exitCode: EXIT.unavailable, bug: false };
  if (error instanceof CloudFrontError) return { message: error.message, exitCode: EXIT.failed, bug: false };
  if (isSystemError(error)) {
    const known = systemFailure(error);
    if (known) return known;
  }
  // By convention an Error whose message starts with a flag (`--runtime must be 1.0 or 2.0`) is a usage mistake.
  if (error instanceof Error && error.constructor === Error && /^--[a-z]/.test(error.message)) return { message: error.message, exitCode: EXIT.usage, bug: false };
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return { message: `edgelite failed unexpectedly; this is a bug in edgelite; please report it with the command you ran and the lines below:\n${text}`, exitCode: EXIT.internal, bug: true };
}

/** Node's system errors the CLI meets: a port that is taken, an input file that is missing or not a file. */
function systemFailure(error: SystemError): Failure | undefined {
  const { code, syscall } = error;
  if (syscall === "listen") {
    const where = error.port !== undefined ? `port ${error.port}${error.address ? ` on ${error.address}` : ""}` : "the port";
    if (code === "EADDRINUSE") {
      return { message: `${where} is already in use (another edgelite, or another program, listens there). Stop that program, or choose another port with --port <n> (--port 0 picks a free one).`, exitCode: EXIT.unavailable, bug: false };
    }
    if (code === "EACCES" || code === "EPERM") {
      return { message: `not allowed to listen on ${where}: ports below 1024 need privileges. Choose another port with --port <n>, e.g. --port 8080.`, exitCode: EXIT.unavailable, bug: false };
    }
    if (code === "EADDRNOTAVAIL") {
      return { message: `cannot listen on ${error.address ?? "that address"}: it is not an address of this machine. Give --host an address this machine has, e.g. 127.0.0.1 or 0.0.0.0.`, exitCode: EXIT.unavailable, bug: false };
    }
    return undefined;
  }
  const reason = fileReason(code);
  if (reason === undefined) return undefined;
  if (error.path !== undefined) return { message: `cannot read ${error.path}: ${reason}.`, exitCode: EXIT.noInput, bug: false };
  // Reading an opened folder fails without a path (readFileSync of a directory).
  if (code === "EISDIR") return { message: "a file named on the command line is a folder; give the path of a file.", exitCode: EXIT.noInput, bug: false };
  return undefined;
}

/** The system's reason for not reading a file, in words, with what to do; undefined for codes that mean something else. */
function fileReason(code: string | undefined): string | undefined {
  switch (code) {
    case "ENOENT":
      return "no such file (check the path)";
    case "EISDIR":
      return "it is a folder, not a file";
    case "EACCES":
    case "EPERM":
      return "permission denied (make it readable by this user)";
    case "ENOTDIR":
      return "a part of the path is not a folder (check the path)";
    case "ELOOP":
      return "too many symbolic links";
    case "ENAMETOOLONG":
      return "the path is too long";
    default:
      return undefined;
  }
}

/**
 * Reads a file the user named on the command line (`what` names it in messages: "function file", "--event"),
 * or throws a CliError (EXIT.noInput) that says why it cannot be read.
 */
export function readInputFile(path: string, what: string): string {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (stats?.isDirectory()) throw new CliError(`${what} ${path} is a folder; give a file.`, EXIT.noInput);
  // A FIFO or a device would block the read (or never end): only regular files are read.
  if (stats !== undefined && !stats.isFile()) throw new CliError(`${what} ${path} is not a regular file; give a file.`, EXIT.noInput);
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const reason = isSystemError(error) ? fileReason(error.code) : undefined;
    throw new CliError(`cannot read ${what} ${path}: ${reason ?? (error instanceof Error ? error.message : String(error))}.`, EXIT.noInput);
  }
}

/** The error for a server that did not answer at `endpoint` (fetch's `fetch failed`, which names no URL). */
export function unreachable(endpoint: string, error: unknown): CliError {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
  const why = timedOut ? "it did not answer in time" : typeof cause === "string" ? cause : error instanceof Error ? error.message : String(error);
  return new CliError(`no edgelite server answered at ${endpoint} (${why}). Start it with \`edgelite serve\`, or give its URL with --endpoint <url>.`, EXIT.unavailable);
}

/** The closest of `choices` to `value` (edit distance at most 3), for "did you mean …?". */
export function closest(value: string, choices: readonly string[]): string | undefined {
  let best: { choice: string; distance: number } | undefined;
  for (const choice of choices) {
    const distance = editDistance(value.toLowerCase(), choice);
    if (distance <= 3 && (best === undefined || distance < best.distance)) best = { choice, distance };
  }
  return best?.choice;
}

function editDistance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Math.abs(a.length - b.length) + 64;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    previous = row;
  }
  return previous[b.length]!;
}

/** Prints a failure on stderr as `error: <message>` and gives the exit status. */
export function reportFailure(error: unknown, write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): ExitCode {
  const failure = failureOf(error);
  if (failure.message) write(`error: ${failure.message}`);
  return failure.exitCode;
}
