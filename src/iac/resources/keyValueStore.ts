import {
  CreateKeyValueStoreCommand,
  DeleteKeyValueStoreCommand,
  DescribeKeyValueStoreCommand,
  UpdateKeyValueStoreCommand,
  type KeyValueStore,
} from "@aws-sdk/client-cloudfront";
import { setTimeout as sleep } from "node:timers/promises";
import { IacError, type Applied, type ApplyContext, type ResourceHandler, type TemplateObject } from "../types.js";
import { answered, callCloudFront, etagOf, unlessAnswered, type ResourceAt } from "./call.js";
import { resourceLabel } from "./convert.js";
import { importSourceKeys } from "./importSource.js";
import { checkKnown, given, optionalString, requiredString, tagsOf } from "./properties.js";
import { syncTags } from "./tags.js";

/**
 * AWS::CloudFront::KeyValueStore → CreateKeyValueStore / UpdateKeyValueStore. Its ImportSource is not handed
 * to the server (a `file://` or S3 source means nothing to it): the file that stands for the S3 object is read
 * here and its keys put through the data plane (context.keyValueData), so it works against any server.
 * Ref is the store's name; GetAtt Arn, Id and Status (CloudFormation Template Reference,
 * AWS::CloudFront::KeyValueStore, "Return values"; aws-cdk-lib's CfnKeyValueStore: `keyValueStoreName: this.ref`).
 */

const TYPE = "AWS::CloudFront::KeyValueStore";
const PROPERTIES = ["Name", "Comment", "ImportSource", "Tags"] as const;

/** How long a new store may stay PROVISIONING before `up` gives up (edgelite's stores are READY at once by default). */
export const KVS_READY_TIMEOUT_MS = 30_000;
const KVS_READY_POLL_MS = 100;

export const keyValueStoreHandler: ResourceHandler = {
  type: TYPE,
  async apply(context, logicalId, properties, previous) {
    const where: ResourceAt = { stackName: context.stackName, logicalId, type: TYPE };
    checkKnown(properties, PROPERTIES, where);
    const name = requiredString(properties, "Name", where);
    const comment = optionalString(properties, "Comment", where) ?? "";
    const tags = tagsOf(properties, where);
    // Read before anything changes: a source that cannot be read leaves the store as it was.
    const source = given(properties, "ImportSource");
    const keys = source === undefined ? undefined : await importSourceKeys(context, where, source);

    // Create, or (the store exists: this run's previous apply, or an earlier `up` on the same data) update.
    let store: KeyValueStore;
    try {
      const created = await callCloudFront(where, `CreateKeyValueStore ${name}`, () =>
        context.cloudfront.send(new CreateKeyValueStoreCommand({ Name: name, Comment: comment, Tags: { Items: tags } })),
      );
      store = created.KeyValueStore!;
    } catch (error) {
      if (!answered(error, "EntityAlreadyExists")) throw error;
      store = await updateComment(context, where, name, comment);
      await syncTags(context, where, store.ARN!, tags);
    }
    store = await ready(context, where, store);
    // Keys are loaded when the store is new to this run or its ImportSource changed, never over keys a user put since.
    const sourceChanged = previous?.physicalId !== name || JSON.stringify(given(previous.properties, "ImportSource")) !== JSON.stringify(source);
    let summary = name;
    if (keys !== undefined && sourceChanged) {
      const count = await context.keyValueData.replaceKeys(store.ARN!, keys).catch((error: unknown) => {
        throw new IacError(`${resourceLabel(where)}: putting the ImportSource's keys into ${name} failed: ${error instanceof Error ? error.message : String(error)}`, logicalId);
      });
      summary = `${name} (${count} key${count === 1 ? "" : "s"})`;
    }
    return applied(where, store, properties, summary);
  },

  async delete(context, previous) {
    const where: ResourceAt = { stackName: context.stackName, logicalId: previous.logicalId, type: TYPE };
    const name = previous.physicalId;
    const described = await unlessAnswered(["EntityNotFound"], () => describe(context, where, name));
    if (!described) return;
    const ifMatch = etagOf(where, "DescribeKeyValueStore", described.ETag);
    await unlessAnswered(["EntityNotFound"], () =>
      callCloudFront(where, `DeleteKeyValueStore ${name}`, () => context.cloudfront.send(new DeleteKeyValueStoreCommand({ Name: name, IfMatch: ifMatch }))),
    );
  },
};

function describe(context: ApplyContext, where: ResourceAt, name: string) {
  return callCloudFront(where, `DescribeKeyValueStore ${name}`, () => context.cloudfront.send(new DescribeKeyValueStoreCommand({ Name: name })));
}

async function updateComment(context: ApplyContext, where: ResourceAt, name: string, comment: string): Promise<KeyValueStore> {
  const described = await describe(context, where, name);
  const store = described.KeyValueStore!;
  if ((store.Comment ?? "") === comment) return store;
  const ifMatch = etagOf(where, "DescribeKeyValueStore", described.ETag);
  const updated = await callCloudFront(where, `UpdateKeyValueStore ${name}`, () =>
    context.cloudfront.send(new UpdateKeyValueStoreCommand({ Name: name, Comment: comment, IfMatch: ifMatch })),
  );
  return updated.KeyValueStore!;
}

/** Waits out PROVISIONING (a store takes keys only once READY). */
async function ready(context: ApplyContext, where: ResourceAt, store: KeyValueStore): Promise<KeyValueStore> {
  const deadline = Date.now() + KVS_READY_TIMEOUT_MS;
  let current = store;
  while (current.Status !== "READY") {
    if (current.Status === "PROVISIONING_FAILED") {
      throw new IacError(`${resourceLabel(where)}: the key value store ${current.Name} is PROVISIONING_FAILED; delete it and run up again.`, where.logicalId);
    }
    if (Date.now() > deadline) {
      throw new IacError(`${resourceLabel(where)}: the key value store ${current.Name} was still ${current.Status} after ${KVS_READY_TIMEOUT_MS / 1000} s.`, where.logicalId);
    }
    await sleep(KVS_READY_POLL_MS);
    current = (await describe(context, where, current.Name!)).KeyValueStore!;
  }
  return current;
}

function applied(where: ResourceAt, store: KeyValueStore, properties: TemplateObject, summary: string): Applied {
  return {
    logicalId: where.logicalId,
    type: TYPE,
    physicalId: store.Name!,
    ref: store.Name!,
    attributes: new Map([
      ["Arn", store.ARN!],
      ["Id", store.Id!],
      ["Status", store.Status!],
    ]),
    properties,
    summary,
  };
}
