import { getOwn } from "../../nullPrototype.js";
import { CloudFrontError } from "../../service/errors.js";
import { parseTags, struct } from "./requestFields.js";
import { parseRequestXml } from "../xml.js";
import { el, xmlDocument } from "../xmlWriter.js";
import { xmlReply, type ApiRequest, type Operation } from "../operation.js";
import { missingMemberMessage } from "../../service/validation.js";

/** The `Resource` query parameter (an ARN) every tagging operation requires. */
function resourceOf(request: ApiRequest): string {
  const resource = request.query.get("Resource");
  if (!resource) throw new CloudFrontError("InvalidArgument", missingMemberMessage("resource"));
  return resource;
}

export const listTagsForResource: Operation = {
  name: "ListTagsForResource",
  method: "GET",
  path: "/2020-05-31/tagging",
  async handle(request, { tagging }) {
    const tags = await tagging.list(resourceOf(request));
    return xmlReply(200, xmlDocument("Tags", [tags.length > 0 && el("Items", tags.map((tag) => el("Tag", [el("Key", tag.key), el("Value", tag.value)])))]));
  },
};

/** TagResource (`?Operation=Tag`) and UntagResource (`?Operation=Untag`) share one path and method. */
export const tagOrUntagResource: Operation = {
  name: "TagResource",
  method: "POST",
  path: "/2020-05-31/tagging",
  async handle(request, { tagging }) {
    const operation = request.query.get("Operation");
    const resource = resourceOf(request);
    if (operation === "Tag") {
      const tags = parseTags({ Tags: parseRequestXml(request.body, "Tags") });
      await tagging.tag(resource, tags);
      return { status: 204 };
    }
    if (operation === "Untag") {
      const root = parseRequestXml(request.body, "TagKeys");
      const keys = Object.keys(root).length === 0 ? [] : collectKeys(root);
      await tagging.untag(resource, keys);
      return { status: 204 };
    }
    throw new CloudFrontError("InvalidArgument", `Operation must be Tag or Untag; got ${JSON.stringify(operation)}.`);
  },
};

function collectKeys(root: ReturnType<typeof parseRequestXml>): string[] {
  const items = struct(root, "Items");
  if (!items) return [];
  const keys = getOwn(items, "Key");
  if (keys === undefined) return [];
  return (Array.isArray(keys) ? keys : [keys]).map((key) => {
    if (typeof key !== "string") throw new CloudFrontError("MalformedXML", "The XML document you provided did not validate against our published schema: <Key> must contain text.");
    return key;
  });
}
