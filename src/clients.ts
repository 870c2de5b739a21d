import { lookup } from "node:dns";
import { Agent } from "node:http";
import { isIP, type LookupFunction } from "node:net";

/**
 * A ready `@aws-sdk/client-cloudfront-keyvaluestore` client for an edgelite server. The SDK puts the
 * account id in front of the endpoint's host (`http://127.0.0.1:4599` becomes
 * `http://123456789012.127.0.0.1:4599`, which no resolver knows), and signs with SigV4A, which needs
 * `@aws-sdk/signature-v4a` loaded. This helper does both: it loads the signer and gives the client an HTTP
 * agent that resolves any `<account>.<host>` to the server. Requires the two packages to be installed:
 *
 *     npm install -D @aws-sdk/client-cloudfront-keyvaluestore @aws-sdk/signature-v4a
 *
 * `credentials` matter only for a server started with --auth; `config` passes any other client setting.
 */
export async function keyValueStoreClient(options: {
  endpoint: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  config?: Omit<import("@aws-sdk/client-cloudfront-keyvaluestore").CloudFrontKeyValueStoreClientConfig, "endpoint" | "region" | "credentials" | "requestHandler">;
}): Promise<import("@aws-sdk/client-cloudfront-keyvaluestore").CloudFrontKeyValueStoreClient> {
  await import("@aws-sdk/signature-v4a");
  const { CloudFrontKeyValueStoreClient } = await import("@aws-sdk/client-cloudfront-keyvaluestore");
  const url = new URL(options.endpoint);
  const target = url.hostname.replace(/^\[|\]$/g, "");
  // `123456789012.127.0.0.1` is not even a valid URL: give the SDK a name, and resolve every name to the server.
  if (isIP(target)) url.hostname = "edgelite.localhost";
  const resolveToServer: LookupFunction = (_hostname, lookupOptions, callback) => lookup(target, lookupOptions, callback);
  return new CloudFrontKeyValueStoreClient({
    ...options.config,
    endpoint: url.toString().replace(/\/$/, ""),
    region: options.region ?? "us-east-1",
    credentials: options.credentials ?? { accessKeyId: "edgelite", secretAccessKey: "edgelite" },
    requestHandler: { httpAgent: new Agent({ keepAlive: true, lookup: resolveToServer }) },
  });
}
