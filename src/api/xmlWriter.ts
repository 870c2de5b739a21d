import { escapeXml } from "../xmlEscape.js";

/**
 * The one way edgelite writes CloudFront's XML: replies are trees of `el()` elements, and `writeXml`
 * escapes every text value on the way out, so no value reaches the wire unescaped.
 */

const XML_NAMESPACE = "http://cloudfront.amazonaws.com/doc/2020-05-31/";
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** A leaf's value: written as text (dates in ISO 8601, as CloudFront's timestamps are). */
export type XmlText = string | number | boolean | Date;

/**
 * Markup that is already XML, written as is: only for a document edgelite parsed itself and kept (a
 * DistributionConfig as sent, and slices of it), never for a value.
 */
export class TrustedXml {
  constructor(readonly xml: string) {}
}

export interface XmlElement {
  readonly name: string;
  readonly content: XmlText | readonly XmlChild[] | TrustedXml;
}

/** A child in a list; undefined (or false) is an absent optional member and writes nothing. */
export type XmlChild = XmlElement | TrustedXml | undefined | false;

/** An element; an undefined value is an absent member (no element). */
export function el(name: string, content: XmlText | readonly XmlChild[] | TrustedXml): XmlElement;
export function el(name: string, content: XmlText | readonly XmlChild[] | TrustedXml | undefined): XmlElement | undefined;
export function el(name: string, content: XmlText | readonly XmlChild[] | TrustedXml | undefined): XmlElement | undefined {
  return content === undefined ? undefined : { name, content };
}

function contentXml(content: XmlElement["content"]): string {
  if (content instanceof TrustedXml) return content.xml;
  if (content instanceof Date) return content.toISOString();
  if (Array.isArray(content)) return writeXml(content);
  return escapeXml(String(content as string | number | boolean));
}

/** The elements in order, every text escaped. */
export function writeXml(children: readonly XmlChild[]): string {
  let xml = "";
  for (const child of children) {
    if (child instanceof TrustedXml) xml += child.xml;
    else if (child) xml += `<${child.name}>${contentXml(child.content)}</${child.name}>`;
  }
  return xml;
}

/** A whole reply document whose root carries CloudFront's namespace. */
export function xmlDocument(rootName: string, children: readonly XmlChild[]): string {
  const inner = writeXml(children);
  return `${XML_DECLARATION}<${rootName} xmlns="${XML_NAMESPACE}">${inner}</${rootName}>`;
}
