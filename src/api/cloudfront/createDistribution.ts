import { distributionConfigOf } from "./distributionRequest.js";
import { readDistributionConfig } from "./distributionConfigXml.js";
import { childElements, rootInnerXml } from "./rawXml.js";
import { parseTags, struct } from "./requestFields.js";
import { distributionFields } from "./shapes.js";
import { CloudFrontError } from "../../service/errors.js";
import type { DistributionView } from "../../service/distributions.js";
import { checkTagCount } from "../../service/tagging.js";
import { missingMemberMessage } from "../../service/validation.js";
import { parseRequestXml } from "../xml.js";
import { xmlDocument } from "../xmlWriter.js";
import { xmlReply, type ApiReply, type ApiRequest, type ApiServices, type Operation } from "../operation.js";

/**
 * CreateDistribution (`POST /2020-05-31/distribution`) and CreateDistributionWithTags (the same path with
 * `?WithTags`: a `<DistributionConfigWithTags>` holding the `<DistributionConfig>` and its `<Tags>`).
 */
export const createDistribution: Operation = {
  name: "CreateDistribution",
  method: "POST",
  path: "/2020-05-31/distribution",
  async handle(request, { distributions }) {
    if (request.query.has("WithTags")) return created(await createWithTags(request, distributions));
    const { config, asSent } = distributionConfigOf(request);
    return created(await distributions.create(config, asSent));
  },
};

async function createWithTags(request: ApiRequest, distributions: ApiServices["distributions"]): Promise<DistributionView> {
  const root = parseRequestXml(request.body, "DistributionConfigWithTags");
  const configNode = struct(root, "DistributionConfig");
  if (!configNode) throw new CloudFrontError("MalformedXML", missingMemberMessage("distributionConfigWithTags.distributionConfig"));
  if (!struct(root, "Tags")) throw new CloudFrontError("MalformedXML", missingMemberMessage("distributionConfigWithTags.tags"));
  const tags = parseTags(root);
  checkTagCount(tags.length);
  const config = readDistributionConfig(configNode);
  // The config as sent: the inner XML of the <DistributionConfig> child, as CreateDistribution keeps its root's.
  const asSent = rootInnerXml(childElements(rootInnerXml(request.body.toString("utf8"))).get("DistributionConfig") ?? "<DistributionConfig/>");
  return distributions.create(config, asSent, tags);
}

function created(view: DistributionView): ApiReply {
  return xmlReply(201, xmlDocument("Distribution", distributionFields(view)), {
    ETag: view.etag,
    Location: `https://cloudfront.amazonaws.com/2020-05-31/distribution/${view.id}`,
  });
}
