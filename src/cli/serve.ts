import { Option, type Command } from "commander";
import { DEFAULT_KVS_PROVISIONING_MS, DEFAULT_MAX_FUNCTIONS_PER_ACCOUNT, DEFAULT_MAX_KEY_VALUE_STORES_PER_ACCOUNT } from "../limits.js";
import { DEFAULT_ACCOUNT_ID } from "../compose.js";
import { DEFAULT_CACHE_BYTES } from "../edge/cache/store.js";
import type { AccessOptions } from "../api/access/guard.js";
import { startServer, type RunningServer } from "../server.js";
import { openStore } from "../store/index.js";
import { accessOptions, collectAllowedHost, collectAuth, collectCorsOrigin, exposureWarning, type AccessFlags } from "./access.js";
import { colour } from "./format.js";
import { installProcessGuard } from "./guard.js";
import { createRequestLog, LOG_FORMATS, type LogFormat, type RequestLog } from "./log.js";
import { DEFAULT_DISTRIBUTION_PORTS, formatRange, type PortRange } from "../distributionPorts.js";
import { collectImportDir, collectS3Source, parseAccountId, parseCacheSize, parseCountry, parseDistributionPorts, parseInteger, parsePort, collectOriginCa } from "./parse.js";

const MB = 1024 * 1024;

/** serve's flags, as Commander gives them (`up` shares them). */
export interface ServeOptions extends AccessFlags {
  host: string;
  port: number;
  dataDir: string;
  inMemory: boolean;
  accountId: string;
  maxFunctions: number;
  maxKeyValueStores: number;
  kvsProvisioningMs: number;
  quiet: boolean;
  logFormat: LogFormat;
  s3?: Map<string, string>;
  importDir?: string[];
  forwardAll: boolean;
  viewerCountry: string;
  distributionPorts: PortRange;
  originCa?: string[];
  /** Commander's `--no-cache`: false turns the edge cache off. */
  cache: boolean;
  cacheSize: number;
}

export function registerServe(program: Command): void {
  const command = program
    .command("serve")
    .description("Run the CloudFront API (REST-XML 2020-05-31) on one port, backed by SQLite or memory.");
  addServeOptions(command)
    .addHelpText(
      "after",
      `
Examples:
  $ edgelite serve
  $ edgelite serve --port 4600 --data-dir /tmp/cf --account-id 111122223333
  $ aws cloudfront list-functions --endpoint-url http://127.0.0.1:4599
  $ edgelite serve --log-format json | jq 'select(.status >= 400)'
  $ edgelite serve --s3 my-site-bucket=./public --s3 media=http://localhost:9000/media
  $ edgelite serve --host 0.0.0.0 --allowed-host devbox.lan --auth AKIDEDGELITE:s3cret
  $ edgelite serve --import-dir ./kvs-data   # then ImportSource SourceARN=file:///abs/path/kvs-data/redirects.json

Point any AWS client at the printed URL (endpoint override); credentials and region can be anything,
unless --auth is given: then requests must be signed with one of its key pairs (AWS_ACCESS_KEY_ID /
AWS_SECRET_ACCESS_KEY). The API answers only localhost names, loopback addresses, --host and
--allowed-host, and refuses requests from web pages unless their origin is given with --cors.
A distribution is served on the same port at http://<its DomainName>:<port>/ (DomainNames end in
.cloudfront.localhost, which browsers resolve to this machine), and on a port of its own from
--distribution-ports (default ${formatRange(DEFAULT_DISTRIBUTION_PORTS)}) at http://127.0.0.1:<its port>/, for clients that
cannot resolve those names or set a Host (Node's fetch, curl, autocannon); a data dir keeps each port. Origins get what the behaviour's cache
and origin request policies forward (AWS's managed policies are known by id); --forward-all sends
everything, like Managed-AllViewer. Responses are cached as the behaviour's cache policy (or legacy TTLs)
says, in memory (--cache-size, 256 MB by default); --no-cache turns the cache off. An S3 origin (<bucket>.s3.<region>.amazonaws.com) needs --s3.
API callers can make edgelite read files only through --import-dir: regular files inside those folders
(symbolic links resolved), at most 5 MB each.`,
    )
    .action(async (options: ServeOptions) => {
      await serve(options);
    });
}

