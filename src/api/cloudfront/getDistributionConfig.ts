import { distributionIdFromPath } from "./distributionRequest.js";
import { TrustedXml, xmlDocument } from "../xmlWriter.js";
import { xmlReply, type Operation } from "../operation.js";

export const getDistributionConfig: Operation = {
  name: "GetDistributionConfig",
  method: "GET",
  path: "/2020-05-31/distribution/{Id}/config",
  async handle(request, { distributions }) {
    const view = await distributions.get(distributionIdFromPath(request.params));
    return xmlReply(200, xmlDocument("DistributionConfig", [new TrustedXml(view.configAsSent)]), { ETag: view.etag });
  },
};
