import { readFileSync, writeFileSync } from "node:fs";
import { getOwn } from "../../nullPrototype.js";
import { IacError, type TemplateObject, type TemplateValue } from "../types.js";

/**
 * SourceMarkers: CDK's Source.data and Source.jsonData put tokens (`<<marker:0xbaba:0>>`) in a file where a
 * deploy-time value goes; the BucketDeployment handler replaces each marker by its value in every file of
 * that source, encoded as SourceMarkersConfig says (aws-cdk-lib, custom-resource-handlers
 * aws-s3-deployment/bucket-deployment-handler/index.py: replace_markers, encode_marker_value).
 */

/** Python's json.dumps with its defaults (ensure_ascii, ", " and ": " separators), as the handler encodes. */
export function pythonJsonDumps(value: TemplateValue): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return JSON.stringify(value);
  if (typeof value === "string") return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(", ")}]`;
  return `{${Object.keys(value).map((key) => `${pythonJsonDumps(key)}: ${pythonJsonDumps(value[key] ?? null)}`).join(", ")}}`;
}

/** CloudFormation hands a custom resource its properties with scalars as strings. */
export function stringified(value: TemplateValue): TemplateValue {
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.map(stringified);
  if (value !== null && typeof value === "object") {
    const out = Object.create(null) as TemplateObject;
    for (const key of Object.keys(value)) out[key] = stringified(value[key] ?? null);
    return out;
  }
  return value;
}

const SAFE_PLAIN_YAML = /^[A-Za-z][A-Za-z0-9._-]*$/;
const YAML_RESERVED = new Set(["y", "n", "yes", "no", "true", "false", "on", "off", "null"]);

/** encode_marker_value: LITERAL, UNQUOTED_JSON_VALUE, JSON_VALUE or YAML_STRING. */
export function encodeMarkerValue(marker: string, value: TemplateValue, config: TemplateObject, what: string): string {
  const jsonEscape = String(getOwn(config, "jsonEscape") ?? "false").toLowerCase() === "true";
  const encodings = getOwn(config, "markerEncodings");
  const chosen = encodings !== null && typeof encodings === "object" && !Array.isArray(encodings) ? getOwn(encodings, marker) : undefined;
  const encoding = typeof chosen === "string" ? chosen : jsonEscape ? "UNQUOTED_JSON_VALUE" : "LITERAL";
  switch (encoding) {
    case "LITERAL":
      if (typeof value !== "string") throw new IacError(`${what}: expected a string for LITERAL encoding for marker ${marker}`);
      return value;
    case "UNQUOTED_JSON_VALUE": {
      const serialized = pythonJsonDumps(value);
      return serialized.startsWith('"') && serialized.endsWith('"') ? serialized.slice(1, -1) : serialized;
    }
    case "JSON_VALUE":
      return pythonJsonDumps(value);
    case "YAML_STRING":
      if (typeof value !== "string") throw new IacError(`${what}: expected a string for YAML_STRING encoding for marker ${marker}`);
      return SAFE_PLAIN_YAML.test(value) && !YAML_RESERVED.has(value.toLowerCase()) ? value : pythonJsonDumps(value);
    default:
      throw new IacError(`${what}: unknown marker encoding ${JSON.stringify(encoding)} for marker ${marker}`);
  }
}

/** Every occurrence of `token` in `bytes` replaced by `replacement`. */
function replaceAll(bytes: Uint8Array, token: Buffer, replacement: Buffer): Uint8Array {
  if (token.length === 0) return bytes;
  const parts: Uint8Array[] = [];
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let from = 0;
  for (let at = buffer.indexOf(token, from); at !== -1; at = buffer.indexOf(token, from)) {
    parts.push(bytes.subarray(from, at), replacement);
    from = at + token.length;
  }
  if (from === 0) return bytes;
  parts.push(bytes.subarray(from));
  return Buffer.concat(parts);
}

/** The markers of one source as byte replacements, in the order the template lists them. */
export function markerReplacements(markers: TemplateObject, config: TemplateObject, what: string): Array<[Buffer, Buffer]> {
  return Object.keys(markers).map((marker) => [Buffer.from(marker), Buffer.from(encodeMarkerValue(marker, markers[marker] ?? null, config, what))]);
}

/** Replaces the markers in one file (the handler's replace_markers; it goes line by line, markers hold no newline). */
export function replaceMarkersInFile(path: string, replacements: ReadonlyArray<[Buffer, Buffer]>): void {
  if (replacements.length === 0) return;
  const before = readFileSync(path);
  let bytes: Uint8Array = before;
  for (const [token, replacement] of replacements) bytes = replaceAll(bytes, token, replacement);
  if (bytes !== before) writeFileSync(path, bytes);
}
