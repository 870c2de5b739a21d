import type { CloudFrontClient } from "@aws-sdk/client-cloudfront";
import type { AwsCredentials } from "../../awsSigning.js";

/**
 * Credentials for a server that checks none: the SDK signs every request, and without these it would look
 * for real ones (profiles, the instance metadata service) first.
 */
export const UNCHECKED_CREDENTIALS: AwsCredentials = { accessKeyId: "EDGELITEUP", secretAccessKey: "edgelite-up" };

/**
 * The CloudFront API client `up` applies templates with, pointed at `endpoint`. The SDK is loaded here, on
 * first use, after its Node version notice is turned off (it would tell Node 20 users to upgrade on every run;
 * edgelite supports Node 20).
 */
export async function cloudFrontClientAt(endpoint: string, credentials: AwsCredentials): Promise<CloudFrontClient> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const { CloudFrontClient } = await import("@aws-sdk/client-cloudfront");
  // CloudFront is a global service signed for us-east-1, whatever --region the template is read with.
  return new CloudFrontClient({ endpoint, region: "us-east-1", credentials, maxAttempts: 1 });
}
