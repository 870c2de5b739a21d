import { parseMaxItems } from "./requestFields.js";
import { xmlDocument } from "../xmlWriter.js";
import { distributionSummary, markedListPage } from "./shapes.js";
import { xmlReply, type Operation } from "../operation.js";

export const listDistributions: Operation = {
  name: "ListDistributions",
  method: "GET",
  path: "/2020-05-31/distribution",
  async handle(request, { distributions }) {
    const marker = request.query.get("Marker") ?? "";
    const page = await distributions.list({ marker: marker || undefined, maxItems: parseMaxItems(request.query.get("MaxItems")) });
    return xmlReply(200, xmlDocument("DistributionList", markedListPage(marker, page, distributionSummary)));
  },
};
