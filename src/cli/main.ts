import { Command } from "commander";
import { VERSION } from "../server.js";
import { registerServe } from "./serve.js";
import { registerTest } from "./test.js";
import { registerKvs } from "./kvs.js";
import { registerDev } from "./dev.js";
import { registerLs } from "./ls.js";
import { registerUp } from "./up.js";
import { EXIT, reportFailure } from "./failures.js";

export const EXIT_CODES_HELP = `
Exit status:
  0   done (test: the function ran and production would accept its result)
  1   test: the function failed; kvs, ls: the server refused the request
  2   test: the function ran but production would reject its result (a 502)
  64  a command line mistake (unknown flag, a value that means nothing)
  65  an input file's content is wrong (invalid JSON, not an event, a template up cannot apply)
  66  an input file is missing, unreadable or a folder
  69  no server at the endpoint, or the port is already in use
  70  a bug in edgelite (the error is printed with its stack: please report it)
  73  the data directory or its database cannot be used`;

export function buildProgram(): Command {
  const program = new Command()
    .name("edgelite")
    .description("Amazon CloudFront Functions and KeyValueStore, locally: the CloudFront API on your machine, wire-compatible with the AWS SDKs, CLI and boto3.")
    .version(VERSION, "-v, --version")
    .showHelpAfterError("(run with --help for usage)")
    // Commander's own exits (help, usage errors) come back as a CommanderError, told by failures.ts.
    .exitOverride();
  registerServe(program);
  registerTest(program);
  registerKvs(program);
  registerDev(program);
  registerLs(program);
  registerUp(program);
  program.addHelpText(
    "after",
    `
Quick start:
  $ npx edgelite serve                       # API on http://127.0.0.1:4599, data in ./.edgelite
  $ aws cloudfront create-function --endpoint-url http://127.0.0.1:4599 \\
      --name hello --function-config Comment=,Runtime=cloudfront-js-2.0 --function-code fileb://hello.js
  $ npx edgelite test hello.js --uri /index.html   # run a function file locally, no server
  $ npx edgelite ls                          # what the running server holds
  $ npx edgelite up cdk.out                  # your CDK app's (or template's) CloudFront stack, served locally
${EXIT_CODES_HELP}

Run edgelite <command> --help for a command's flags and examples.`,
  );
  return program;
}

/** Parses the command line and runs the command; a failure is thrown (see runCli for the printed form). */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  if (argv.length <= 2) {
    program.outputHelp();
    return;
  }
  await program.parseAsync(argv);
}

/**
 * The CLI's entry point (bin/edgelite.js): runs the command and answers its exit status, and whether it
 * failed (then the caller ends the process: a half-started server must not keep it alive). Every failure
 * is printed once, in failures.ts's words. A long-running command (serve, dev) resolves when it is up.
 */
export async function runCli(argv: string[]): Promise<{ exitCode: number; failed: boolean }> {
  try {
    await main(argv);
    return { exitCode: typeof process.exitCode === "number" ? process.exitCode : EXIT.ok, failed: false };
  } catch (error) {
    return { exitCode: reportFailure(error), failed: true };
  }
}
