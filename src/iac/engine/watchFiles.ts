import { statSync, watch, type FSWatcher, type Stats } from "node:fs";
import { stat } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import { settler } from "../../settle.js";

/**
 * Quiet time after the last event before a change is acted on: `cdk synth` writes the stack templates, then
 * manifest.json, within a few milliseconds of each other; an editor's save is several events.
 */
export const WATCH_DEBOUNCE_MS = 120;
/** The stat poll behind fs.watch (file systems whose events do not reach us, a cdk.out replaced by a rename). */
export const WATCH_POLL_MS = 250;

export interface Watch {
  close(): void;
}

/**
 * Calls `onChange` once a set of files settled after any of them changed (content, replacement or removal),
 * told by their folders' fs.watch events and a stat poll. `onChange` is not called again while its promise
 * is pending; changes meanwhile make one more call once it settles. `paths()` is read again after each call
 * (an assembly that gained a stack gains a template to watch).
 */
export function watchFiles(paths: () => readonly string[], onChange: () => Promise<void>, options: { debounceMs?: number; pollMs?: number } = {}): Watch {
  const debounceMs = options.debounceMs ?? WATCH_DEBOUNCE_MS;
  let closed = false;
  const watchers = new Map<string, FSWatcher>();
  let names = new Set<string>();
  let watched: string[] = [];
  let signatures = new Map<string, string>();

  const signatureOf = async (path: string) => stat(path).then(signatureOfStats, () => "missing");
  const snapshot = async () => new Map(await Promise.all(watched.map(async (path) => [path, await signatureOf(path)] as const)));

  const arm = () => {
    watched = [...new Set(paths().map((path) => resolve(path)))];
    names = new Set(watched.map((path) => basename(path)));
    const folders = new Set(watched.map((path) => dirname(path)));
    for (const [folder, watcher] of watchers) {
      if (folders.has(folder)) continue;
      watcher.close();
      watchers.delete(folder);
    }
    for (const folder of folders) {
      if (watchers.has(folder)) continue;
      try {
        const watcher = watch(folder, { persistent: false }, (_event, name) => {
          if (name === null || names.has(name.toString())) schedule();
        });
        watcher.on("error", () => {
          watcher.close();
          watchers.delete(folder);
        });
        watchers.set(folder, watcher);
      } catch {
        // The folder is not there (yet): the poll sees it come.
      }
    }
  };

  const check = async () => {
    const now = await snapshot();
    if (closed || sameSignatures(now, signatures)) return;
    signatures = now;
    await onChange();
    arm();
    // Files newly watched start from what they are now; the others keep what they were before onChange,
    // so a change made while it ran is seen by the next poll.
    const after = await snapshot();
    signatures = new Map([...after].map(([path, signature]) => [path, now.get(path) ?? signature]));
  };
  const settling = settler(check, debounceMs);
  const schedule = () => settling.schedule();

  arm();
  // Synchronously: a change made right after this call returns is a change.
  signatures = new Map(watched.map((path) => [path, signatureNow(path)]));
  const poll = setInterval(() => {
    void snapshot().then((now) => {
      if (!sameSignatures(now, signatures)) schedule();
      if (watchers.size === 0) arm();
    });
  }, options.pollMs ?? WATCH_POLL_MS);

  return {
    close() {
      closed = true;
      settling.close();
      clearInterval(poll);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}

function signatureNow(path: string): string {
  const stats = statSync(path, { throwIfNoEntry: false });
  return stats === undefined ? "missing" : signatureOfStats(stats);
}

/** What tells a file changed: a new inode (replaced), size or modification time. */
function signatureOfStats(stats: Stats): string {
  return `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
}

function sameSignatures(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [path, signature] of a) if (b.get(path) !== signature) return false;
  return true;
}
