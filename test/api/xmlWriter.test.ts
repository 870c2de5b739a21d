import { GetDistributionConfigCommand } from "@aws-sdk/client-cloudfront";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cannedReplies } from "./cannedReply.js";
import { getOwn } from "../../src/nullPrototype.js";
import { parseRequestXml } from "../../src/api/xml.js";
import { el, TrustedXml, writeXml, xmlDocument } from "../../src/api/xmlWriter.js";

/** What a string becomes on the wire: characters XML 1.0 cannot carry are U+FFFD (src/xmlEscape.ts). */
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const asCarried = (value: string) => value.replace(NOT_XML_CHAR, "\uFFFD");
/**
 * How the SDK reads an element's text: blank text with a line break in it is layout, read as "" — against AWS
 * too (aws-sdk-js-v3, packages/xml-builder/src/xml-parser.ts; @aws-sdk/xml-builder 3.972's AwsXmlParser).
 */
const asSdkReads = (text: string) => (text.trim() === "" && text.includes("\n") ? "" : text);

/** Any string, weighted toward the characters that matter to XML. */
const anyText = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.string({ unit: fc.constantFrom("<", ">", "&", '"', "'", "\r", "\n", "\t", " ", "]]>", "&amp;", "\u0000", "\u001f", "\ud800", "\udc00", "\ufffe", "a", "é", "😀") }),
);

describe("the XML serializer escapes every value", () => {
  let sdk: Awaited<ReturnType<typeof cannedReplies>>;
  beforeAll(async () => {
    sdk = await cannedReplies();
  });
  afterAll(() => sdk.close());

  it("any string value reads back the same through our parser (characters XML cannot carry as U+FFFD)", () => {
    fc.assert(
      fc.property(anyText, anyText, (comment, reference) => {
        const xml = xmlDocument("DistributionConfig", [el("CallerReference", reference), el("Comment", comment)]);
        const root = parseRequestXml(Buffer.from(xml), "DistributionConfig");
        expect(getOwn(root, "Comment") ?? "").toBe(asCarried(comment));
        expect(getOwn(root, "CallerReference") ?? "").toBe(asCarried(reference));
      }),
      { numRuns: 500 },
    );
  });

  it("any string value reads back the same through @aws-sdk/client-cloudfront", async () => {
    await fc.assert(
      fc.asyncProperty(anyText, async (comment) => {
        sdk.reply(xmlDocument("DistributionConfig", [el("CallerReference", "ref"), el("Comment", comment), el("Enabled", true)]));
        const reply = await sdk.client.send(new GetDistributionConfigCommand({ Id: "E1" }));
        expect(reply.DistributionConfig?.Comment ?? "").toBe(asSdkReads(asCarried(comment)));
        expect(reply.DistributionConfig?.Enabled).toBe(true);
      }),
      { numRuns: 150, examples: [["\n"], [" \r\n\t"], ["\r"], [" a\n"]] },
    );
  });

  it("writes numbers, booleans and dates as text, omits absent members, and nests in order", () => {
    expect(writeXml([el("A", 1), el("B", false), el("C", new Date(0)), el("D", undefined), undefined, false, el("E", [el("F", "x&y")])])).toBe(
      "<A>1</A><B>false</B><C>1970-01-01T00:00:00.000Z</C><E><F>x&amp;y</F></E>",
    );
    expect(xmlDocument("R", [el("Empty", "")])).toBe('<?xml version="1.0" encoding="UTF-8"?><R xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Empty></Empty></R>');
  });

  it("writes kept markup as it was, and nothing else unescaped", () => {
    expect(writeXml([el("DistributionConfig", new TrustedXml("<Comment>a &amp; b</Comment>")), el("Comment", "<Comment/>")])).toBe(
      "<DistributionConfig><Comment>a &amp; b</Comment></DistributionConfig><Comment>&lt;Comment/&gt;</Comment>",
    );
  });
});
