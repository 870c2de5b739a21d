import { Option, type Command } from "commander";
import { realpathSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseRuntimeName } from "../runtime/types.js";
import { writeDistributionConfig } from "../api/cloudfront/distributionConfigXml.js";
import { HTTP_METHODS, type DistributionConfig, type Origin } from "../service/distributionConfigModel.js";
import { startServer, type RunningServer } from "../server.js";
import { MemoryStore } from "../store/memory.js";
import { collectAllowedHost, reachableFromNetwork } from "./access.js";
import { colour } from "./format.js";
import { CliError, EXIT, readInputFile } from "./failures.js";
import { installProcessGuard } from "./guard.js";
import { devFunctionErrorPage } from "./devErrorPage.js";
import { createRequestLog, LOG_FORMATS, type LogFormat, type RequestLog } from "./log.js";
import { collectOriginCa, parseCountry, parsePort } from "./parse.js";
import { reloadKeyValueStore } from "./dev/kvs.js";
import { distinctNames, nameForFile } from "./dev/names.js";
import { deployVersion, fileLine, type DevLine } from "./dev/outcome.js";
import { watchFile } from "./dev/watch.js";

interface DevOptions {
  viewerResponse?: string;
  origin: string;
  port: number;
  host: string;
  runtime: string;
  kvs?: string;
  logFormat: LogFormat;
  viewerCountry: string;
  allowedHost?: string[];
  cloudfrontErrors?: boolean;
  originCa?: string[];
}

const DEV_DOMAIN = "dev.cloudfront.localhost";
/** The bucket name a folder given as --origin is served under (as an S3 origin). */
const DEV_BUCKET = "edgelite-dev-origin";

export function registerDev(program: Command): void {
  program
    .command("dev")
    .description("Serve your viewer-request (and viewer-response) function in front of a real origin, reloading on save.")
    .argument("<viewer-request.js>", "the viewer-request function")
    .option("--viewer-response <file.js>", "a viewer-response function")
    .requiredOption("--origin <url|folder>", "the origin: a URL (http://localhost:3000) or a folder served as an S3 bucket")
    .option("--port <port>", "port of the local edge", parsePort, 8080)
    .option("--host <host>", "interface to listen on", "127.0.0.1")
    .option("-r, --runtime <runtime>", "1.0 or 2.0", "2.0")
    .option("--kvs <file.json>", "a key value store for cf.kvs(), in CloudFront's import format (2.0)")
    .option("--viewer-country <code>", "the CloudFront-Viewer-Country your function sees (a request's X-Edgelite-Viewer-Country header overrides it)", parseCountry, "US")
    .option("--allowed-host <name>", "serve this Host too, besides localhost names, loopback addresses and --host (repeatable; .example.com allows subdomains)", collectAllowedHost)
    .option("--origin-ca <file.pem>", "trust this local CA's certificates for an https:// --origin, besides Node's own and NODE_EXTRA_CA_CERTS (repeatable)", collectOriginCa)
    .option("--cloudfront-errors", "answer a failed function with CloudFront's own 503 page instead of the development error page")
    .addOption(new Option("--log-format <format>", "request log: pretty (coloured lines) or json (one JSON object per line on stdout)").choices(LOG_FORMATS).default("pretty"))
    .addHelpText("after", "\nExample:\n  $ edgelite dev rewrite.js --origin http://localhost:3000\n  $ curl -i http://127.0.0.1:8080/blog/\n  $ edgelite dev rewrite.js --origin ./public   # a folder, served as an S3 origin (/ → index.html)\n  $ edgelite dev geo.js --origin http://localhost:3000 --viewer-country FR\n\nEverything is forwarded to the origin, and CloudFront-Viewer-* / CloudFront-Is-*-Viewer headers are added\n(like the Managed-AllViewerAndCloudFrontHeaders-2022-06 policy); nothing is cached.")
    .action(async (viewerRequest: string, options: DevOptions) => {
      await dev(viewerRequest, options);
    });
}

