import type { DistributionRecord, ResourceType, Store } from "../store/types.js";
import type { BehaviourConfig, ParsedDistributionConfig } from "./distributionConfig.js";

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
    return this.countDistributions((parsed) => parsed.origins.some((origin) => origin.originAccessControlId === id));
  }

  /** How many distributions name a policy in any cache behaviour (a policy in use cannot be deleted). */
  async distributionsUsingPolicy(type: ResourceType, id: string, exceptDistributionId?: string): Promise<number> {
    const field = POLICY_FIELD.get(type);
    if (!field) return 0;
    return this.countDistributions((parsed, distributionId) => distributionId !== exceptDistributionId && parsed.behaviours.some((behaviour) => behaviour[field] === id));
  }

  /**
   * How many distributions' configs pass `test`, read from the distribution service's JSON (opaque to the
   * store). A record without it (written before schema 4 and not yet upgraded) passes none.
   */
  private async countDistributions(test: (parsed: ParsedDistributionConfig, distributionId: string) => boolean): Promise<number> {
    let count = 0;
    let afterId: string | undefined;
    for (;;) {
      const batch = await this.store.listDistributions({ afterId, limit: PAGE });
      for (const record of batch) if (record.parsedConfigJson !== undefined && test(parsedConfigOf(record), record.id)) count++;
      if (batch.length < PAGE) return count;
      afterId = batch[batch.length - 1]!.id;
    }
  }
}

/** The behaviour field that names a policy of each type. */
const POLICY_FIELD: ReadonlyMap<ResourceType, "cachePolicyId" | "originRequestPolicyId" | "responseHeadersPolicyId"> = new Map([
  ["cache-policy", "cachePolicyId"],
  ["origin-request-policy", "originRequestPolicyId"],
  ["response-headers-policy", "responseHeadersPolicyId"],
] as const);

function parsedConfigOf(record: DistributionRecord): ParsedDistributionConfig {
  return JSON.parse(record.parsedConfigJson!) as ParsedDistributionConfig;
}
