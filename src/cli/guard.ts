/**
 * The server process's last line of defence: an exception or rejection that escaped every request's own
 * handling is logged and the process keeps serving, instead of Node ending it (its default). Installed by
 * the CLI (`serve`, `dev`) only: a library must not change process-wide behaviour behind its user's back;
 * embedders of startServer decide for themselves.
 */
export function installProcessGuard(report: (line: string) => void = (line) => console.error(line)): void {
  const say = (kind: string, error: unknown) => {
    try {
      const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
      report(`edgelite: ${kind} (kept serving; please report this): ${text}`);
    } catch {
      // Nothing more can be done for an error that cannot even be described.
    }
  };
  process.on("uncaughtException", (error) => say("uncaught exception", error));
  process.on("unhandledRejection", (reason) => say("unhandled rejection", reason));
}
