import {
  CreateCachePolicyCommand,
  CreateOriginAccessControlCommand,
  CreateOriginRequestPolicyCommand,
  CreateResponseHeadersPolicyCommand,
  DeleteCachePolicyCommand,
  DeleteOriginAccessControlCommand,
  DeleteOriginRequestPolicyCommand,
  DeleteResponseHeadersPolicyCommand,
  GetCachePolicyConfigCommand,
  GetOriginAccessControlConfigCommand,
  GetOriginRequestPolicyConfigCommand,
  GetResponseHeadersPolicyConfigCommand,
  ListCachePoliciesCommand,
  ListOriginAccessControlsCommand,
  ListOriginRequestPoliciesCommand,
  ListResponseHeadersPoliciesCommand,
  UpdateCachePolicyCommand,
  UpdateOriginAccessControlCommand,
  UpdateOriginRequestPolicyCommand,
  UpdateResponseHeadersPolicyCommand,
  type CachePolicyConfig,
  type OriginAccessControlConfig,
  type OriginRequestPolicyConfig,
  type ResponseHeadersPolicyConfig,
} from "@aws-sdk/client-cloudfront";
import type { ApplyContext } from "../types.js";
import { namedConfigHandler, type Written } from "./namedConfig.js";

/**
 * AWS::CloudFront::CachePolicy, ::OriginRequestPolicy, ::ResponseHeadersPolicy: Ref is the Id, GetAtt Id and
 * LastModifiedTime. AWS::CloudFront::OriginAccessControl: Ref is the Id, GetAtt Id. (CloudFormation Template
 * Reference, each type's "Return values"; aws-cdk-lib's generated `attrId`/`attrLastModifiedTime`.)
 */

interface Policy {
  Id: string | undefined;
  LastModifiedTime?: Date | undefined;
}

function written(policy: Policy | undefined): Written {
  if (!policy?.Id) throw new Error("CloudFront answered no Id");
  return { id: policy.Id, lastModifiedTime: policy.LastModifiedTime?.toISOString() };
}

/** Pages through a List… call for the user-made ("custom") object with this name. */
async function findInPages(page: (marker: string | undefined) => Promise<{ ids: Array<{ id?: string; name?: string }>; next?: string }>, name: string): Promise<string | undefined> {
  let marker: string | undefined;
  do {
    const listed = await page(marker);
    const found = listed.ids.find((entry) => entry.name === name);
    if (found?.id) return found.id;
    marker = listed.next;
  } while (marker);
  return undefined;
}

const client = (context: ApplyContext) => context.cloudfront;

export const cachePolicyHandler = namedConfigHandler<CachePolicyConfig>({
  type: "AWS::CloudFront::CachePolicy",
  configProperty: "CachePolicyConfig",
  alreadyExists: "CachePolicyAlreadyExists",
  noSuch: "NoSuchCachePolicy",
  hasLastModifiedTime: true,
  api: {
    create: async (context, config) => written((await client(context).send(new CreateCachePolicyCommand({ CachePolicyConfig: config }))).CachePolicy),
    etag: async (context, id) => (await client(context).send(new GetCachePolicyConfigCommand({ Id: id }))).ETag,
    update: async (context, id, ifMatch, config) => written((await client(context).send(new UpdateCachePolicyCommand({ Id: id, IfMatch: ifMatch, CachePolicyConfig: config }))).CachePolicy),
    remove: async (context, id, ifMatch) => void (await client(context).send(new DeleteCachePolicyCommand({ Id: id, IfMatch: ifMatch }))),
    findByName: (context, name) =>
      findInPages(async (marker) => {
        const list = (await client(context).send(new ListCachePoliciesCommand({ Type: "custom", Marker: marker }))).CachePolicyList;
        return { ids: (list?.Items ?? []).map((item) => ({ id: item.CachePolicy?.Id, name: item.CachePolicy?.CachePolicyConfig?.Name })), next: list?.NextMarker };
      }, name),
  },
});

