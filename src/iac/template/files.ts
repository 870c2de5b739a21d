import { readFileSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { IacError } from "../types.js";

/** IacError.code of a file or folder that is not there or cannot be read (the CLI's "no input" status). */
export const MISSING_INPUT = "MissingInput";

/** Reads a text file of at most `maxBytes`, or throws an IacError saying which file and why. */
export function readBoundedText(path: string, maxBytes: number, what: string): string {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (stats === undefined) throw new IacError(`${what} ${path} does not exist.`, undefined, MISSING_INPUT);
  if (!stats.isFile()) throw new IacError(`${what} ${path} is not a regular file.`, undefined, MISSING_INPUT);
  if (stats.size > maxBytes) throw new IacError(`${what} ${path} is ${stats.size} bytes; edgelite reads at most ${maxBytes}.`);
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new IacError(`cannot read ${what} ${path}: ${error instanceof Error ? error.message : String(error)}.`, undefined, MISSING_INPUT);
  }
}

/**
 * `name` (from a manifest) inside `folder`, or undefined when it would leave it: an absolute name, `..`,
 * or a symbolic link (of the name or of a folder on its way) pointing outside. A name that does not exist
 * yet is judged by its path alone.
 */
export function containedPath(folder: string, name: string): string | undefined {
  if (name === "" || isAbsolute(name) || name.includes("\0")) return undefined;
  const path = resolve(folder, name);
  if (!inside(folder, path)) return undefined;
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return path;
  }
  return inside(realpathSync(folder), real) ? path : undefined;
}

function inside(folder: string, path: string): boolean {
  const rest = relative(folder, path);
  return rest !== "" && !rest.startsWith(`..${sep}`) && rest !== ".." && !isAbsolute(rest);
}
