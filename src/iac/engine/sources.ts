import { watch, type FSWatcher } from "node:fs";
import { readFile, readdir, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { WATCH_DEBOUNCE_MS, WATCH_POLL_MS, type Watch } from "./watchFiles.js";

/** Never watched for `--synth`, whatever cdk.json says: what the synth writes, and what no app edits by hand (the CDK CLI's own `cdk watch` exclusions). */
const ALWAYS_EXCLUDED = ["**/.*", "**/.*/**", "**/node_modules", "**/node_modules/**"];
/** Files walked at most when fs.watch cannot watch a tree (the stat poll's fallback). */
export const MAX_POLLED_FILES = 20_000;

export interface SourceFilter {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

/**
 * What `--synth` watches in the app's folder: cdk.json's `watch.include`/`watch.exclude` when it has them
 * (as `cdk watch` reads them), else everything; never the output folder, the data dir, dot files or
 * node_modules.
 */
export async function sourceFilter(appFolder: string, alsoExcluded: readonly string[]): Promise<SourceFilter> {
  let include: string[] = ["**"];
  let exclude: string[] = [];
  try {
    const config: unknown = JSON.parse(await readFile(join(appFolder, "cdk.json"), "utf8"));
    const watchConfig = (config as { watch?: { include?: unknown; exclude?: unknown } } | null)?.watch;
    const strings = (value: unknown) => (typeof value === "string" ? [value] : Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : undefined);
    include = strings(watchConfig?.include) ?? include;
    exclude = strings(watchConfig?.exclude) ?? exclude;
  } catch {
    // No cdk.json (or not JSON): everything.
  }
  const inside = alsoExcluded.map((path) => relative(appFolder, path)).filter((path) => path !== "" && !path.startsWith("..") && !path.startsWith(sep));
  return { include, exclude: [...exclude, ...ALWAYS_EXCLUDED, ...inside.flatMap((path) => [toSlashes(path), `${toSlashes(path)}/**`])] };
}

const toSlashes = (path: string) => path.split(sep).join("/");

/** A glob as cdk.json's watch settings use them: `**` any folders, `*` and `?` within one name. */
export function globPattern(glob: string): RegExp {
  let pattern = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*" && glob[i + 1] === "*") {
      const slash = glob[i + 2] === "/";
      pattern += slash ? "(?:.*/)?" : ".*";
      i += slash ? 2 : 1;
    } else if (c === "*") pattern += "[^/]*";
    else if (c === "?") pattern += "[^/]";
    else pattern += c.replace(/[\\^$.|+()[\]{}]/g, "\\$&");
  }
  return new RegExp(`^${pattern.replace(/^\.\//, "")}$`);
}

/** Whether a path (relative, with slashes) is a source: included, and neither it nor a folder above it excluded. */
export function isSource(path: string, filter: SourceFilter): boolean {
  const include = filter.include.map(globPattern);
  const exclude = filter.exclude.map(globPattern);
  if (!include.some((pattern) => pattern.test(path))) return false;
  const parts = path.split("/");
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join("/");
    if (exclude.some((pattern) => pattern.test(prefix))) return false;
  }
  return true;
}

/**
 * Calls `onChange` once the app's sources settled after an edit: fs.watch over the tree (recursive), or a
 * stat poll of its files where that is not available.
 */
export function watchSources(appFolder: string, filter: SourceFilter, onChange: () => void): Watch {
  const root = resolve(appFolder);
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const schedule = () => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, WATCH_DEBOUNCE_MS);
  };
  let watcher: FSWatcher | undefined;
  let poll: NodeJS.Timeout | undefined;
  try {
    watcher = watch(root, { recursive: true, persistent: false }, (_event, name) => {
      if (name === null || isSource(toSlashes(name.toString()), filter)) schedule();
    });
    watcher.on("error", () => undefined);
  } catch {
    let last: string | undefined;
    poll = setInterval(() => {
      void treeSignature(root, filter).then((now) => {
        if (last !== undefined && now !== last) schedule();
        last = now;
      });
    }, WATCH_POLL_MS * 4);
  }
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      clearInterval(poll);
      watcher?.close();
    },
  };
}

async function treeSignature(root: string, filter: SourceFilter): Promise<string> {
  const parts: string[] = [];
  const walk = async (folder: string) => {
    if (parts.length >= MAX_POLLED_FILES) return;
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = join(folder, entry.name);
      const name = toSlashes(relative(root, path));
      if (entry.isDirectory()) {
        if (isSource(`${name}/x`, { include: ["**"], exclude: filter.exclude })) await walk(path);
      } else if (isSource(name, filter)) {
        const s = await stat(path).catch(() => undefined);
        parts.push(`${name}:${s?.size}:${s?.mtimeMs}`);
      }
    }
  };
  await walk(root);
  return parts.join("\n");
}
