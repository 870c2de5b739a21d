import { distributionConfigOf } from "./distributionRequest.js";
import { distributionFields } from "./shapes.js";
import { xmlDocument } from "../xmlWriter.js";
import { xmlReply, type Operation } from "../operation.js";

export const createDistribution: Operation = {
  name: "CreateDistribution",
  method: "POST",
  path: "/2020-05-31/distribution",
  async handle(request, { distributions }) {
    const { config, asSent } = distributionConfigOf(request);
    const view = await distributions.create(config, asSent);
    return xmlReply(201, xmlDocument("Distribution", distributionFields(view)), {
      ETag: view.etag,
      Location: `https://cloudfront.amazonaws.com/2020-05-31/distribution/${view.id}`,
    });
  },
};
