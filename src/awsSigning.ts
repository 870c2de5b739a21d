import { SignatureV4 } from "@smithy/signature-v4";
import { SignatureV4a } from "@smithy/signature-v4a";
import type { Checksum, SourceData } from "@smithy/types";
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";

/**
 * Signing requests as the AWS SDKs sign them, for edgelite's own clients (`kvs import`, `ls`, `up`): SigV4 for
 * the CloudFront API, SigV4A with region set `*` for the KeyValueStore data plane (what
 * @aws-sdk/client-cloudfront-keyvaluestore sends). A leaf: the API's verifier and the clients share the hash.
 */

/** SHA-256 (or its HMAC) for the Smithy signers, from node:crypto. */
export class NodeSha256 implements Checksum {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.start();
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset(): void {
    this.hash = this.start();
  }
  private start(): Hash | Hmac {
    if (this.secret === undefined) return createHash("sha256");
    const key = typeof this.secret === "string" ? this.secret : ArrayBuffer.isView(this.secret) ? new Uint8Array(this.secret.buffer, this.secret.byteOffset, this.secret.byteLength) : new Uint8Array(this.secret);
    return createHmac("sha256", key);
  }
}

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export type SignedService = "cloudfront" | "cloudfront-keyvaluestore";

export interface SignedRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), when both are set. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv): AwsCredentials | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) return undefined;
  return { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) };
}

/** `init` with the signature's headers added (Host is left to fetch, which sets the same value). */
export async function signRequest(service: SignedService, url: string, init: SignedRequestInit, credentials: AwsCredentials): Promise<SignedRequestInit> {
  const target = new URL(url);
  const request = {
    method: init.method ?? "GET",
    protocol: target.protocol,
    hostname: target.hostname,
    ...(target.port ? { port: Number(target.port) } : {}),
    path: target.pathname,
    query: Object.fromEntries(target.searchParams),
    headers: { ...init.headers, host: target.host },
    ...(init.body !== undefined ? { body: init.body } : {}),
  };
  const signer =
    service === "cloudfront"
      ? new SignatureV4({ service, region: "us-east-1", credentials, sha256: NodeSha256 })
      : new SignatureV4a({ service, region: "*", credentials, sha256: NodeSha256 });
  const signed = await signer.sign(request, {});
  const headers = Object.fromEntries(Object.entries(signed.headers as Record<string, string>).filter(([name]) => name !== "host"));
  return { ...init, headers };
}
