import { watch, type FSWatcher } from "node:fs";
import { readFile, realpath, stat } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import { settler } from "../../settle.js";

/** What a watched file did, once the saves have settled. */
export type FileEvent =
  /** New content (never the same bytes twice in a row). */
  | { kind: "changed"; content: Buffer }
  /** Missing for longer than `goneAfterMs`: told once until it comes back. */
  | { kind: "gone" }
  /** Back after `gone`, with the content it had before. */
  | { kind: "back-unchanged" }
  /** It exists but cannot be read (a folder, no permission): told once per distinct reason. */
  | { kind: "unreadable"; reason: string };

export interface FileWatchOptions {
  /** The content the caller already has: the same bytes are not reported as a change. */
  initial: Buffer;
  /** Saves closer together than this are one change (an editor's save is several file system events). */
  debounceMs?: number;
  /** A file missing for less than this (delete-then-create) is not reported. */
  goneAfterMs?: number;
  /** A stat every so often, for file systems whose events do not reach us (network mounts, some containers). */
  pollMs?: number;
}

export interface FileWatch {
  close(): void;
}

export const DEFAULT_DEBOUNCE_MS = 30;
const DEFAULT_GONE_AFTER_MS = 300;
const DEFAULT_POLL_MS = 1000;

/**
 * Watches one file however it is saved: written in place, replaced by a rename (atomic-save editors,
 * `sed -i`), deleted and created again, or gone for a while. `fs.watch(file)` follows the file's inode, so
 * after a rename-replace it watches a file nobody will write again; this watches the file's folder (and the
 * folder of its real path when it is a symlink) and filters by name, plus a slow stat poll as a safety net.
 * Events are delivered one at a time: `onEvent` is awaited before the file is read again, and saves that
 * arrive meanwhile are read once it returns (the last one wins).
 */
export function watchFile(file: string, onEvent: (event: FileEvent) => Promise<void> | void, options: FileWatchOptions): FileWatch {
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const goneAfterMs = options.goneAfterMs ?? DEFAULT_GONE_AFTER_MS;
  const path = resolve(file);
  let last = options.initial;
  let goneTold = false;
  let missingSince: number | undefined;
  let unreadableTold: string | undefined;
  let closed = false;
  let signature: string | undefined;
  let emptyRecheck = false;

  const settle = async () => {
    let content: Buffer;
    try {
      content = await readFile(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") {
        missingSince ??= Date.now();
        const missingFor = Date.now() - missingSince;
        if (goneTold) return;
        if (missingFor < goneAfterMs) {
          schedule(goneAfterMs - missingFor);
          return;
        }
        goneTold = true;
        await onEvent({ kind: "gone" });
        return;
      }
      const reason = error instanceof Error ? error.message : String(error);
      if (unreadableTold !== reason) {
        unreadableTold = reason;
        await onEvent({ kind: "unreadable", reason });
      }
      return;
    }
    // An in-place save truncates, then writes: an empty read may be caught between the two. Look once more.
    if (content.length === 0 && last.length > 0 && !emptyRecheck) {
      emptyRecheck = true;
      schedule();
      return;
    }
    emptyRecheck = false;
    missingSince = undefined;
    unreadableTold = undefined;
    const wasGone = goneTold;
    goneTold = false;
    if (content.equals(last)) {
      if (wasGone) await onEvent({ kind: "back-unchanged" });
      return;
    }
    last = content;
    await onEvent({ kind: "changed", content });
  };

  const settling = settler(settle, debounceMs);
  const schedule = (delayMs?: number) => settling.schedule(delayMs);

  // One watcher per folder that can see the file change: its own, and its real path's when it is a link.
  const watchers = new Map<string, FSWatcher>();
  const names = new Set([basename(path)]);
  const arm = (folder: string) => {
    if (closed || watchers.has(folder)) return;
    try {
      const watcher = watch(folder, { persistent: true }, (_event, name) => {
        // Some platforms give no name: then any change in the folder may be ours.
        if (name === null || names.has(name.toString())) schedule();
      });
      // The folder itself went away (or the watch broke): forget it; the poll re-arms it when it is back.
      watcher.on("error", () => {
        watcher.close();
        watchers.delete(folder);
        schedule();
      });
      watchers.set(folder, watcher);
    } catch {
      // The folder is missing for now; the poll tries again.
    }
  };
  const armAll = async () => {
    arm(dirname(path));
    try {
      const real = await realpath(path);
      if (real !== path) {
        names.add(basename(real));
        arm(dirname(real));
      }
    } catch {
      // No file (yet): its own folder is watched.
    }
  };
  void armAll();
  // The poll's first baseline is taken now, and the file is read once: a save made before the watch was armed
  // (between the caller's read and this call) is not lost.
  void stat(path).then(
    (s) => (signature ??= `${s.ino}:${s.size}:${s.mtimeMs}`),
    () => (signature ??= "missing"),
  );
  schedule();

  const poll = setInterval(() => {
    void (async () => {
      const now = await stat(path).then(
        (s) => `${s.ino}:${s.size}:${s.mtimeMs}`,
        () => "missing",
      );
      if (signature !== undefined && now !== signature) schedule();
      signature = now;
      if (watchers.size === 0 || (now !== "missing" && !watchers.has(dirname(path)))) await armAll();
    })();
  }, options.pollMs ?? DEFAULT_POLL_MS);
  poll.unref();

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