/** serve's flags, on `command` (`serve`, and `up`, which starts the same server). */
export function addServeOptions(command: Command): Command {
  return command
    .option("--host <host>", "interface to listen on", "127.0.0.1")
    .option("--port <port>", "port to listen on (0 picks a free one)", parsePort, 4599)
    .addOption(
      new Option("--distribution-ports <from>-<to>", "serve each distribution on a port of its own from this range too (http://127.0.0.1:<port>/, kept across restarts)")
        .argParser(parseDistributionPorts)
        .default(DEFAULT_DISTRIBUTION_PORTS, formatRange(DEFAULT_DISTRIBUTION_PORTS)),
    )
    .option("--data-dir <dir>", "where the SQLite database lives", "./.edgelite")
    .option("--in-memory", "keep everything in memory; nothing is written to disk", false)
    .option("--account-id <id>", "12-digit AWS account id used in ARNs", parseAccountId, DEFAULT_ACCOUNT_ID)
    .option("--max-functions <n>", "functions allowed per account (CloudFront's default quota)", parseInteger, DEFAULT_MAX_FUNCTIONS_PER_ACCOUNT)
    .option("--max-key-value-stores <n>", "key value stores allowed per account", parseInteger, DEFAULT_MAX_KEY_VALUE_STORES_PER_ACCOUNT)
    .option("--kvs-provisioning-ms <ms>", "how long a new key value store stays PROVISIONING (AWS: ~35000)", parseInteger, DEFAULT_KVS_PROVISIONING_MS)
    .option("--s3 <bucket=source>", "serve an S3 origin's bucket from a local folder or an S3-compatible URL (repeatable)", collectS3Source)
    .option("--origin-ca <file.pem>", "trust this local CA's certificates for HTTPS origins, besides Node's own and NODE_EXTRA_CA_CERTS (repeatable)", collectOriginCa)
    .option("--import-dir <folder>", "let CreateKeyValueStore read file:// import sources from this folder (repeatable; off by default)", collectImportDir)
    .option("--forward-all", "forward every header, cookie and query string to origins, whatever the cache and origin request policies say", false)
    .option("--viewer-country <code>", "the viewers' country at the edge (geographic restrictions, CloudFront-Viewer-Country); a request's X-Edgelite-Viewer-Country header overrides it", parseCountry, "US")
    .option("--cache-size <MB>", "the edge cache's memory, in megabytes (least recently used objects go first)", parseCacheSize, DEFAULT_CACHE_BYTES / MB)
    .option("--no-cache", "cache nothing at the edge: every request goes to the origin (X-Cache: Miss)")
    .option("--auth <key:secret>", "require AWS-signed requests (SigV4 / SigV4A) by this access key and secret (repeatable; or EDGELITE_AUTH=key:secret,…)", collectAuth)
    .option("--allowed-host <name>", "answer the API for this Host too, besides localhost names, loopback addresses and --host (repeatable; .example.com allows subdomains)", collectAllowedHost)
    .option("--cors <origin>", "let web pages at this origin (e.g. http://localhost:3000) call the API from a browser (repeatable)", collectCorsOrigin)
    .option("-q, --quiet", "do not log each request", false)
    .addOption(new Option("--log-format <format>", "request log: pretty (coloured lines) or json (one JSON object per line on stdout)").choices(LOG_FORMATS).default("pretty"));
}

/**
 * The flags that shape the server edgelite starts (by their Commander attribute names): meaningless when a
 * command talks to one already running (`up --endpoint`). The rest (--s3, --account-id, --log-format) mean
 * something to the client too.
 */
export const SERVER_FLAGS = [
  "host", "port", "distributionPorts", "dataDir", "inMemory", "maxFunctions", "maxKeyValueStores", "kvsProvisioningMs", "originCa",
  "importDir", "forwardAll", "viewerCountry", "cacheSize", "cache", "auth", "allowedHost", "cors", "quiet",
] as const;

async function serve(options: ServeOptions): Promise<void> {
  const serving = await startServing(options);
  for await (const distribution of serving.running.app.distributions()) {
    if (distribution.enabled) serving.announce(distribution.id, serving.running.distributionUrl(distribution.domainName), serving.running.plainUrl(distribution.id));
  }
  serving.stopOnSignals();
}

/** A server `serve` (or `up`) started, with its log. */
export interface Serving {
  readonly running: RunningServer;
  readonly log: RequestLog;
  readonly access: AccessOptions;
  /** serve's line for a distribution and where it is served. */
  announce(id: string, url: string, plainUrl: string | undefined): void;
  /** Ctrl-C and SIGTERM finish in-flight requests, run `beforeClose`, then end the process (twice: at once). */
  stopOnSignals(beforeClose?: () => Promise<void> | void): void;
}

