/** CloudFront's XML wire format; shared with the services that store XML documents (src/api/xml.ts). */
export * from "../xml.js";
