import { ListDistributionsCommand, type CloudFrontClient } from "@aws-sdk/client-cloudfront";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { credentialsFromEnv, type AwsCredentials } from "../awsSigning.js";
import { cloudFrontClientAt, UNCHECKED_CREDENTIALS } from "../iac/engine/client.js";
import { UpEngine } from "../iac/engine/engine.js";
import { keyValueDataAt } from "../iac/engine/keyValueData.js";
import { printer, type LineSink } from "../iac/engine/print.js";
import { describeFailure, UpSession, type SynthOptions } from "../iac/engine/session.js";
import { sourceFilter } from "../iac/engine/sources.js";
import { runSynth } from "../iac/engine/synth.js";
import { LocalParameterStore } from "../iac/local/parameterStore.js";
import { LocalOrigins } from "../iac/origins/localOrigins.js";
import { CLOUDFRONT_HANDLERS } from "../iac/resources/index.js";
import { loadStacks, MISSING_INPUT, StackModel } from "../iac/template/index.js";
import { IacError } from "../iac/types.js";
import { endpointOf } from "./endpoint.js";
import { CliError, EXIT, unreachable } from "./failures.js";
import { colour, printable } from "./format.js";
import { createRequestLog, type RequestLog } from "./log.js";
import { startServing, type ServeOptions, type Serving } from "./serve.js";

/** `edgelite up`'s own flags, besides serve's. */
export interface UpOptions extends ServeOptions {
  stack?: string[];
  parameter?: Map<string, string>;
  import?: Map<string, string>;
  origin?: Map<string, string>;
  region: string;
  watch: boolean;
  synth?: string;
  endpoint?: string;
}

/** An IacError as the CLI tells it: the template's content (65), or a file that is not there (66). */
export function cliErrorOf(error: unknown): unknown {
  if (!(error instanceof IacError)) return error;
  return new CliError(error.message, error.code === MISSING_INPUT ? EXIT.noInput : EXIT.dataError);
}

/** Where a folder of the app is: a cdk.out folder's parent, the folder holding cdk.out, or a template's folder. */
function appFolderOf(path: string): string {
  const absolute = resolve(path);
  if (basename(absolute) === "cdk.out" || existsSync(join(absolute, "manifest.json"))) return dirname(absolute);
  if (existsSync(join(absolute, "cdk.out")) || existsSync(join(absolute, "cdk.json"))) return absolute;
  return dirname(absolute);
}

