import type { Command } from "commander";
import { parseRequestXml, type XmlNode } from "../api/xml.js";
import { CloudFrontError } from "../service/errors.js";
import { endpointOf, signedFetch, type SignedFetch } from "./endpoint.js";
import { CliError, EXIT } from "./failures.js";
import { colour, printable } from "./format.js";

/**
 * `edgelite ls`: what a running server holds — functions, key value stores, distributions — read through
 * the wire API (ListFunctions, ListKeyValueStores, ListDistributions and the data plane's
 * DescribeKeyValueStore for item counts), signed when credentials are set, as any client would.
 */

export interface FunctionEntry {
  name: string;
  stages: string[];
  status: string;
  runtime: string;
  comment: string;
}

export interface StoreEntry {
  name: string;
  id: string;
  status: string;
  /** From the data plane; undefined while the store is not READY or when the server did not say. */
  itemCount: number | undefined;
  comment: string;
}

export interface DistributionEntry {
  id: string;
  status: string;
  enabled: boolean;
  domainName: string;
  /** Where the local edge serves it: http://<DomainName>:<the endpoint's port>/ */
  url: string;
  /** Where it is served on its own port (`serve --distribution-ports`): http://<the endpoint's host>:<its port>/ */
  plainUrl?: string;
  comment: string;
}

export interface Listing {
  endpoint: string;
  functions: FunctionEntry[];
  keyValueStores: StoreEntry[];
  distributions: DistributionEntry[];
}

/** Pages followed per list at most (100 items a page): a guard against a server that never stops paging. */
const MAX_PAGES = 100;

export function registerLs(program: Command): void {
  program
    .command("ls")
    .description("List the functions, key value stores and distributions of a running edgelite server.")
    .option("--endpoint <url>", "the edgelite server (default: AWS_ENDPOINT_URL, then http://127.0.0.1:4599)")
    .option("--json", "print one JSON document (for scripts) instead of tables", false)
    .addHelpText(
      "after",
      `
Examples:
  $ edgelite ls
  $ edgelite ls --endpoint http://127.0.0.1:8080     # what edgelite dev serves
  $ edgelite ls --json | jq -r '.distributions[].url'

Each distribution is listed with the URLs the local edge serves it at: by its DomainName, and on its own
port (serve --distribution-ports) when it has one. With AWS_ACCESS_KEY_ID and
AWS_SECRET_ACCESS_KEY set, requests are signed, as a server started with --auth requires.`,
    )
    .action(async (options: { endpoint?: string; json: boolean }) => {
      const listing = await list(endpointOf(options.endpoint));
      process.stdout.write(options.json ? `${JSON.stringify(listing, null, 2)}\n` : render(listing));
    });
}

export async function list(endpoint: string): Promise<Listing> {
  const send = signedFetch(endpoint);
  const port = portOf(endpoint);
  const functionSummaries = await listAll(send, endpoint, "/2020-05-31/function", "FunctionList", "FunctionSummary");
  const storeSummaries = await listAll(send, endpoint, "/2020-05-31/key-value-store", "KeyValueStoreList", "KeyValueStore");
  const distributionSummaries = await listAll(send, endpoint, "/2020-05-31/distribution", "DistributionList", "DistributionSummary");
  const edgePorts = await edgePortsOf(send, endpoint);

  const functions = new Map<string, FunctionEntry>();
  for (const summary of functionSummaries) {
    const name = text(summary, "Name");
    const stage = text(child(summary, "FunctionMetadata"), "Stage");
    const config = child(summary, "FunctionConfig");
    const known = functions.get(name);
    if (known) {
      known.stages.push(stage);
      // The DEVELOPMENT stage holds the newest configuration.
      if (stage === "DEVELOPMENT") known.runtime = text(config, "Runtime");
      continue;
    }
    functions.set(name, { name, stages: [stage], status: text(summary, "Status"), runtime: text(config, "Runtime"), comment: text(config, "Comment") });
  }

  const keyValueStores: StoreEntry[] = [];
  for (const summary of storeSummaries) {
    const status = text(summary, "Status");
    const arn = text(summary, "ARN");
    keyValueStores.push({
      name: text(summary, "Name"),
      id: text(summary, "Id"),
      status,
      itemCount: status === "READY" && arn ? await itemCount(send, endpoint, arn) : undefined,
      comment: text(summary, "Comment"),
    });
  }

  const distributions = distributionSummaries.map((summary): DistributionEntry => {
    const domainName = text(summary, "DomainName");
    const id = text(summary, "Id");
    const edgePort = edgePorts.get(id);
    return {
      id,
      status: text(summary, "Status"),
      enabled: text(summary, "Enabled") === "true",
      domainName,
      url: `http://${domainName}:${port}/`,
      ...(edgePort !== undefined ? { plainUrl: `http://${new URL(endpoint).hostname}:${edgePort}/` } : {}),
      comment: text(summary, "Comment"),
    };
  });
  return { endpoint, functions: [...functions.values()], keyValueStores, distributions };
}

type XmlObject = { [name: string]: XmlNode | XmlNode[] };

