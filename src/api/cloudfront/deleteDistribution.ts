import { distributionIdFromPath } from "./distributionRequest.js";
import { ifMatchHeader } from "../ifMatch.js";
import type { Operation } from "../operation.js";

export const deleteDistribution: Operation = {
  name: "DeleteDistribution",
  method: "DELETE",
  path: "/2020-05-31/distribution/{Id}",
  async handle(request, { distributions }) {
    await distributions.delete(distributionIdFromPath(request.params), ifMatchHeader(request.headers));
    return { status: 204 };
  },
};
