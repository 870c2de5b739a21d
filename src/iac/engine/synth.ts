import { spawn } from "node:child_process";

/** The end of a failed synth's stderr that is kept and printed (a stack trace of a CDK app is long). */
export const SYNTH_STDERR_MAX_BYTES = 64 * 1024;

export interface SynthResult {
  readonly ok: boolean;
  /** The exit status, or the signal that ended it. */
  readonly status: string;
  /** The end of what it wrote on stderr (and stdout, which `cdk synth -q` keeps for errors too). */
  readonly output: string;
  readonly durationMs: number;
}

/** Runs `--synth`'s command through the shell in `cwd`, as the user would type it. */
export function runSynth(command: string, cwd: string): Promise<SynthResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, { cwd, shell: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CDK_DISABLE_VERSION_CHECK: process.env.CDK_DISABLE_VERSION_CHECK ?? "1" } });
    let output = Buffer.alloc(0);
    const keep = (chunk: Buffer) => {
      output = Buffer.concat([output, chunk]);
      if (output.length > SYNTH_STDERR_MAX_BYTES) output = output.subarray(output.length - SYNTH_STDERR_MAX_BYTES);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", (error) => resolve({ ok: false, status: error.message, output: output.toString("utf8"), durationMs: Date.now() - started }));
    child.on("close", (code, signal) =>
      resolve({ ok: code === 0, status: signal !== null ? `signal ${signal}` : `exit status ${code ?? "?"}`, output: output.toString("utf8").trimEnd(), durationMs: Date.now() - started }),
    );
  });
}