async function dev(viewerRequestFile: string, options: DevOptions): Promise<void> {
  const paint = colour(process.stdout);
  const runtime = parseRuntimeName(options.runtime);
  const folder = /^https?:\/\//i.test(options.origin) ? undefined : resolve(options.origin);
  if (folder !== undefined && !statSync(folder, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`--origin must be an http:// or https:// URL or a folder; ${options.origin} is neither`);
  }
  // The real path: the import reads only files whose real path lies in an allowed folder (its own, here).
  const kvsFile = options.kvs === undefined ? undefined : realFile(options.kvs, "--kvs");
  const log = createRequestLog({ format: options.logFormat });
  const say = (line: DevLine | undefined) => line && log.info(line.text, line.msg, line.fields);
  if (reachableFromNetwork(options.host)) {
    console.error(colour(process.stderr).red(`edgelite: WARNING: listening on ${options.host}, which other machines can reach: anyone who can connect to this port runs your functions and reaches ${options.origin} through them. Listen on 127.0.0.1 unless that is what you want.`));
  }
  const sources = [
    { file: viewerRequestFile, flag: "<viewer-request.js>", eventType: "viewer-request" as const },
    ...(options.viewerResponse ? [{ file: options.viewerResponse, flag: "--viewer-response", eventType: "viewer-response" as const }] : []),
  ];
  const names = distinctNames(sources.map(({ file }) => file));
  const functions = sources.map((source, i) => ({ ...source, name: names[i]!.name, code: readFunctionFile(source.file, source.flag) }));
  const server = await startServer({
    store: new MemoryStore(),
    host: options.host,
    port: options.port,
    edgeHost: DEV_DOMAIN,
    access: { allowedHosts: options.allowedHost ?? [] },
    onEdgeRequest: log.edge,
    onEdgeNotice: (notice) => log.notice(notice),
    ...(log.api ? { onRequest: log.api } : {}),
    viewerCountry: options.viewerCountry,
    ...(options.originCa ? { originCa: options.originCa } : {}),
    ...(options.cloudfrontErrors ? {} : { functionErrorPage: devFunctionErrorPage({ "viewer-request": viewerRequestFile, "viewer-response": options.viewerResponse }) }),
    // The --kvs file is imported through CreateKeyValueStore, which reads only from allowed folders.
    ...(kvsFile !== undefined ? { importDirs: [dirname(kvsFile)] } : {}),
    ...(folder !== undefined ? { s3Sources: new Map([[DEV_BUCKET, folder]]) } : {}),
  });
  // From here on an error that escapes a request is logged and the server keeps serving.
  installProcessGuard();
  const { app } = server;

  let kvs: { arn: string; file: string; initial: Buffer } | undefined;
  if (kvsFile !== undefined && options.kvs !== undefined) {
    const initial = Buffer.from(readInputFile(kvsFile, "--kvs file"), "utf8");
    const store = await app.importKeyValueStore({ name: nameForFile(kvsFile), comment: `edgelite dev: ${options.kvs}`, sourceUrl: pathToFileURL(kvsFile).href }).catch((error: unknown) => {
      throw new CliError(`--kvs ${options.kvs}: ${error instanceof Error ? error.message : String(error)} Fix the file and start again.`, EXIT.dataError);
    });
    kvs = { arn: store.arn, file: options.kvs, initial };
    log.info(paint.dim(`key value store ${nameForFile(kvsFile)} (${store.id}): ${store.itemCount} ${store.itemCount === 1 ? "key" : "keys"} from ${options.kvs}`), "key value store", { name: nameForFile(kvsFile), id: store.id, keys: store.itemCount, file: options.kvs });
  }

  const config = { comment: "edgelite dev", runtime, keyValueStoreArns: kvs && runtime === "cloudfront-js-2.0" ? [kvs.arn] : [] };
  for (const [i, { file, name, code }] of functions.entries()) {
    if (names[i]!.wanted !== name) log.info(paint.dim(`function ${name}: ${file} (${names[i]!.wanted} is taken by another file)`), "function renamed", { file, function: name, wanted: names[i]!.wanted });
    say(await deployVersion(app, { name, file, config, runtime, first: true }, code, paint));
  }

  const distributionConfig: DistributionConfig = {
    CallerReference: "edgelite-dev",
    Comment: "edgelite dev",
    Enabled: true,
    Aliases: [DEV_DOMAIN],
    ...(folder !== undefined ? { DefaultRootObject: "index.html" } : {}),
    Origins: [folder !== undefined ? folderOrigin() : urlOrigin(new URL(options.origin))],
    DefaultCacheBehavior: {
      TargetOriginId: "origin",
      ViewerProtocolPolicy: "allow-all",
      // Every method reaches the origin in dev (CloudFront's default, GET and HEAD only, would refuse a form's POST).
      AllowedMethods: { Items: [...HTTP_METHODS], CachedMethods: ["GET", "HEAD"] },
      FunctionAssociations: functions.map(({ name, eventType }) => ({ FunctionARN: app.functionArn(name), EventType: eventType })),
    },
  };
  await app.createDistribution(distributionConfig, writeDistributionConfig(distributionConfig));

  const watched = [...functions.map((f) => `${f.file} (function ${f.name})`), ...(kvs ? [kvs.file] : [])];
  log.info(
    `${paint.green("edgelite dev")} serving ${paint.bold(`${server.url}/`)} → ${options.origin} ${paint.dim(`(${runtime}, watching ${watched.join(", ")}; AWS API on the same port)`)}`,
    "serving",
    { url: `${server.url}/`, origin: options.origin, runtime, files: functions.map((f) => f.file), functions: functions.map((f) => f.name) },
  );

  const watches = functions.map(({ file, name, code }) =>
    watchFile(file, async (event) => say(event.kind === "changed" ? await deployVersion(app, { name, file, config, runtime, first: false }, event.content, paint) : fileLine(event, file, paint)), { initial: code }),
  );
  if (kvs !== undefined) {
    const { arn, file } = kvs;
    watches.push(watchFile(file, async (event) => say(event.kind === "changed" ? await reloadKeyValueStore(app, arn, file, event.content, paint) : fileLine(event, file, paint)), { initial: kvs.initial }));
  }
  stopOnSignals(server, log, () => watches.forEach((w) => w.close()));
}

