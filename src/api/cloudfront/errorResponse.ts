import type { CloudFrontError } from "../../service/errors.js";
import { el, xmlDocument } from "../xmlWriter.js";

/** `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`, as CloudFront sends it. */
export function errorResponseXml(error: CloudFrontError, requestId: string): string {
  return xmlDocument("ErrorResponse", [el("Error", [el("Type", error.type), el("Code", error.code), el("Message", error.message)]), el("RequestId", requestId)]);
}
