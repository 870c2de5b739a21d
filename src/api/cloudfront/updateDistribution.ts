import { distributionConfigOf, distributionIdFromPath } from "./distributionRequest.js";
import { ifMatchHeader } from "../ifMatch.js";
import { distributionFields } from "./shapes.js";
import { xmlDocument } from "../xmlWriter.js";
import { xmlReply, type Operation } from "../operation.js";

export const updateDistribution: Operation = {
  name: "UpdateDistribution",
  method: "PUT",
  path: "/2020-05-31/distribution/{Id}/config",
  async handle(request, { distributions }) {
    const { config, asSent } = distributionConfigOf(request);
    const view = await distributions.update(distributionIdFromPath(request.params), ifMatchHeader(request.headers), config, asSent);
    return xmlReply(200, xmlDocument("Distribution", distributionFields(view)), { ETag: view.etag });
  },
};
