import { MAX_TAGS_PER_RESOURCE } from "../limits.js";
import type { Tag } from "../store/types.js";
import { CloudFrontError } from "./errors.js";
import type { FunctionService } from "./functions.js";
import type { KeyValueStoreService } from "./keyValueStores.js";

/**
 * ListTagsForResource, TagResource and UntagResource for the resources edgelite has (functions and key
 * value stores), addressed by ARN. Tagging does not change a resource's ETag.
 */
export class TaggingService {
  constructor(
    private readonly functions: FunctionService,
    private readonly keyValueStores: KeyValueStoreService,
  ) {}

  async list(arn: string): Promise<readonly Tag[]> {
    const functionTags = await this.functions.tagsOf(arn);
    if (functionTags) return functionTags;
    const store = await this.keyValueStores.findByArn(arn);
    if (store) return store.tags;
    throw noSuchResource(arn);
  }

  async tag(arn: string, tags: Tag[]): Promise<void> {
    await this.change(arn, (current) => {
      const merged = new Map(current.map((tag) => [tag.key, tag]));
      for (const tag of tags) merged.set(tag.key, tag);
      if (merged.size > MAX_TAGS_PER_RESOURCE) {
        throw new CloudFrontError("InvalidTagging", `A resource can have at most ${MAX_TAGS_PER_RESOURCE} tags; this would give it ${merged.size}.`);
      }
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
    throw noSuchResource(arn);
  }
}

function noSuchResource(arn: string): CloudFrontError {
  return new CloudFrontError("NoSuchResource", `The specified CloudFront resource can't be found: ${arn}`);
}
