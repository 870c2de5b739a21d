import type { Applied, ApplyContext, ResourceHandler, TemplateObject, TemplateValue } from "../types.js";
import { answered, callCloudFront, etagOf, unlessAnswered, type ResourceAt } from "./call.js";
import { describe, isTemplateObject, propertyError, toSdkShape } from "./convert.js";
import { atProperty, checkKnown, required } from "./properties.js";

/**
 * The resource types that are one named configuration object (CachePolicyConfig, OriginRequestPolicyConfig,
 * ResponseHeadersPolicyConfig, OriginAccessControlConfig): Create…, then Update… with the ETag of Get…Config;
 * an earlier `up`'s object of the same Name (…AlreadyExists) is found in List… and adopted. Ref is the Id.
 */

/** What one such object looks like after Create or Update. */
export interface Written {
  readonly id: string;
  /** ISO 8601, for GetAtt LastModifiedTime where the type has it. */
  readonly lastModifiedTime?: string;
}

/** The CloudFront API calls of one such type, in the SDK's words. */
export interface NamedConfigApi<Config> {
  create(context: ApplyContext, config: Config): Promise<Written>;
  /** The ETag of Get…Config. */
  etag(context: ApplyContext, id: string): Promise<string | undefined>;
  update(context: ApplyContext, id: string, ifMatch: string, config: Config): Promise<Written>;
  remove(context: ApplyContext, id: string, ifMatch: string): Promise<void>;
  /** The Id of this account's object with that name (the user-made ones only), if any. */
  findByName(context: ApplyContext, name: string): Promise<string | undefined>;
}

export interface NamedConfigSpec<Config> {
  readonly type: string;
  /** The property holding the configuration, the same name as its API shape. */
  readonly configProperty: string;
  readonly alreadyExists: string;
  readonly noSuch: string;
  /** GetAtt names besides Id (LastModifiedTime for the policies). */
  readonly hasLastModifiedTime: boolean;
  readonly api: NamedConfigApi<Config>;
}

export function namedConfigHandler<Config extends { Name: string | undefined }>(spec: NamedConfigSpec<Config>): ResourceHandler {
  const operation = (verb: string) => `${verb}${spec.configProperty.replace(/Config$/, "")}`;
  return {
    type: spec.type,
    async apply(context, logicalId, properties, previous) {
      const where: ResourceAt = { stackName: context.stackName, logicalId, type: spec.type };
      checkKnown(properties, [spec.configProperty], where);
      const written = required(properties, spec.configProperty, where);
      const config = toSdkShape<Config>(written, spec.configProperty, atProperty(where, spec.configProperty));
      if (!config.Name) throw propertyError(atProperty(where, `${spec.configProperty}.Name`), `is required (it is ${describe(nameOf(written))}).`);
      const updateExisting = async (id: string) => {
        const etag = etagOf(where, `${operation("Get")}Config`, await callCloudFront(where, `${operation("Get")}Config ${id}`, () => spec.api.etag(context, id)));
        return callCloudFront(where, `${operation("Update")} ${id}`, () => spec.api.update(context, id, etag, config));
      };
      let result: Written | undefined;
      if (previous) result = await unlessAnswered([spec.noSuch], () => updateExisting(previous.physicalId));
      if (!result) {
        try {
          result = await callCloudFront(where, operation("Create"), () => spec.api.create(context, config));
        } catch (error) {
          if (!answered(error, spec.alreadyExists)) throw error;
          // An earlier `up` on the same data made it: take it over.
          const id = await callCloudFront(where, `List (${config.Name})`, () => spec.api.findByName(context, config.Name!));
          if (id === undefined) throw error;
          result = await updateExisting(id);
        }
      }
      return applied(spec, where, result, properties, config.Name);
    },

    async delete(context, previous) {
      const where: ResourceAt = { stackName: context.stackName, logicalId: previous.logicalId, type: spec.type };
      const id = previous.physicalId;
      const got = await unlessAnswered([spec.noSuch], async () => ({ etag: await callCloudFront(where, `${operation("Get")}Config ${id}`, () => spec.api.etag(context, id)) }));
      if (got === undefined) return;
      const etag = etagOf(where, `${operation("Get")}Config`, got.etag);
      await unlessAnswered([spec.noSuch], () => callCloudFront(where, `${operation("Delete")} ${id}`, () => spec.api.remove(context, id, etag)));
    },
  };
}

function nameOf(written: TemplateValue): TemplateValue | undefined {
  return isTemplateObject(written) && Object.hasOwn(written, "Name") ? written.Name : undefined;
}

function applied<Config>(spec: NamedConfigSpec<Config>, where: ResourceAt, result: Written, properties: TemplateObject, name: string): Applied {
  const attributes = new Map<string, TemplateValue>([["Id", result.id]]);
  if (spec.hasLastModifiedTime && result.lastModifiedTime !== undefined) attributes.set("LastModifiedTime", result.lastModifiedTime);
  return { logicalId: where.logicalId, type: spec.type, physicalId: result.id, ref: result.id, attributes, properties, summary: `${name} (${result.id})` };
}
