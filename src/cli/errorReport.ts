import { codeFrame, formatLocation, type SourceLocation } from "../runtime/sourceLocation.js";
import { printable } from "./format.js";

/**
 * A function's error as edgelite's commands print it: `file:line:column: error` (the form editors and
 * terminals turn into a link) and the code frame under it; just the error when no position is known. The
 * error text is the code's (or the viewer's, through the code): printed with control characters escaped.
 */
export function errorReport(file: string, code: string, errorText: string, location: SourceLocation | undefined): string {
  if (!location) return printable(errorText);
  return `${formatLocation(file, location)}: ${printable(errorText)}\n${codeFrame(code, location)}`;
}