export const originRequestPolicyHandler = namedConfigHandler<OriginRequestPolicyConfig>({
  type: "AWS::CloudFront::OriginRequestPolicy",
  configProperty: "OriginRequestPolicyConfig",
  alreadyExists: "OriginRequestPolicyAlreadyExists",
  noSuch: "NoSuchOriginRequestPolicy",
  hasLastModifiedTime: true,
  api: {
    create: async (context, config) => written((await client(context).send(new CreateOriginRequestPolicyCommand({ OriginRequestPolicyConfig: config }))).OriginRequestPolicy),
    etag: async (context, id) => (await client(context).send(new GetOriginRequestPolicyConfigCommand({ Id: id }))).ETag,
    update: async (context, id, ifMatch, config) =>
      written((await client(context).send(new UpdateOriginRequestPolicyCommand({ Id: id, IfMatch: ifMatch, OriginRequestPolicyConfig: config }))).OriginRequestPolicy),
    remove: async (context, id, ifMatch) => void (await client(context).send(new DeleteOriginRequestPolicyCommand({ Id: id, IfMatch: ifMatch }))),
    findByName: (context, name) =>
      findInPages(async (marker) => {
        const list = (await client(context).send(new ListOriginRequestPoliciesCommand({ Type: "custom", Marker: marker }))).OriginRequestPolicyList;
        return {
          ids: (list?.Items ?? []).map((item) => ({ id: item.OriginRequestPolicy?.Id, name: item.OriginRequestPolicy?.OriginRequestPolicyConfig?.Name })),
          next: list?.NextMarker,
        };
      }, name),
  },
});

export const responseHeadersPolicyHandler = namedConfigHandler<ResponseHeadersPolicyConfig>({
  type: "AWS::CloudFront::ResponseHeadersPolicy",
  configProperty: "ResponseHeadersPolicyConfig",
  alreadyExists: "ResponseHeadersPolicyAlreadyExists",
  noSuch: "NoSuchResponseHeadersPolicy",
  hasLastModifiedTime: true,
  api: {
    create: async (context, config) => written((await client(context).send(new CreateResponseHeadersPolicyCommand({ ResponseHeadersPolicyConfig: config }))).ResponseHeadersPolicy),
    etag: async (context, id) => (await client(context).send(new GetResponseHeadersPolicyConfigCommand({ Id: id }))).ETag,
    update: async (context, id, ifMatch, config) =>
      written((await client(context).send(new UpdateResponseHeadersPolicyCommand({ Id: id, IfMatch: ifMatch, ResponseHeadersPolicyConfig: config }))).ResponseHeadersPolicy),
    remove: async (context, id, ifMatch) => void (await client(context).send(new DeleteResponseHeadersPolicyCommand({ Id: id, IfMatch: ifMatch }))),
    findByName: (context, name) =>
      findInPages(async (marker) => {
        const list = (await client(context).send(new ListResponseHeadersPoliciesCommand({ Type: "custom", Marker: marker }))).ResponseHeadersPolicyList;
        return {
          ids: (list?.Items ?? []).map((item) => ({ id: item.ResponseHeadersPolicy?.Id, name: item.ResponseHeadersPolicy?.ResponseHeadersPolicyConfig?.Name })),
          next: list?.NextMarker,
        };
      }, name),
  },
});

export const originAccessControlHandler = namedConfigHandler<OriginAccessControlConfig>({
  type: "AWS::CloudFront::OriginAccessControl",
  configProperty: "OriginAccessControlConfig",
  alreadyExists: "OriginAccessControlAlreadyExists",
  noSuch: "NoSuchOriginAccessControl",
  hasLastModifiedTime: false,
  api: {
    create: async (context, config) => written((await client(context).send(new CreateOriginAccessControlCommand({ OriginAccessControlConfig: config }))).OriginAccessControl),
    etag: async (context, id) => (await client(context).send(new GetOriginAccessControlConfigCommand({ Id: id }))).ETag,
    update: async (context, id, ifMatch, config) =>
      written((await client(context).send(new UpdateOriginAccessControlCommand({ Id: id, IfMatch: ifMatch, OriginAccessControlConfig: config }))).OriginAccessControl),
    remove: async (context, id, ifMatch) => void (await client(context).send(new DeleteOriginAccessControlCommand({ Id: id, IfMatch: ifMatch }))),
    findByName: (context, name) =>
      findInPages(async (marker) => {
        const list = (await client(context).send(new ListOriginAccessControlsCommand({ Marker: marker }))).OriginAccessControlList;
        return { ids: (list?.Items ?? []).map((item) => ({ id: item.Id, name: item.Name })), next: list?.IsTruncated ? list.NextMarker : undefined };
      }, name),
  },
});
