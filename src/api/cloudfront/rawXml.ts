import { SaxesParser } from "saxes";

/**
 * Raw XML slices, for documents edgelite stores whole and returns unchanged (a DistributionConfig):
 * the root's inner XML exactly as sent, and a document's top-level child elements as text. The input has
 * already been checked for well-formedness by parseRequestXml.
 */

/** The text between the root element's start and end tags. */
export function rootInnerXml(text: string): string {
  const parser = new SaxesParser();
  let depth = 0;
  let innerStart = 0;
  let innerEnd = 0;
  parser.on("opentag", () => {
    depth++;
    if (depth === 1) innerStart = parser.position;
  });
  parser.on("closetag", (tag) => {
    if (depth === 1) innerEnd = tag.isSelfClosing ? innerStart : parser.position - (tag.name.length + 3);
    depth--;
  });
  parser.write(text).close();
  return text.slice(innerStart, innerEnd);
}

/** The top-level elements of an inner-XML fragment, by local name, as raw text. */
export function childElements(inner: string): Map<string, string> {
  const wrapped = `<r>${inner}</r>`;
  const parser = new SaxesParser();
  const children = new Map<string, string>();
  let depth = 0;
  let start = 0;
  parser.on("opentagstart", (tag) => {
    depth++;
    // Fired once the name and the character after it are read.
    if (depth === 2) start = parser.position - tag.name.length - 2;
  });
  parser.on("closetag", (tag) => {
    if (depth === 2) {
      const name = tag.name.includes(":") ? tag.name.slice(tag.name.indexOf(":") + 1) : tag.name;
      children.set(name, wrapped.slice(start, parser.position));
    }
    depth--;
  });
  parser.write(wrapped).close();
  return children;
}
