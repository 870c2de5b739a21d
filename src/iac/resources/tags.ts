import { ListTagsForResourceCommand, TagResourceCommand, UntagResourceCommand, type Tag } from "@aws-sdk/client-cloudfront";
import type { ApplyContext } from "../types.js";
import { callCloudFront, type ResourceAt } from "./call.js";

/**
 * Makes a resource's tags the template's (and the edgelite:up tag): on an update or an adoption, where the
 * Create call's Tags do not apply. A tag the template no longer has is removed, as CloudFormation does.
 */
export async function syncTags(context: ApplyContext, where: ResourceAt, arn: string, tags: readonly Tag[]): Promise<void> {
  const current = await callCloudFront(where, `ListTagsForResource ${arn}`, () => context.cloudfront.send(new ListTagsForResourceCommand({ Resource: arn })));
  const wanted = new Set(tags.map((tag) => tag.Key));
  const stale = (current.Tags?.Items ?? []).map((tag) => tag.Key!).filter((key) => !wanted.has(key));
  if (stale.length > 0) {
    await callCloudFront(where, `UntagResource ${arn}`, () => context.cloudfront.send(new UntagResourceCommand({ Resource: arn, TagKeys: { Items: stale } })));
  }
  await callCloudFront(where, `TagResource ${arn}`, () => context.cloudfront.send(new TagResourceCommand({ Resource: arn, Tags: { Items: [...tags] } })));
}
