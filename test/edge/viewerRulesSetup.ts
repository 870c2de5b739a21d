import { CreateDistributionCommand, type CloudFrontClient, type DistributionConfig, type Method } from "@aws-sdk/client-cloudfront";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * What the viewer-rule tests (methods, geo, compression, notices) share: a local origin that records what
 * it was asked, and distributions created through the real SDK, with the fields those tests set.
 */

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
}

export interface TestOrigin {
  port: number;
  seen: SeenRequest[];
  close(): Promise<void>;
}

/** An origin on a free port: `answer` writes the reply; every request is recorded first. */
export async function startOrigin(answer: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => void res.end("origin")): Promise<TestOrigin> {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    req.resume();
    answer(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const customOrigin = (id: string, port: number) => ({ Id: id, DomainName: "127.0.0.1", CustomOriginConfig: { HTTPPort: port, HTTPSPort: 443, OriginProtocolPolicy: "http-only" as const } });

export const methodsOf = (items: Method[]) => ({ Quantity: items.length, Items: items, CachedMethods: { Quantity: 2, Items: ["GET", "HEAD"] satisfies Method[] } });

export const GET_HEAD: Method[] = ["GET", "HEAD"];
export const GET_HEAD_OPTIONS: Method[] = ["GET", "HEAD", "OPTIONS"];
export const ALL_SEVEN: Method[] = ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"];

/** AWS's managed policies the tests use, by Id. */
export const CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6";
export const CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
export const ALL_VIEWER_AND_CLOUDFRONT_HEADERS = "33f36d7e-f396-46d9-90e0-52428a34d9dc";

let references = 0;

/** Creates a distribution (origin "o" on `port`, Enabled) with the rest of its config as given; its DomainName. */
export async function createDistribution(client: CloudFrontClient, port: number, config: Partial<DistributionConfig> & Pick<DistributionConfig, "DefaultCacheBehavior">): Promise<{ id: string; host: string; etag: string }> {
  const created = await client.send(
    new CreateDistributionCommand({
      DistributionConfig: {
        CallerReference: `viewer-rules-${++references}-${Date.now()}`,
        Comment: "",
        Enabled: true,
        Origins: { Quantity: 1, Items: [customOrigin("o", port)] },
        ...config,
      },
    }),
  );
  return { id: created.Distribution!.Id!, host: created.Distribution!.DomainName!, etag: created.ETag! };
}
