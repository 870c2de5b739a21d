import { MAX_TAGS_PER_RESOURCE } from "../limits.js";
import type { Tag } from "../store/types.js";
import type { DistributionService } from "./distributions.js";
import { CloudFrontError } from "./errors.js";
import type { FunctionService } from "./functions.js";
import type { KeyValueStoreService } from "./keyValueStores.js";

/**
 * ListTagsForResource, TagResource and UntagResource for the resources edgelite tags, addressed by ARN:
 * distributions (the Developer Guide's "Tag a CloudFront resource": "You can tag distributions, but you can't
 * tag origin access identities or invalidations"), functions and key value stores (their Create operations
 * take Tags). Policies and origin access controls have no Tags in the model and are not tagged. Tagging does
 * not change a resource's ETag.
 */
export class TaggingService {
  constructor(
    private readonly functions: FunctionService,
    private readonly keyValueStores: KeyValueStoreService,
    private readonly distributions: DistributionService,
  ) {}

  async list(arn: string): Promise<readonly Tag[]> {
    const functionTags = await this.functions.tagsOf(arn);
    if (functionTags) return functionTags;
    const store = await this.keyValueStores.findByArn(arn);
    if (store) return store.tags;
    const distributionTags = await this.distributions.tagsOf(arn);
    if (distributionTags) return distributionTags;
    throw noSuchResource(arn);
  }

  async tag(arn: string, tags: Tag[]): Promise<void> {
    await this.change(arn, (current) => {
      const merged = new Map(current.map((tag) => [tag.key, tag]));
      for (const tag of tags) merged.set(tag.key, tag);
      checkTagCount(merged.size);
      return [...merged.values()];
    });
  }

  async untag(arn: string, keys: string[]): Promise<void> {
    const remove = new Set(keys);
    await this.change(arn, (current) => current.filter((tag) => !remove.has(tag.key)));
  }

  private async change(arn: string, change: (tags: readonly Tag[]) => Tag[]): Promise<void> {
    if (await this.functions.setTags(arn, change)) return;
    if (await this.keyValueStores.setTags(arn, change)) return;
    if (await this.distributions.setTags(arn, change)) return;
    throw noSuchResource(arn);
  }
}

/** A resource may carry at most 50 tags (the Developer Guide's "General quotas"): InvalidTagging beyond. */
export function checkTagCount(count: number): void {
  if (count > MAX_TAGS_PER_RESOURCE) {
    throw new CloudFrontError("InvalidTagging", `A resource can have at most ${MAX_TAGS_PER_RESOURCE} tags; this would give it ${count}.`);
  }
}

/** Resource kinds CloudFront has ARNs for but does not tag (the model gives them no Tags). */
const UNTAGGED_KINDS = new Map([
  ["cache-policy", "cache policies"],
  ["origin-request-policy", "origin request policies"],
  ["response-headers-policy", "response headers policies"],
  ["origin-access-control", "origin access controls"],
]);

function noSuchResource(arn: string): CloudFrontError {
  const kind = UNTAGGED_KINDS.get(/^arn:aws(?:-cn)?:cloudfront::[0-9]+:([a-z-]+)\//.exec(arn)?.[1] ?? "");
  const shown = arn.length > 256 ? `${arn.slice(0, 256)}…` : arn;
  if (kind) {
    return new CloudFrontError("NoSuchResource", `The specified CloudFront resource can't be tagged: ${shown}. CloudFront tags distributions, functions and key value stores, not ${kind}.`);
  }
  return new CloudFrontError("NoSuchResource", `The specified CloudFront resource can't be found: ${shown}`);
}
