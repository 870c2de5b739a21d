/** CloudFront's XML wire format; shared with the services that store XML documents (src/xml.ts). */
export * from "../../xml.js";
