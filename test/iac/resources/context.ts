import { DescribeKeyValueStoreCommand, ListKeysCommand, UpdateKeysCommand, type CloudFrontKeyValueStoreClient } from "@aws-sdk/client-cloudfront-keyvaluestore";
import { keyValueStoreClient } from "../../../src/clients.js";
import { KVS_MAX_BATCH_KEYS } from "../../../src/limits.js";
import { expect } from "vitest";
import { IacError, type ApplyContext, type IacLog, type KeyValueData, type LocalObject, type OriginMapper, type S3ObjectLocator, type TemplateObject, type TemplateValue } from "../../../src/iac/types.js";
import { startTestServer, type TestServer } from "../../helpers.js";

/**
 * A real embedded server (memory store) and the ApplyContext the handlers get, with small real stand-ins
 * for what the origins and engine helpers provide: a data-plane KeyValueData over the real SDK client,
 * an S3ObjectLocator over a map of files, an OriginMapper that records what it was given.
 */

/** KeyValueData through the data plane (ListKeys, then UpdateKeys 50 keys a request), as `edgelite kvs import` does. */
export class DataPlaneKeys implements KeyValueData {
  constructor(private readonly client: CloudFrontKeyValueStoreClient) {}

  async replaceKeys(arn: string, entries: ReadonlyArray<readonly [string, string]>): Promise<number> {
    const wanted = new Set(entries.map(([key]) => key));
    const stale: string[] = [];
    let next: string | undefined;
    do {
      const page = await this.client.send(new ListKeysCommand({ KvsARN: arn, NextToken: next, MaxResults: 50 }));
      for (const item of page.Items ?? []) if (!wanted.has(item.Key!)) stale.push(item.Key!);
      next = page.NextToken;
    } while (next);
    const changes = [...entries.map(([Key, Value]) => ({ put: { Key, Value } })), ...stale.map((Key) => ({ del: { Key } }))];
    for (let start = 0; start < changes.length; start += KVS_MAX_BATCH_KEYS) {
      const batch = changes.slice(start, start + KVS_MAX_BATCH_KEYS);
      const { ETag } = await this.client.send(new DescribeKeyValueStoreCommand({ KvsARN: arn }));
      await this.client.send(
        new UpdateKeysCommand({
          KvsARN: arn,
          IfMatch: ETag!,
          Puts: batch.flatMap((change) => ("put" in change ? [change.put] : [])),
          Deletes: batch.flatMap((change) => ("del" in change ? [change.del] : [])),
        }),
      );
    }
    return entries.length;
  }
}

export class MapLocator implements S3ObjectLocator {
  readonly objects = new Map<string, LocalObject>();
  locate(bucket: string, key: string): LocalObject | undefined {
    return this.objects.get(`${bucket}/${key}`);
  }
}

/** Records each config it is given; points origins whose DomainName ends in `.example` at `local`. */
export class RecordingOrigins implements OriginMapper {
  readonly calls: Array<{ logicalId: string; ids: string[] }> = [];
  constructor(private readonly local?: string) {}
  mapOrigins<T extends { Origins?: { Items?: ReadonlyArray<{ Id?: string; DomainName?: string }> } }>(config: T, distributionLogicalId: string): T {
    const items = config.Origins?.Items ?? [];
    this.calls.push({ logicalId: distributionLogicalId, ids: items.map((origin) => origin.Id ?? "") });
    if (!this.local) return config;
    const local = this.local;
    const mapped = items.map((origin) => (origin.DomainName?.endsWith(".example") ? { ...origin, DomainName: local } : origin));
    return { ...config, Origins: { ...config.Origins, Items: mapped } };
  }
}

export class Lines implements IacLog {
  readonly info: (message: string) => void;
  readonly warn: (message: string) => void;
  readonly lines: string[] = [];
  constructor() {
    this.info = (message) => this.lines.push(`info ${message}`);
    this.warn = (message) => this.lines.push(`warn ${message}`);
  }
}

export interface Harness {
  server: TestServer;
  context: ApplyContext;
  kvs: CloudFrontKeyValueStoreClient;
  locator: MapLocator;
  origins: RecordingOrigins;
  log: Lines;
  close(): Promise<void>;
}

export async function harness(stackName = "Site", options: Parameters<typeof startTestServer>[1] = {}): Promise<Harness> {
  const server = await startTestServer("memory", options);
  const kvs = await keyValueStoreClient({ endpoint: server.url, credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" } });
  const locator = new MapLocator();
  const origins = new RecordingOrigins();
  const log = new Lines();
  const context: ApplyContext = { cloudfront: server.client, keyValueData: new DataPlaneKeys(kvs), s3Objects: locator, origins, stackName, log };
  return {
    server,
    context,
    kvs,
    locator,
    origins,
    log,
    async close() {
      kvs.destroy();
      await server.close();
    },
  };
}

/** A template object as the template loader gives it: null-prototype all the way down. */
export function template(value: unknown): TemplateObject {
  return nullPrototype(value as TemplateValue) as TemplateObject;
}

function nullPrototype(value: TemplateValue): TemplateValue {
  if (Array.isArray(value)) return value.map(nullPrototype);
  if (typeof value !== "object" || value === null) return value;
  const out = Object.create(null) as TemplateObject;
  for (const key of Object.keys(value)) out[key] = nullPrototype(value[key]!);
  return out;
}

/** The IacError a promise rejects with (failing the test when it resolves or rejects with something else). */
export async function rejection(promise: Promise<unknown>): Promise<IacError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(IacError);
  return error as IacError;
}
