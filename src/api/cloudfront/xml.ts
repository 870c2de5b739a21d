import { XMLParser, XMLValidator } from "fast-xml-parser";
import { CloudFrontError } from "../../service/errors.js";

export const XML_NAMESPACE = "http://cloudfront.amazonaws.com/doc/2020-05-31/";
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** A parsed element: text for leaves, an object of children (repeated names become arrays) otherwise. */
export type XmlNode = string | { [name: string]: XmlNode | XmlNode[] };

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  // Keep text exactly as sent (a Comment may start or end with spaces); layout whitespace between
  // elements is dropped in `clean`.
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

const MALFORMED_XML_MESSAGE = "The XML document you provided was not well-formed or did not validate against our published schema.";

/** Parses a request body whose root must be `rootName`; anything else is MalformedXML. */
export function parseRequestXml(body: Buffer, rootName: string): Record<string, XmlNode | XmlNode[]> {
  const text = body.toString("utf8");
  if (text.trim() === "") throw new CloudFrontError("MalformedXML", `${MALFORMED_XML_MESSAGE} The request body is empty; expected <${rootName}>.`);
  // No DTDs: entity definitions are an expansion-bomb vector and no AWS client sends one.
  if (/<!DOCTYPE/i.test(text)) throw new CloudFrontError("MalformedXML", `${MALFORMED_XML_MESSAGE} DOCTYPE declarations are not allowed.`);
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new CloudFrontError("MalformedXML", `${MALFORMED_XML_MESSAGE} ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
  }
  const document = clean(parser.parse(text) as XmlNode);
  const roots = typeof document === "string" ? [] : Object.keys(document);
  if (roots.length !== 1 || roots[0] !== rootName) {
    throw new CloudFrontError("MalformedXML", `${MALFORMED_XML_MESSAGE} Expected the root element <${rootName}>, got ${roots.map((r) => `<${r}>`).join(", ") || "none"}.`);
  }
  const root = (document as Record<string, XmlNode | XmlNode[]>)[rootName];
  if (Array.isArray(root)) throw new CloudFrontError("MalformedXML", MALFORMED_XML_MESSAGE);
  return typeof root === "string" ? {} : root!;
}

function clean(node: XmlNode): XmlNode {
  if (typeof node === "string") return node;
  const out: Record<string, XmlNode | XmlNode[]> = {};
  const names = Object.keys(node).filter((name) => name !== "#text");
  if (names.length === 0) return typeof node["#text"] === "string" ? node["#text"] : "";
  for (const name of names) {
    const value = node[name]!;
    out[name] = Array.isArray(value) ? value.map(clean) : clean(value);
  }
  return out;
}

export function escapeXml(text: string): string {
  return /[&<>"\r]/.test(text)
    ? text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/\r/g, "&#13;")
    : text;
}

/** `<name>escaped text</name>` */
export function textElement(name: string, text: string): string {
  return `<${name}>${escapeXml(text)}</${name}>`;
}

/** A full response document whose root carries CloudFront's namespace. */
export function xmlDocument(rootName: string, inner: string): string {
  return `${XML_DECLARATION}<${rootName} xmlns="${XML_NAMESPACE}">${inner}</${rootName}>`;
}
