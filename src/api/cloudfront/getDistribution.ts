import { distributionIdFromPath } from "./distributionRequest.js";
import { distributionFields } from "./shapes.js";
import { xmlDocument } from "../xmlWriter.js";
import { xmlReply, type Operation } from "../operation.js";

export const getDistribution: Operation = {
  name: "GetDistribution",
  method: "GET",
  path: "/2020-05-31/distribution/{Id}",
  async handle(request, { distributions }) {
    const view = await distributions.get(distributionIdFromPath(request.params));
    return xmlReply(200, xmlDocument("Distribution", distributionFields(view)), { ETag: view.etag });
  },
};
