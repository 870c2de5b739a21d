import { parseMaxItems } from "./requestFields.js";
import { el, xmlDocument } from "../xmlWriter.js";
import { distributionSummary } from "./shapes.js";
import { xmlReply, type Operation } from "../operation.js";

export const listDistributions: Operation = {
  name: "ListDistributions",
  method: "GET",
  path: "/2020-05-31/distribution",
  async handle(request, { distributions }) {
    const marker = request.query.get("Marker") ?? "";
    const page = await distributions.list({ marker: marker || undefined, maxItems: parseMaxItems(request.query.get("MaxItems")) });
    return xmlReply(
      200,
      xmlDocument("DistributionList", [
        el("Marker", marker),
        page.nextMarker ? el("NextMarker", page.nextMarker) : undefined,
        el("MaxItems", page.maxItems),
        el("IsTruncated", Boolean(page.nextMarker)),
        el("Quantity", page.items.length),
        page.items.length > 0 && el("Items", page.items.map(distributionSummary)),
      ]),
    );
  },
};
