/** XML parsing for CloudFront's REST-XML request bodies (writing: xmlWriter.ts). */
import { SaxesParser } from "saxes";
import { emptyRecord, getOwn, setOwn } from "../nullPrototype.js";
import { CloudFrontError } from "../service/errors.js";

/**
 * A parsed element: text for leaves, an object of children (repeated names become arrays) otherwise.
 * Element names are the sender's: the objects are null-prototype records (src/nullPrototype.ts).
 */
export type XmlNode = string | { [name: string]: XmlNode | XmlNode[] };
type XmlObject = { [name: string]: XmlNode | XmlNode[] };

const MALFORMED_XML_MESSAGE = "The XML document you provided was not well-formed or did not validate against our published schema.";

interface OpenElement {
  name: string;
  children: XmlObject | undefined;
  text: string;
}

/**
 * Parses a request body whose root must be `rootName`; anything else is MalformedXML. saxes checks
 * well-formedness strictly and decodes entities and character references (the JS SDK sends `&#x0A;`
 * for newlines). Text is kept exactly as sent (a Comment may start or end with spaces); whitespace
 * between elements is layout and dropped.
 */
export function parseRequestXml(body: Buffer, rootName: string): XmlObject {
  const text = body.toString("utf8");
  if (text.trim() === "") throw malformed(`The request body is empty; expected <${rootName}>.`);
  const parser = new SaxesParser();
  const stack: OpenElement[] = [];
  let root: OpenElement | undefined;
  let result: XmlNode | undefined;
  parser.on("doctype", () => {
    // No DTDs: entity definitions are an expansion-bomb vector and no AWS client sends one.
    throw malformed("DOCTYPE declarations are not allowed.");
  });
  parser.on("opentag", (tag) => {
    const element: OpenElement = { name: localName(tag.name), children: undefined, text: "" };
    const parent = stack[stack.length - 1];
    if (parent) parent.children ??= emptyRecord();
    else root = element;
    stack.push(element);
  });
  const onText = (chunk: string) => {
    const current = stack[stack.length - 1];
    if (current) current.text += chunk;
  };
  parser.on("text", onText);
  parser.on("cdata", onText);
  parser.on("closetag", () => {
    const element = stack.pop()!;
    let value: XmlNode;
    if (element.children) {
      if (element.text.trim() !== "") throw malformed(`<${element.name}> mixes text with elements.`);
      value = element.children;
    } else {
      value = element.text;
    }
    const parent = stack[stack.length - 1];
    if (!parent) {
      result = value;
      return;
    }
    const siblings = parent.children!;
    const existing = getOwn(siblings, element.name);
    if (existing === undefined) setOwn(siblings, element.name, value);
    else if (Array.isArray(existing)) existing.push(value);
    else setOwn(siblings, element.name, [existing, value]);
  });
  try {
    parser.write(text).close();
  } catch (error) {
    if (error instanceof CloudFrontError) throw error;
    throw malformed((error as Error).message.replace(/^(?:undefined:)?(\d+):(\d+): /, "Line $1, column $2: "));
  }
  if (!root || root.name !== rootName) {
    throw malformed(`Expected the root element <${rootName}>, got ${root ? `<${root.name}>` : "none"}.`);
  }
  return typeof result === "string" || result === undefined ? emptyRecord() : result;
}

function localName(qualified: string): string {
  const colon = qualified.indexOf(":");
  return colon === -1 ? qualified : qualified.slice(colon + 1);
}

function malformed(detail: string): CloudFrontError {
  return new CloudFrontError("MalformedXML", `${MALFORMED_XML_MESSAGE} ${detail}`);
}
