import { Command } from "commander";
import { VERSION } from "../server.js";
import { registerServe } from "./serve.js";
import { registerTest } from "./test.js";
import { registerKvs } from "./kvs.js";
import { registerDev } from "./dev.js";

export function buildProgram(): Command {
  const program = new Command()
    .name("edgelite")
    .description("Amazon CloudFront Functions and KeyValueStore, locally: the CloudFront API on your machine, wire-compatible with the AWS SDKs, CLI and boto3.")
    .version(VERSION, "-v, --version")
    .showHelpAfterError("(run with --help for usage)");
  registerServe(program);
  registerTest(program);
  registerKvs(program);
  registerDev(program);
  program.addHelpText(
    "after",
    `
Quick start:
  $ npx edgelite serve                       # API on http://127.0.0.1:4599, data in ./.edgelite
  $ aws cloudfront create-function --endpoint-url http://127.0.0.1:4599 \\
      --name hello --function-config Comment=,Runtime=cloudfront-js-2.0 --function-code fileb://hello.js
  $ npx edgelite test hello.js --uri /index.html   # run a function file locally, no server`,
  );
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
