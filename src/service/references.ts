import type { Store } from "../store/types.js";

const PAGE = 500;

/**
 * Who references a resource, answered from the records that hold the reference: a function's stages name
 * its key value stores, a distribution names its functions. Services ask this rather than each other, so
 * none of them needs a service built after it (src/compose.ts builds them in one order, no cycle to close).
 */
export class References {
  constructor(private readonly store: Store) {}

  /** Names of the functions whose DEVELOPMENT or LIVE stage is associated with a key value store (a store in use cannot be deleted). */
  async functionsUsing(keyValueStoreArn: string): Promise<string[]> {
    const names: string[] = [];
    let afterName: string | undefined;
    for (;;) {
      const batch = await this.store.listFunctions({ afterName, limit: PAGE });
      for (const record of batch) {
        if ([record.development, record.live].some((stage) => stage?.keyValueStoreArns.includes(keyValueStoreArn))) names.push(record.name);
      }
      if (batch.length < PAGE) return names;
      afterName = batch[batch.length - 1]!.name;
    }
  }

  /** How many distributions associate a function (its DEPLOYED status; a function in use cannot be deleted). */
  async distributionsUsing(functionArn: string): Promise<number> {
    let count = 0;
    let afterId: string | undefined;
    for (;;) {
      const batch = await this.store.listDistributions({ afterId, limit: PAGE });
      for (const record of batch) if (record.functionArns.includes(functionArn)) count++;
      if (batch.length < PAGE) return count;
      afterId = batch[batch.length - 1]!.id;
    }
  }

  /** How many distributions have an origin naming an origin access control (one in use cannot be deleted). */
  async distributionsUsingOriginAccessControl(id: string): Promise<number> {
    let count = 0;
    let afterId: string | undefined;
    for (;;) {
      const batch = await this.store.listDistributions({ afterId, limit: PAGE });
      for (const record of batch) if (originAccessControlIdsOf(record.parsedConfigJson).includes(id)) count++;
      if (batch.length < PAGE) return count;
      afterId = batch[batch.length - 1]!.id;
    }
  }
}

/**
 * The origin access control Ids a distribution's origins name, read from the distribution service's JSON
 * (ParsedDistributionConfig; opaque to the store). A record without it (written before schema 4 and not yet
 * upgraded) names none.
 */
function originAccessControlIdsOf(parsedConfigJson: string | undefined): string[] {
  if (parsedConfigJson === undefined) return [];
  const parsed = JSON.parse(parsedConfigJson) as { origins?: Array<{ originAccessControlId?: string }> };
  return (parsed.origins ?? []).flatMap((origin) => (origin.originAccessControlId ? [origin.originAccessControlId] : []));
}
