import type { Command } from "commander";
import { readFileSync } from "node:fs";
import { KVS_MAX_BATCH_KEYS } from "../limits.js";
import { parseImportFile } from "../service/keyValueStores.js";
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
    .addHelpText("after", "\nExample:\n  $ edgelite kvs import redirects ./redirects.json\n\nCreateKeyValueStore also takes the file directly: ImportSource {SourceType: S3, SourceARN: file:///abs/path.json}.")
    .action(async (store: string, file: string, options: { endpoint: string }) => {
      await importKeys(store, file, options.endpoint);
    });
}

async function importKeys(storeName: string, file: string, endpoint: string): Promise<void> {
  const paint = colour(process.stdout);
  const entries = parseImportFile(readFileSync(file, "utf8"), file);
  const described = await fetch(`${endpoint}/2020-05-31/key-value-store/${encodeURIComponent(storeName)}`);
  const text = await described.text();
  if (!described.ok) throw new Error(`${storeName}: ${/<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? described.statusText}`);
  const arn = /<ARN>([^<]+)<\/ARN>/.exec(text)![1]!;
  const base = `${endpoint}/key-value-stores/${encodeURIComponent(arn)}`;
  let etag = (await fetch(base)).headers.get("etag")!;
  for (let start = 0; start < entries.length; start += KVS_MAX_BATCH_KEYS) {
    const batch = entries.slice(start, start + KVS_MAX_BATCH_KEYS);
    const response = await fetch(`${base}/keys`, {
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
