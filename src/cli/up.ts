import { InvalidArgumentError, type Command } from "commander";
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { addServeOptions, SERVER_FLAGS } from "./serve.js";
import type { UpOptions } from "./upRun.js";
import { usageError } from "./failures.js";

export const DEFAULT_REGION = "us-east-1";

/** `<key>=<value>` (repeatable flags): the first `=` splits, so values may hold more. */
function collectPair(what: string) {
  return (value: string, previous: Map<string, string> = new Map()): Map<string, string> => {
    const at = value.indexOf("=");
    if (at <= 0) throw new InvalidArgumentError(`expected ${what}, got "${value}"`);
    return new Map(previous).set(value.slice(0, at), value.slice(at + 1));
  };
}

/** `--origin <key>=<url|folder>`: an http(s) URL as given, a folder made absolute (it must exist). */
export function collectOrigin(value: string, previous: Map<string, string> = new Map()): Map<string, string> {
  const pairs = collectPair("<origin id, domain or logical id>=<http(s) URL or folder>")(value, previous);
  const key = value.slice(0, value.indexOf("="));
  const source = pairs.get(key)!;
  if (/^https?:\/\//i.test(source)) {
    try {
      new URL(source);
    } catch {
      throw new InvalidArgumentError(`${source} is not a URL`);
    }
    return pairs;
  }
  const folder = resolve(source);
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new InvalidArgumentError(`${source} is neither an http:// or https:// URL nor a folder`);
  return pairs.set(key, folder);
}

const collectStack = (value: string, previous: string[] = []) => [...previous, value];

/** An AWS region name such as us-east-1, eu-west-3, cn-north-1 or us-gov-west-1. */
export function parseRegion(value: string): string {
  if (!/^[a-z]{2}(-[a-z]+)+-[0-9]+$/.test(value)) throw new InvalidArgumentError(`expected a region such as us-east-1 or eu-west-3, got "${value}"`);
  return value;
}

export function registerUp(program: Command): void {
  const command = program
    .command("up")
    .description("Run a CloudFormation template or a CDK cloud assembly locally: start edgelite, create the stack's CloudFront resources, serve its distributions.")
    .argument("<path>", "a template (.json, .yaml, .yml, .template), a cdk.out folder, or a CDK app folder holding cdk.out")
    .option("--stack <name>", "bring up only this stack of a cloud assembly (repeatable; default: all)", collectStack)
    .option("--parameter <key=value>", "a template parameter's value (repeatable; overrides its Default)", collectPair("<parameter>=<value>"))
    .option("--import <name=value>", "the value Fn::ImportValue gets for an export no stack here makes (repeatable)", collectPair("<export name>=<value>"))
    .option("--origin <key=url|folder>", "serve an origin from a URL or a folder; key is the origin's Id, its domain name, or the logical id its domain comes from (repeatable)", collectOrigin)
    .option("--region <region>", "AWS::Region for the template (ARNs, domains, pseudo parameters)", parseRegion, DEFAULT_REGION)
    .option("--watch", "apply the template (or cloud assembly) again whenever it changes", false)
    .option("--synth <command>", 'run this command when the app\'s sources change (e.g. "npx cdk synth -q"), then apply what it made (implies --watch)')
    .option("--endpoint <url>", "apply to an edgelite server already running there instead of starting one (serve's server flags are then refused)");
  addServeOptions(command)
    .addHelpText(
      "after",
      `
Examples:
  $ npx cdk synth -q && edgelite up cdk.out
  $ edgelite up .                                   # a CDK app folder holding cdk.out
  $ edgelite up template.yaml --parameter Stage=dev --origin ApiOrigin=http://localhost:3000
  $ edgelite up cdk.out --stack SiteStack --origin media.example.com=./media
  $ edgelite up cdk.out --synth "npx cdk synth -q"  # re-synth and apply on every save of the app
  $ edgelite up template.yaml --watch --in-memory --port 4600
  $ edgelite up template.json --endpoint http://127.0.0.1:4599   # a server already running

What is created: AWS::CloudFront::Function, ::KeyValueStore, ::Distribution, ::CachePolicy,
::OriginRequestPolicy, ::ResponseHeadersPolicy, ::OriginAccessControl, and S3 buckets filled by CDK's
BucketDeployment (served from cdk.out's assets); SSM parameters are kept in memory for the template's
own readers (CDK's EdgeFunction). Every other resource is listed once as "not emulated" and skipped;
its Ref and Fn::GetAtt resolve to placeholders (domains under .invalid). An origin nothing local stands
for answers 502, and the log names the --origin flag to add. Running up again on the same --data-dir
takes over what the last run made.

--watch re-reads the template, or cdk.out's manifest.json and stack templates, once they settle, and
applies only what changed: new code is published, removed resources are deleted, a distribution's config
is updated. A template that fails to apply is reported and the last good state keeps serving.
--synth runs its command (through the shell, in the app's folder) when a source changes, as cdk watch
does: cdk.json's watch.include/exclude say which files, else all but cdk.out, node_modules and dot files.

Every serve flag works the same here (edgelite serve --help). With --endpoint, requests are signed with
AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY when set (as a server started with --auth requires).`,
    )
    .action(async (path: string, options: UpOptions, self: Command) => {
      refuseServerFlagsWithEndpoint(options, self);
      // Before the SDK loads (upRun.js and the handlers import it): its notice tells Node 20 users to upgrade.
      process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
      const { runUp } = await import("./upRun.js");
      await runUp(path, options);
    });
}

/** With --endpoint no server is started: a server flag the user gave would be silently ignored. */
function refuseServerFlagsWithEndpoint(options: UpOptions, command: Command): void {
  if (options.endpoint === undefined) return;
  const given = SERVER_FLAGS.filter((name) => command.getOptionValueSource(name) === "cli");
  if (given.length === 0) return;
  const flags = given.map((name) => command.options.find((option) => option.attributeName() === name)?.long ?? name);
  throw usageError(
    `${flags.join(", ")} ${given.length === 1 ? "shapes" : "shape"} the server edgelite up starts, and --endpoint starts none: give ${given.length === 1 ? "it" : "them"} to the edgelite serve running at ${options.endpoint}, or drop --endpoint.`,
  );
}