/** A function file's bytes, or a CliError that says why it cannot be read (missing, a folder, a FIFO…). */
function readFunctionFile(file: string, flag: string): Buffer {
  return Buffer.from(readInputFile(file, flag === "--viewer-response" ? "--viewer-response file" : "function file"), "utf8");
}

function realFile(file: string, flag: string): string {
  try {
    return realpathSync(resolve(file));
  } catch {
    throw new Error(`${flag} ${file}: no such file`);
  }
}

function urlOrigin(origin: URL): Origin {
  const secure = origin.protocol === "https:";
  const port = origin.port ? Number(origin.port) : secure ? 443 : 80;
  return {
    Id: "origin",
    DomainName: origin.hostname.replace(/^\[|\]$/g, ""),
    OriginPath: origin.pathname === "/" ? "" : origin.pathname.replace(/\/$/, ""),
    CustomOriginConfig: { HTTPPort: port, HTTPSPort: port, OriginProtocolPolicy: secure ? "https-only" : "http-only" },
  };
}

function folderOrigin(): Origin {
  return { Id: "origin", DomainName: `${DEV_BUCKET}.s3.us-east-1.amazonaws.com`, S3OriginConfig: { OriginAccessIdentity: "" } };
}

function stopOnSignals(server: RunningServer, log: RequestLog, beforeClose: () => void): void {
  const stop = () => {
    beforeClose();
    void server.close().then(log.close).then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
