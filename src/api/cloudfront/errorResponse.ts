import type { CloudFrontError } from "../../service/errors.js";
import { escapeXml, xmlDocument } from "./xml.js";

/** `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`, as CloudFront sends it. */
export function errorResponseXml(error: CloudFrontError, requestId: string): string {
  return xmlDocument(
    "ErrorResponse",
    `<Error><Type>${error.type}</Type><Code>${error.code}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
      `<RequestId>${requestId}</RequestId>`,
  );
}