/** `edgelite up <path>`: start (or reach) a server, apply the stacks, then serve and, with --watch, follow changes. */
export async function runUp(path: string, options: UpOptions): Promise<void> {
  const paint = colour(process.stdout);
  const appFolder = appFolderOf(path);
  const synth = options.synth;
  if (synth !== undefined) {
    // As cdk watch does: what is applied first is what the app makes now, not an older cdk.out.
    const stderrPaint = colour(process.stderr);
    process.stderr.write(`${stderrPaint.dim(`synth: ${printable(synth)}`)}\n`);
    const result = await runSynth(synth, appFolder);
    if (!result.ok && !existsSync(resolve(path))) throw new CliError(`--synth "${synth}" failed (${result.status}), and there is no ${path} to bring up:\n${result.output}`, EXIT.dataError);
    if (!result.ok) process.stderr.write(`${stderrPaint.red("synth failed")} (${result.status}); bringing up the last ${path}:\n${result.output}\n`);
  }
  if (!existsSync(resolve(path))) {
    throw new CliError(`${path} does not exist: give a CloudFormation template (.json, .yaml, .yml, .template), a cdk.out folder (npx cdk synth makes it), or a CDK app folder holding one.`, EXIT.noInput);
  }
  const watch = options.watch || synth !== undefined;
  const load = () => loadStacks(path, { ...(options.stack ? { stacks: options.stack } : {}), region: options.region, accountId: options.accountId });
  if (!watch) {
    // A template that cannot be read fails before a server is started for it (--watch waits for a fix instead).
    try {
      load();
    } catch (error) {
      throw cliErrorOf(error);
    }
  }

  const s3Sources = options.endpoint === undefined ? new Map(options.s3 ?? []) : undefined;
  // The engine's own API calls are summed up by its lines; a call of anyone else's is logged as serve logs it.
  let engine: UpEngine | undefined;
  const { serving, log, endpoint, credentials, distributionUrls, workDir, removeWorkDir } = await startTarget(options, s3Sources, () => engine?.applying === true);
  const sink = lineSink(log, options.logFormat === "json");
  const report = printer({ sink, paint, printable, distributionUrls });
  const iacLog = { info: (message: string) => sink.info(printable(message), message), warn: (message: string) => sink.warn(paint.yellow(printable(message)), message) };
  const cloudfront = await cloudFrontClientAt(endpoint, credentials);
  const origins = new LocalOrigins({ originFlags: options.origin ?? new Map(), s3Flags: options.s3 ?? new Map(), s3Sources, workDir, log: iacLog, region: options.region, accountId: options.accountId });
  const cleanUp = async () => {
    session.close();
    cloudfront.destroy();
    await origins.close();
    if (removeWorkDir) rmSync(workDir, { recursive: true, force: true });
  };

  engine = new UpEngine({
    handlers: new Map([...CLOUDFRONT_HANDLERS, ...origins.handlers, ...new LocalParameterStore().handlers]),
    notEmulated: (stackName, logicalId, type, properties) => origins.notEmulated(stackName, logicalId, type, properties),
    context: { cloudfront, keyValueData: keyValueDataAt(endpoint, credentials), s3Objects: origins, origins, log: iacLog },
    planStack: (source, imports) => StackModel.build(source, { region: options.region, accountId: options.accountId, parameters: options.parameter ?? new Map(), imports }),
    imports: options.import ?? new Map(),
    report,
  });
  const synthOptions: SynthOptions | undefined =
    synth === undefined ? undefined : { command: synth, appFolder, filter: await sourceFilter(appFolder, [resolve(path), resolve(options.dataDir), join(appFolder, "cdk.out")]) };
  const session = new UpSession({
    load: () => {
      const loaded = load();
      origins.setAssets(loaded.assets);
      return loaded;
    },
    engine,
    report,
    ...(synthOptions ? { synth: synthOptions } : {}),
    // The path itself, and where a cloud assembly's manifest would appear in it.
    initialWatchPaths: [resolve(path), join(resolve(path), "manifest.json"), join(resolve(path), "cdk.out", "manifest.json")],
  });

  try {
    if (serving === undefined) await reachable(cloudfront, endpoint);
  } catch (error) {
    await cleanUp();
    throw error;
  }
  try {
    await session.applyOnce();
  } catch (error) {
    if (!watch) {
      await cleanUp();
      if (serving) await serving.running.close();
      throw cliErrorOf(error);
    }
    report.reloadFailed(describeFailure(error));
  }
  for (const { key, knownKeys } of origins.unmatchedOriginFlags()) {
    const known = knownKeys.length === 0 ? "no distribution here has origins" : `the origins here answer to ${knownKeys.slice(0, 12).join(", ")}${knownKeys.length > 12 ? ", …" : ""}`;
    iacLog.warn(`--origin ${key}=… matched no origin: a key is an origin's Id, its domain name, or the logical id of the resource its domain comes from (${known})`);
  }
  if (watch) {
    session.watch();
    sink.info(paint.dim(`watching ${printable(path)}${synth ? ` and the app's sources (${printable(synth)})` : ""}; Ctrl-C stops`), "watching", { path, ...(synth ? { synth } : {}) });
  }
  if (serving) {
    serving.stopOnSignals(cleanUp);
    return;
  }
  if (!watch) {
    await cleanUp();
    return;
  }
  const stop = () => void cleanUp().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

/** Where `up` applies: the server it starts (serve's flags), or the one at --endpoint. */
interface Target {
  readonly serving?: Serving;
  readonly log: RequestLog;
  readonly endpoint: string;
  readonly credentials: AwsCredentials;
  distributionUrls(id: string, domainName: string): { url: string; plainUrl?: string };
  /** Where deployments are materialized: <data dir>/up (with --endpoint, ./.edgelite/up), or with --in-memory a temporary folder removed on exit. */
  readonly workDir: string;
  readonly removeWorkDir: boolean;
}

async function startTarget(options: UpOptions, s3Sources: Map<string, string> | undefined, hideApiRequest: () => boolean): Promise<Target> {
  if (options.endpoint !== undefined) {
    const endpoint = endpointOf(options.endpoint);
    const port = new URL(endpoint).port;
    return {
      log: createRequestLog({ format: options.logFormat, quiet: true }),
      endpoint,
      credentials: credentialsFromEnv(process.env) ?? UNCHECKED_CREDENTIALS,
      distributionUrls: (_id, domainName) => ({ url: `http://${domainName}${port ? `:${port}` : ""}/` }),
      // Kept after up exits: the running server is told to serve its deployments with --s3 <bucket>=<folder here>.
      workDir: join(resolve(options.dataDir), "up"),
      removeWorkDir: false,
    };
  }
  const serving = await startServing(options, { ...(s3Sources ? { s3Sources } : {}), announceCreated: false, hideApiRequest });
  const { running } = serving;
  // Signed with the server's own --auth key when it has one.
  const [first] = serving.access.credentials ?? new Map<string, string>();
  return {
    serving,
    log: serving.log,
    endpoint: running.url,
    credentials: first ? { accessKeyId: first[0], secretAccessKey: first[1] } : (credentialsFromEnv(process.env) ?? UNCHECKED_CREDENTIALS),
    distributionUrls: (id, domainName) => {
      const plainUrl = running.plainUrl(id);
      return { url: running.distributionUrl(domainName), ...(plainUrl ? { plainUrl } : {}) };
    },
    workDir: options.inMemory ? mkdtempSync(join(tmpdir(), "edgelite-up-")) : join(resolve(options.dataDir), "up"),
    removeWorkDir: options.inMemory,
  };
}

/** With --endpoint: the server must answer before anything is applied (else every resource would fail alike). */
async function reachable(cloudfront: CloudFrontClient, endpoint: string): Promise<void> {
  try {
    await cloudfront.send(new ListDistributionsCommand({ MaxItems: 1 }));
  } catch (error) {
    if (typeof (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === "number") return;
    throw unreachable(endpoint, error);
  }
}

/** The engine's lines through the request log: warnings on stderr when pretty, a `level: warn`-marked line when JSON. */
function lineSink(log: RequestLog, json: boolean): LineSink {
  return {
    info: (text, msg, fields) => log.info(text, msg, fields),
    warn: (text, msg, fields) => {
      if (json) log.info(text, msg, { ...fields, warning: true });
      else process.stderr.write(`${text}\n`);
    },
  };
}
