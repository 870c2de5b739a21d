import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { CreateDistributionCommand } from "@aws-sdk/client-cloudfront";
import type { TestServer } from "../helpers.js";

/** The real CloudWatch Logs client pointed at a test server. */
export function logsClient(endpoint: string): CloudWatchLogsClient {
  return new CloudWatchLogsClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" }, maxAttempts: 1 });
}

/** A distribution whose default behaviour runs `functionArn` on viewer requests (its origin is never reached). */
export async function distributionRunning(t: TestServer, functionArn: string, reference: string): Promise<{ domain: string; id: string }> {
  const created = await t.client.send(
    new CreateDistributionCommand({
      DistributionConfig: {
        CallerReference: reference,
        Comment: "",
        Enabled: true,
        Origins: { Quantity: 1, Items: [{ Id: "unused", DomainName: "127.0.0.1", CustomOriginConfig: { HTTPPort: 9, HTTPSPort: 443, OriginProtocolPolicy: "http-only" } }] },
        DefaultCacheBehavior: { TargetOriginId: "unused", ViewerProtocolPolicy: "allow-all", FunctionAssociations: { Quantity: 1, Items: [{ FunctionARN: functionArn, EventType: "viewer-request" }] } },
      },
    }),
  );
  return { domain: created.Distribution!.DomainName!, id: created.Distribution!.Id! };
}

