import type { Command } from "commander";
import { KVS_MAX_BATCH_KEYS } from "../limits.js";
import { CloudFrontError } from "../service/errors.js";
import { readImportFile } from "../service/importFile.js";
import { parseImportFile } from "../service/importFormat.js";
import { endpointOf, signedFetch } from "./endpoint.js";
import { CliError, EXIT } from "./failures.js";
import { colour } from "./format.js";

/**
 * `edgelite kvs import <store> <file.json>`: loads keys from a file in CloudFront's import format into a
 * store of a running server, through the data plane (UpdateKeys, 50 keys a request), as a user would.
 */
export function registerKvs(program: Command): void {
  const kvs = program
    .command("kvs")
    .description("Work with the key value stores of a running edgelite server.")
    .addHelpText("after", "\nExamples:\n  $ edgelite kvs import redirects ./redirects.json\n  $ edgelite ls   # the stores, with their ids and key counts");
  kvs
    .command("import")
    .description('Put every key of a CloudFront import file ({"data":[{"key","value"},…]}) into a store.')
    .argument("<store>", "the store's name")
    .argument("<file>", "the import file")
    .option("--endpoint <url>", "the edgelite server (default: AWS_ENDPOINT_URL, then http://127.0.0.1:4599)")
    .addHelpText(
      "after",
      "\nExamples:\n  $ edgelite kvs import redirects ./redirects.json\n  $ edgelite kvs import redirects ./redirects.json --endpoint http://127.0.0.1:4600\n\nCreateKeyValueStore also takes the file directly, from a folder the server was started with\n(edgelite serve --import-dir <folder>): ImportSource {SourceType: S3, SourceARN: file:///abs/folder/path.json}.\n" +
        "With AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY set, requests are signed (SigV4, SigV4A for the data plane), as a server started with --auth requires.",
    )
    .action(async (store: string, file: string, options: { endpoint?: string }) => {
      await importKeys(store, file, endpointOf(options.endpoint));
    });
}

/**
 * The keys of an import file the user named (`flag`, when there is one, starts its messages: "--kvs"):
 * a file that cannot be read is EXIT.noInput, one whose content is wrong EXIT.dataError. The same reader
 * as CreateKeyValueStore's (a regular file of at most 5 MB), without its folder rule: the user named this
 * file on their own command line.
 */
export async function readKvsFile(file: string, flag?: string): Promise<Array<[string, string]>> {
  let text: string;
  try {
    text = await readImportFile(file, file);
  } catch (error) {
    throw asCliError(error, flag, EXIT.noInput);
  }
  try {
    return parseImportFile(text, file);
  } catch (error) {
    throw asCliError(error, flag, EXIT.dataError);
  }
}

function asCliError(error: unknown, flag: string | undefined, exitCode: typeof EXIT.noInput | typeof EXIT.dataError): unknown {
  return error instanceof CloudFrontError ? new CliError(flag ? `${flag}: ${error.message}` : error.message, exitCode) : error;
}

async function importKeys(storeName: string, file: string, endpoint: string): Promise<void> {
  const paint = colour(process.stdout);
  const entries = await readKvsFile(file);
  const send = signedFetch(endpoint);
  const described = await send("cloudfront", `${endpoint}/2020-05-31/key-value-store/${encodeURIComponent(storeName)}`);
  const text = await described.text();
  if (!described.ok) throw refused(storeName, /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? described.statusText, endpoint);
  const arn = /<ARN>([^<]+)<\/ARN>/.exec(text)?.[1];
  if (arn === undefined) throw new CliError(`${endpoint} answered DescribeKeyValueStore without an ARN; is it an edgelite server? Give its URL with --endpoint <url>.`, EXIT.unavailable);
  const base = `${endpoint}/key-value-stores/${encodeURIComponent(arn)}`;
  const store = await send("cloudfront-keyvaluestore", base);
  if (!store.ok) throw refused(storeName, (await messageOf(store)) ?? store.statusText, endpoint);
  let etag = store.headers.get("etag") ?? "";
  // Progress is redrawn in place on a terminal only; a pipe or a file gets the final line alone.
  const progress = process.stdout.isTTY === true;
  for (let start = 0; start < entries.length; start += KVS_MAX_BATCH_KEYS) {
    const batch = entries.slice(start, start + KVS_MAX_BATCH_KEYS);
    const response = await send("cloudfront-keyvaluestore", `${base}/keys`, {
      method: "POST",
      headers: { "content-type": "application/json", "if-match": etag },
      body: JSON.stringify({ Puts: batch.map(([Key, Value]) => ({ Key, Value })) }),
    });
    if (!response.ok) throw new CliError(`import into ${storeName} stopped after ${start} of ${entries.length} keys: ${(await messageOf(response)) ?? response.statusText}`, EXIT.failed);
    etag = response.headers.get("etag") ?? "";
    if (progress) process.stdout.write(`\r${paint.dim(`${Math.min(start + batch.length, entries.length)}/${entries.length} keys`)}`);
  }
  process.stdout.write(`${progress ? "\r\x1b[K" : ""}${paint.green("imported")} ${entries.length} key${entries.length === 1 ? "" : "s"} into ${storeName}\n`);
}

function refused(storeName: string, message: string, endpoint: string): CliError {
  return new CliError(`${storeName} (at ${endpoint}): ${message}`, EXIT.failed);
}

async function messageOf(response: Response): Promise<string | undefined> {
  try {
    const body = (await response.json()) as { Message?: unknown; message?: unknown };
    const message = body.Message ?? body.message;
    return typeof message === "string" ? message : undefined;
  } catch {
    return undefined;
  }
}