export interface ServingHooks {
  /** The edge's S3 sources, as a Map the caller keeps changing (`up`'s deployments); else --s3's. */
  s3Sources?: Map<string, string>;
  /** Whether an API request's log line is left out (`up`'s own calls while it applies a template). */
  hideApiRequest?: () => boolean;
  /** Whether each new distribution's line is written as it is created (`up` writes them after its outputs). */
  announceCreated?: boolean;
}

/** Opens the store and starts the server as serve's flags say, then writes the listening line. */
export async function startServing(options: ServeOptions, hooks: ServingHooks = {}): Promise<Serving> {
  const access = accessOptions(options);
  const warning = exposureWarning(options.host, (access.credentials?.size ?? 0) > 0);
  if (warning) console.error(colour(process.stderr).red(warning));
  const store = openStore({ inMemory: options.inMemory, dataDir: options.dataDir });
  const paint = colour(process.stdout);
  const log = createRequestLog({ format: options.logFormat, quiet: options.quiet });
  const announce = (id: string, url: string, plainUrl: string | undefined) =>
    log.info(`${paint.green("distribution")} ${id} serving at ${paint.bold(url)}${plainUrl ? ` and ${paint.bold(plainUrl)}` : ""}`, "distribution", { id, url, ...(plainUrl ? { plainUrl } : {}) });
  const s3Sources = hooks.s3Sources ?? options.s3;
  const running = await startServer({
    store,
    host: options.host,
    port: options.port,
    accountId: options.accountId,
    maxFunctions: options.maxFunctions,
    maxKeyValueStores: options.maxKeyValueStores,
    kvsProvisioningMs: options.kvsProvisioningMs,
    onRequest: log.api && hooks.hideApiRequest ? apiLogUnless(log.api, hooks.hideApiRequest) : log.api,
    onEdgeRequest: log.edge,
    onEdgeNotice: (notice) => log.notice(notice),
    ...(hooks.announceCreated === false ? {} : { onDistributionCreated: ({ id, url, plainUrl }: { id: string; url: string; plainUrl?: string }) => announce(id, url, plainUrl) }),
    distributionPorts: options.distributionPorts,
    ...(options.originCa ? { originCa: options.originCa } : {}),
    onDistributionPortNotice: (message) => log.info(`${paint.yellow("distribution port")} ${message}`, "distribution port", { message }),
    ...(s3Sources ? { s3Sources } : {}),
    importDirs: options.importDir ?? [],
    forwardAll: options.forwardAll,
    viewerCountry: options.viewerCountry,
    cache: options.cache ? { maxBytes: options.cacheSize * MB } : false,
    access,
  });
  // From here on an error that escapes a request is logged and the server keeps serving.
  installProcessGuard();
  const storage = store.kind === "memory" ? "in memory" : `SQLite ${store.location}`;
  const keys = access.credentials?.size ?? 0;
  const signed = keys > 0 ? `, signed requests only (${keys} key${keys === 1 ? "" : "s"})` : "";
  log.info(`${paint.green("edgelite")} listening on ${paint.bold(running.url)} ${paint.dim(`(${storage}, account ${options.accountId}${signed})`)}`, "listening", {
    url: running.url,
    storage: store.kind,
    ...(store.kind === "memory" ? {} : { location: store.location }),
    accountId: options.accountId,
    authenticated: keys > 0,
  });
  return { running, log, access, announce, stopOnSignals: (beforeClose) => stopOnSignals(running, log, beforeClose) };
}

function apiLogUnless(write: NonNullable<RequestLog["api"]>, hide: () => boolean): NonNullable<RequestLog["api"]> {
  return (entry) => {
    if (!hide()) write(entry);
  };
}

function stopOnSignals(running: RunningServer, log: RequestLog, beforeClose?: () => Promise<void> | void): void {
  const paint = colour(process.stderr);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`edgelite: ${signal} again, exiting now`);
      process.exit(130);
    }
    stopping = true;
    console.error(paint.dim(`edgelite: ${signal}, finishing in-flight requests…`));
    Promise.resolve()
      .then(beforeClose)
      .then(() => running.close())
      .then(log.close)
      .then(
        () => {
          console.error(paint.dim("edgelite: stopped"));
          process.exit(0);
        },
        (error: unknown) => {
          console.error("edgelite: error while stopping", error);
          process.exit(1);
        },
      );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
