import { SignatureV4 } from "@smithy/signature-v4";
import { SignatureV4a } from "@smithy/signature-v4a";
import type { Command } from "commander";
import { NodeSha256 } from "../api/access/signature.js";
import { KVS_MAX_BATCH_KEYS } from "../limits.js";
import { readImportFile } from "../service/importFile.js";
import { parseImportFile } from "../service/importFormat.js";
import { colour } from "./format.js";

/**
 * `edgelite kvs import <store> <file.json>`: loads keys from a file in CloudFront's import format into a
 * store of a running server, through the data plane (UpdateKeys, 50 keys a request), as a user would.
 */
export function registerKvs(program: Command): void {
  const kvs = program.command("kvs").description("Work with the key value stores of a running edgelite server.");
  kvs
    .command("import")
    .description('Put every key of a CloudFront import file ({"data":[{"key","value"},…]}) into a store.')
    .argument("<store>", "the store's name")
    .argument("<file>", "the import file")
    .option("--endpoint <url>", "the edgelite server", "http://127.0.0.1:4599")
    .addHelpText(
      "after",
      "\nExample:\n  $ edgelite kvs import redirects ./redirects.json\n\nCreateKeyValueStore also takes the file directly, from a folder the server was started with\n(edgelite serve --import-dir <folder>): ImportSource {SourceType: S3, SourceARN: file:///abs/folder/path.json}.\n" +
        "With AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY set, requests are signed (SigV4, SigV4A for the data plane), as a server started with --auth requires.",
    )
    .action(async (store: string, file: string, options: { endpoint: string }) => {
      await importKeys(store, file, options.endpoint);
    });
}

async function importKeys(storeName: string, file: string, endpoint: string): Promise<void> {
  const paint = colour(process.stdout);
  // The same reader as CreateKeyValueStore's (a regular file of at most 5 MB), without its folder rule:
  // the user named this file on their own command line.
  const entries = parseImportFile(await readImportFile(file, file), file);
  const send = signedFetch(process.env);
  const described = await send("cloudfront", `${endpoint}/2020-05-31/key-value-store/${encodeURIComponent(storeName)}`);
  const text = await described.text();
  if (!described.ok) throw new Error(`${storeName}: ${/<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? described.statusText}`);
  const arn = /<ARN>([^<]+)<\/ARN>/.exec(text)![1]!;
  const base = `${endpoint}/key-value-stores/${encodeURIComponent(arn)}`;
  const store = await send("cloudfront-keyvaluestore", base);
  if (!store.ok) throw new Error(`${storeName}: ${((await store.json()) as { Message?: string }).Message ?? store.statusText}`);
  let etag = store.headers.get("etag")!;
  for (let start = 0; start < entries.length; start += KVS_MAX_BATCH_KEYS) {
    const batch = entries.slice(start, start + KVS_MAX_BATCH_KEYS);
    const response = await send("cloudfront-keyvaluestore", `${base}/keys`, {
      method: "POST",
      headers: { "content-type": "application/json", "if-match": etag },
      body: JSON.stringify({ Puts: batch.map(([Key, Value]) => ({ Key, Value })) }),
    });
    const body = (await response.json()) as { Message?: string; ItemCount?: number };
    if (!response.ok) throw new Error(`import stopped after ${start} keys: ${body.Message ?? response.statusText}`);
    etag = response.headers.get("etag")!;
    process.stdout.write(`\r${paint.dim(`${Math.min(start + batch.length, entries.length)}/${entries.length} keys`)}`);
  }
  process.stdout.write(`\r${paint.green("imported")} ${entries.length} keys into ${storeName}\n`);
}

type Service = "cloudfront" | "cloudfront-keyvaluestore";

/**
 * fetch, signed as the AWS SDKs sign (SigV4 for the CloudFront API, SigV4A with region set `*` for the
 * data plane) when AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set; plain otherwise.
 */
function signedFetch(env: NodeJS.ProcessEnv) {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  const credentials = accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) } : undefined;
  return async (service: Service, url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Response> => {
    if (credentials === undefined) return fetch(url, init);
    const target = new URL(url);
    const request = {
      method: init.method ?? "GET",
      protocol: target.protocol,
      hostname: target.hostname,
      ...(target.port ? { port: Number(target.port) } : {}),
      path: target.pathname,
      headers: { ...init.headers, host: target.host },
      ...(init.body !== undefined ? { body: init.body } : {}),
    };
    const signer =
      service === "cloudfront"
        ? new SignatureV4({ service, region: "us-east-1", credentials, sha256: NodeSha256 })
        : new SignatureV4a({ service, region: "*", credentials, sha256: NodeSha256 });
    const signed = await signer.sign(request, {});
    const headers = Object.fromEntries(Object.entries(signed.headers as Record<string, string>).filter(([name]) => name !== "host"));
    return fetch(url, { ...init, headers });
  };
}
