import { CloudFrontClient } from "@aws-sdk/client-cloudfront";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A server that answers every request with the body last set, and the real SDK client pointed at it: how the SDK reads a given reply. */
export async function cannedReplies(): Promise<{ client: CloudFrontClient; reply(body: string): void; close(): Promise<void> }> {
  let body = "";
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/xml", etag: "E1" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const client = new CloudFrontClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
    maxAttempts: 1,
  });
  return {
    client,
    reply: (next) => (body = next),
    async close() {
      client.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
