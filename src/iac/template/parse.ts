import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode, type Tags } from "yaml";
import { emptyRecord, setOwn } from "../../nullPrototype.js";
import { IacError, type TemplateObject, type TemplateValue } from "../types.js";
import { MAX_NESTING_DEPTH, MAX_YAML_NODES } from "./limits.js";
import { YAML_SHORT_FORMS } from "./names.js";
import { isTemplateObject } from "./values.js";

/**
 * Reads a template (JSON or YAML) into TemplateValues: objects without a prototype (keys are the author's),
 * YAML short forms (`!Ref X`, `!GetAtt A.B`, `!Sub …`) in their long form, nesting and YAML alias expansion
 * bounded. `file` names the template in messages.
 */
export function parseTemplateText(text: string, file: string): TemplateObject {
  const value = looksLikeJson(text) ? jsonOrFlowYaml(text, file) : parseYaml(text, file);
  if (!isTemplateObject(value)) throw new IacError(`${file}: a template is an object with a Resources section; this file holds ${value === null ? "nothing" : Array.isArray(value) ? "a list" : `a ${typeof value}`}.`);
  return value;
}

/** JSON is YAML too, but JSON.parse is faster and its messages name the offset; a template in JSON starts with `{`. */
function looksLikeJson(text: string): boolean {
  return /^\s*\{/.test(text.replace(/^\uFEFF/, ""));
}

/** A `.json` file is JSON; another that starts with `{` may be YAML in flow style (`{Resources: {…}}`). */
function jsonOrFlowYaml(text: string, file: string): TemplateValue {
  try {
    return parseJson(text, file);
  } catch (error) {
    if (file.toLowerCase().endsWith(".json") || !(error instanceof IacError) || !error.message.includes("is not valid JSON")) throw error;
    return parseYaml(text, file);
  }
}

/** Reads JSON with JSON.parse, then copies it into prototype-less objects, refusing deep nesting. */
export function parseJson(text: string, file: string): TemplateValue {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new IacError(`${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}.`);
  }
  return fromJson(parsed, file, 0);
}

function fromJson(value: unknown, file: string, depth: number): TemplateValue {
  if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (depth >= MAX_NESTING_DEPTH) throw tooDeep(file);
  if (Array.isArray(value)) return value.map((item) => fromJson(item, file, depth + 1));
  const record = emptyRecord<TemplateValue>();
  // JSON.parse makes `__proto__` an own data property, so Object.entries sees it like any other key.
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) setOwn(record, key, fromJson(item, file, depth + 1));
  return record;
}

const SHORT_FORM_NAMES = [...YAML_SHORT_FORMS.keys()].map((short) => `!${short}`).join(", ");

/** Every short form as a YAML custom tag, for scalars, sequences and mappings: the node is kept, and converted below. */
const SHORT_FORM_TAGS: Tags = [...YAML_SHORT_FORMS.keys()].flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => value },
  { tag: `!${name}`, collection: "seq" as const, resolve: (value: unknown) => value },
  { tag: `!${name}`, collection: "map" as const, resolve: (value: unknown) => value },
]) as Tags;

/** Reads YAML 1.2 (core schema: `2010-09-09` stays a string) with CloudFormation's short forms. */
export function parseYaml(text: string, file: string): TemplateValue {
  let document: Document.Parsed;
  try {
    document = parseDocument(text, { version: "1.2", schema: "core", customTags: SHORT_FORM_TAGS, uniqueKeys: true, prettyErrors: true, strict: true });
  } catch (error) {
    // The YAML parser recurses on nested flow collections: a hostile `[[[[…` overflows the stack.
    if (error instanceof RangeError) throw tooDeep(file);
    throw error;
  }
  const [problem] = [...document.errors, ...document.warnings];
  if (problem?.code === "TAG_RESOLVE_FAILED") throw new IacError(`${file}: ${problem.message.trim()}\nCloudFormation's short forms are ${SHORT_FORM_NAMES}.`);
  if (problem) throw new IacError(`${file} is not valid YAML: ${problem.message.trim()}`);
  const reader = new YamlReader(document, file);
  return reader.read(document.contents, 0);
}

class YamlReader {
  private nodes = 0;
  /** Alias.resolve searches the whole document for its anchor: once per alias node, not once per expansion. */
  private readonly aliases = new Map<unknown, unknown>();

  constructor(
    private readonly document: Document.Parsed,
    private readonly file: string,
  ) {}

  read(node: unknown, depth: number): TemplateValue {
    if (++this.nodes > MAX_YAML_NODES) throw new IacError(`${this.file}: the YAML expands to more than ${MAX_YAML_NODES} values (aliases of aliases?); refusing to read it.`);
    if (depth >= MAX_NESTING_DEPTH) throw tooDeep(this.file);
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      if (!this.aliases.has(node)) this.aliases.set(node, node.resolve(this.document));
      return this.read(this.aliases.get(node), depth + 1);
    }
    const tag = (node as YamlNode).tag;
    const value = this.plain(node, depth);
    if (tag === undefined || !tag.startsWith("!") || tag.startsWith("!!")) return value;
    return this.longForm(tag.slice(1), value);
  }

  private plain(node: unknown, depth: number): TemplateValue {
    if (isScalar(node)) return scalarValue(node.value, this.file);
    if (isSeq(node)) return node.items.map((item) => this.read(item, depth + 1));
    if (isMap(node)) {
      const record = emptyRecord<TemplateValue>();
      for (const pair of node.items) {
        const key = this.read(pair.key, depth + 1);
        if (typeof key !== "string" && typeof key !== "number" && typeof key !== "boolean") throw new IacError(`${this.file}: a YAML key must be a plain value, not ${key === null ? "null" : "an object or a list"}.`);
        setOwn(record, String(key), this.read(pair.value, depth + 1));
      }
      return record;
    }
    throw new IacError(`${this.file}: a YAML node edgelite does not read (${String(node)}).`);
  }

  /** `!GetAtt A.B` is `{"Fn::GetAtt": ["A", "B"]}` (the logical id has no dot; the attribute may: `FunctionMetadata.FunctionARN`). */
  private longForm(shortName: string, value: TemplateValue): TemplateObject {
    const name = YAML_SHORT_FORMS.get(shortName);
    if (name === undefined) throw new IacError(`${this.file}: unknown YAML tag !${shortName}; CloudFormation's short forms are ${SHORT_FORM_NAMES}.`);
    const record = emptyRecord<TemplateValue>();
    if (name === "Fn::GetAtt" && typeof value === "string") {
      const dot = value.indexOf(".");
      if (dot <= 0 || dot === value.length - 1) throw new IacError(`${this.file}: !GetAtt ${value} must be LogicalId.Attribute.`);
      setOwn(record, name, [value.slice(0, dot), value.slice(dot + 1)]);
      return record;
    }
    setOwn(record, name, value);
    return record;
  }
}

function scalarValue(value: unknown, file: string): TemplateValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return value;
  // The core schema reads .inf and .nan as numbers; bigint only with intAsBigInt, which is off.
  throw new IacError(`${file}: a YAML value edgelite does not read (${typeof value}).`);
}

function tooDeep(file: string): IacError {
  return new IacError(`${file}: values nested more than ${MAX_NESTING_DEPTH} deep; refusing to read it.`);
}
