import { parseMaxItems } from "./requestFields.js";
import { distributionSummaryXml } from "./shapes.js";
import { textElement, xmlDocument } from "./xml.js";
import { xmlReply, type Operation } from "../operation.js";

export const listDistributions: Operation = {
  name: "ListDistributions",
  method: "GET",
  path: "/2020-05-31/distribution",
  async handle(request, { distributions }) {
    const marker = request.query.get("Marker") ?? "";
    const page = await distributions.list({ marker: marker || undefined, maxItems: parseMaxItems(request.query.get("MaxItems")) });
    let inner = textElement("Marker", marker);
    if (page.nextMarker) inner += textElement("NextMarker", page.nextMarker);
    inner += `<MaxItems>${page.maxItems}</MaxItems><IsTruncated>${page.nextMarker ? "true" : "false"}</IsTruncated><Quantity>${page.items.length}</Quantity>`;
    if (page.items.length > 0) inner += `<Items>${page.items.map(distributionSummaryXml).join("")}</Items>`;
    return xmlReply(200, xmlDocument("DistributionList", inner));
  },
};
