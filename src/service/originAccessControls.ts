import type { Clock } from "../clock.js";
import { DEFAULT_LIST_MAX_ITEMS } from "../limits.js";
import { CloudFrontError, preconditionFailed, requireIfMatch } from "./errors.js";
import { etagForVersion } from "./etag.js";
import { cloudFrontId } from "./resourceIds.js";
import { pageAfterId, type Page } from "./resourcePages.js";
import type { ResourceRecord, Store } from "../store/types.js";

/** The model's enums (OriginAccessControlSigningProtocols, …SigningBehaviors, …OriginTypes): one home for the API's checks. */
export const SIGNING_PROTOCOLS = ["sigv4"] as const;
export const SIGNING_BEHAVIORS = ["never", "always", "no-override"] as const;
export const ORIGIN_ACCESS_CONTROL_ORIGIN_TYPES = ["s3", "mediastore", "mediapackagev2", "lambda"] as const;

/** An OriginAccessControlConfig, typed (the store keeps it as this JSON). */
export interface OriginAccessControlConfig {
  name: string;
  /** Optional in the config; the summary always carries it ("" when none was sent). */
  description: string;
  signingProtocol: (typeof SIGNING_PROTOCOLS)[number];
  signingBehavior: (typeof SIGNING_BEHAVIORS)[number];
  originType: (typeof ORIGIN_ACCESS_CONTROL_ORIGIN_TYPES)[number];
}

export interface OriginAccessControlView {
  id: string;
  etag: string;
  config: OriginAccessControlConfig;
}

export interface OriginAccessControlServiceOptions {
  store: Store;
  clock: Clock;
  /** Origin access controls per account (CloudFront's quota: 100). */
  maxOriginAccessControls: number;
  /** How many distributions have an origin that names this origin access control (one in use cannot be deleted). */
  distributionsUsing(id: string): Promise<number>;
}

const TYPE = "origin-access-control";

/**
 * CloudFront's origin access controls: Create/Get/GetConfig/Update/Delete/List with ETags. edgelite signs
 * nothing (its S3 origins are local folders or S3-compatible servers); an OAC is kept so that distributions
 * naming one deploy as they do on AWS, and so that one in use cannot be deleted.
 */
export class OriginAccessControlService {
  constructor(private readonly options: OriginAccessControlServiceOptions) {}

  async create(config: OriginAccessControlConfig): Promise<OriginAccessControlView> {
    const now = this.options.clock.now();
    const record: ResourceRecord = {
      type: TYPE,
      id: cloudFrontId("E"),
      scope: "",
      name: config.name,
      configJson: JSON.stringify(config),
      version: 1,
      createdTime: now,
      lastModifiedTime: now,
      tags: [],
    };
    const outcome = await this.options.store.insertResource(record, { max: this.options.maxOriginAccessControls });
    if (outcome === "limit") {
      throw new CloudFrontError(
        "TooManyOriginAccessControls",
        `You have reached the maximum number of origin access controls for this account (${this.options.maxOriginAccessControls}). Delete one that no distribution uses.`,
      );
    }
    if (outcome === "exists") throw alreadyExists(config.name);
    return view(record);
  }

  async get(id: string): Promise<OriginAccessControlView> {
    return view(await this.require(id));
  }

  /** The config of an origin access control, or undefined when there is none with this Id (distributions' check). */
  async find(id: string): Promise<OriginAccessControlConfig | undefined> {
    const record = await this.options.store.getResource(TYPE, id);
    return record && configOf(record);
  }

  async update(id: string, ifMatch: string | undefined, config: OriginAccessControlConfig): Promise<OriginAccessControlView> {
    const etag = requireIfMatch(ifMatch);
    const record = await this.require(id);
    if (etag !== etagForVersion(record.version)) throw preconditionFailed();
    if (config.name !== record.name) {
      const taken = (await this.options.store.listResources(TYPE)).some((other) => other.id !== id && other.name === config.name);
      if (taken) throw alreadyExists(config.name);
    }
    const updated: ResourceRecord = {
      ...record,
      name: config.name,
      configJson: JSON.stringify(config),
      version: record.version + 1,
      lastModifiedTime: this.options.clock.now(),
    };
    if (!(await this.options.store.replaceResource(updated, record.version))) throw preconditionFailed();
    return view(updated);
  }

  async delete(id: string, ifMatch: string | undefined): Promise<void> {
    const etag = requireIfMatch(ifMatch);
    const record = await this.require(id);
    if (etag !== etagForVersion(record.version)) throw preconditionFailed();
    const users = await this.options.distributionsUsing(id);
    if (users > 0) {
      throw new CloudFrontError(
        "OriginAccessControlInUse",
        `Cannot delete the origin access control ${id}: ${users} distribution(s) use it. Remove it from their origins (UpdateDistribution) first.`,
      );
    }
    if (!(await this.options.store.deleteResource(TYPE, id, record.version))) throw preconditionFailed();
  }

  /** In creation order (the store's); `marker` is the Id the previous page ended with (its NextMarker). */
  async list(options: { marker?: string; maxItems?: number }): Promise<Page<OriginAccessControlView>> {
    const page = pageAfterId(await this.options.store.listResources(TYPE), options.marker, options.maxItems ?? DEFAULT_LIST_MAX_ITEMS, "ListOriginAccessControls");
    return { ...page, items: page.items.map(view) };
  }

  private async require(id: string): Promise<ResourceRecord> {
    const record = await this.options.store.getResource(TYPE, id);
    if (!record) throw new CloudFrontError("NoSuchOriginAccessControl", `The origin access control ${id.slice(0, 64)} does not exist.`);
    return record;
  }
}

function alreadyExists(name: string): CloudFrontError {
  return new CloudFrontError("OriginAccessControlAlreadyExists", `An origin access control named ${name} already exists. Choose another Name, or update the existing one.`);
}

/** The store keeps this service's own JSON (written by create and update) as opaque text. */
function configOf(record: ResourceRecord): OriginAccessControlConfig {
  return JSON.parse(record.configJson) as OriginAccessControlConfig;
}

function view(record: ResourceRecord): OriginAccessControlView {
  return { id: record.id, etag: etagForVersion(record.version), config: configOf(record) };
}
