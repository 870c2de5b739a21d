/** The one escaping point of text written into XML, shared by the API (src/api/xml.ts) and the edge's S3 error bodies. */

/**
 * Characters XML 1.0 cannot carry at all, not even as a character reference (`&#x0;` is not well-formed):
 * C0 controls but tab, LF and CR; U+FFFE and U+FFFF; surrogates that are not part of a pair.
 */
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** What stands in for such a character: Unicode's replacement character, as a UTF-8 encoder writes for a lone surrogate. */
const XML_REPLACEMENT_CHARACTER = "\uFFFD";

/**
 * The one escaping point of every text edgelite writes into XML (element text and attribute values):
 * markup characters become entities, CR a character reference (so it survives end-of-line
 * normalisation), and characters XML 1.0 cannot carry become U+FFFD, so that a reply stays well-formed
 * whatever a request, a function's logs or its error put into it. AWS writes such characters as
 * references like `&#x1;` (S3 does, and strict parsers then refuse the whole reply); edgelite does not.
 */
export function escapeXml(text: string): string {
  const valid = text.replace(NOT_XML_CHAR, XML_REPLACEMENT_CHARACTER);
  return /[&<>"\r]/.test(valid)
    ? valid.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/\r/g, "&#13;")
    : valid;
}