async function listAll(send: SignedFetch, endpoint: string, path: string, root: string, itemName: string): Promise<XmlObject[]> {
  const items: XmlObject[] = [];
  let marker = "";
  for (let page = 0; page < MAX_PAGES; page++) {
    const response = await send("cloudfront", `${endpoint}${path}${marker ? `?Marker=${encodeURIComponent(marker)}` : ""}`);
    const body = Buffer.from(await response.arrayBuffer());
    if (!response.ok) throw refusal(endpoint, response.status, body.toString("utf8"));
    const list = parse(body, root, endpoint);
    const listed = child(list, "Items")[itemName];
    for (const item of listed === undefined ? [] : Array.isArray(listed) ? listed : [listed]) if (typeof item === "object") items.push(item);
    marker = text(list, "NextMarker");
    if (!marker) return items;
  }
  return items;
}

/**
 * Each distribution's own port, by id, from edgelite's `/_edgelite/distributions` (CloudFront's XML has no
 * field for it; src/api/edgelite/distributions.ts). Empty from a server without it (edgelite dev, an older one).
 */
async function edgePortsOf(send: SignedFetch, endpoint: string): Promise<Map<string, number>> {
  const ports = new Map<string, number>();
  const response = await send("cloudfront", `${endpoint}/_edgelite/distributions`);
  if (!response.ok) return ports;
  const body = (await response.json().catch(() => undefined)) as { Distributions?: unknown } | undefined;
  if (!Array.isArray(body?.Distributions)) return ports;
  for (const item of body.Distributions as unknown[]) {
    const { Id: id, EdgePort: port } = (item ?? {}) as { Id?: unknown; EdgePort?: unknown };
    if (typeof id === "string" && typeof port === "number" && Number.isInteger(port)) ports.set(id, port);
  }
  return ports;
}

async function itemCount(send: SignedFetch, endpoint: string, arn: string): Promise<number | undefined> {
  const response = await send("cloudfront-keyvaluestore", `${endpoint}/key-value-stores/${encodeURIComponent(arn)}`);
  if (!response.ok) return undefined;
  const body = (await response.json().catch(() => undefined)) as { ItemCount?: unknown } | undefined;
  return typeof body?.ItemCount === "number" ? body.ItemCount : undefined;
}

function parse(body: Buffer, root: string, endpoint: string): XmlObject {
  try {
    return parseRequestXml(body, root);
  } catch (error) {
    if (error instanceof CloudFrontError) throw new CliError(`${endpoint} did not answer as an edgelite server does (expected <${root}>); give the server's URL with --endpoint <url>.`, EXIT.unavailable);
    throw error;
  }
}

function refusal(endpoint: string, status: number, body: string): CliError {
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1];
  const signing = status === 403 && !(process.env.AWS_ACCESS_KEY_ID && process.env.AWS_SECRET_ACCESS_KEY)
    ? " If the server was started with --auth, set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to one of its key pairs."
    : "";
  return new CliError(`${endpoint} refused the request (${status}${code ? ` ${code}` : ""}${message ? `: ${message}` : ""}).${signing}`, EXIT.failed);
}

function child(node: XmlObject | undefined, name: string): XmlObject {
  const value = node?.[name];
  return typeof value === "object" && !Array.isArray(value) ? value : {};
}

function text(node: XmlObject | undefined, name: string): string {
  const value = node?.[name];
  return typeof value === "string" ? value : "";
}

/** The endpoint's port (endpointOf has checked it is an http(s) URL). */
function portOf(endpoint: string): string {
  const url = new URL(endpoint);
  return url.port || (url.protocol === "https:" ? "443" : "80");
}

/** The listing as aligned tables, one per kind; an empty kind says so in one line. */
export function render(listing: Listing, paint = colour(process.stdout)): string {
  const sections = [
    table(
      "functions",
      ["NAME", "STAGES", "STATUS", "RUNTIME", "COMMENT"],
      listing.functions.map((f) => [f.name, f.stages.join(","), f.status, f.runtime, f.comment]),
    ),
    table(
      "key value stores",
      ["NAME", "ID", "STATUS", "ITEMS", "COMMENT"],
      listing.keyValueStores.map((s) => [s.name, s.id, s.status, s.itemCount === undefined ? "-" : String(s.itemCount), s.comment]),
    ),
    table(
      "distributions",
      ["ID", "STATUS", "DOMAIN", "URL", "PLAIN URL", "COMMENT"],
      listing.distributions.map((d) => [d.id, d.enabled ? d.status : `${d.status} (disabled)`, d.domainName, d.url, d.plainUrl ?? "-", d.comment]),
    ),
  ];
  return sections.map(({ title, lines }) => [paint.bold(title), ...lines].map((line) => `${line}\n`).join("")).join("\n");

  function table(title: string, header: string[], rows: string[][]): { title: string; lines: string[] } {
    if (rows.length === 0) return { title: `${title} (none)`, lines: [] };
    // Values come from the server: shown, never obeyed by the terminal.
    const cells = rows.map((row) => row.map(printable));
    const widths = header.map((name, i) => Math.max(name.length, ...cells.map((row) => row[i]!.length)));
    const line = (row: string[]) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ").trimEnd();
    return { title: `${title} (${rows.length})`, lines: [paint.dim(line(header)), ...cells.map(line)] };
  }
}
