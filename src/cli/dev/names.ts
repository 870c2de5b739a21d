import { basename, extname } from "node:path";

/** CloudFront's function and key value store names: [a-zA-Z0-9-_]{1,64} (CreateFunction / CreateKeyValueStore Name). */
const MAX_NAME_LENGTH = 64;

/**
 * The name `edgelite dev` gives what a file holds: its base name without the extension, each character
 * outside CloudFront's name pattern replaced by `-`, cut to 64 characters (`my rewrite.js` → `my-rewrite`).
 */
export function nameForFile(file: string): string {
  const base = basename(file, extname(file));
  const name = base.replace(/[^a-zA-Z0-9_-]/g, "-").slice(0, MAX_NAME_LENGTH);
  return name === "" ? "function" : name;
}

/**
 * Names for several files, each distinct: a name already taken gets `-2`, `-3`… (kept within 64
 * characters). Returns the names in order and, for each renamed one, what it would have been.
 */
export function distinctNames(files: readonly string[]): Array<{ name: string; wanted: string }> {
  const taken = new Set<string>();
  return files.map((file) => {
    const wanted = nameForFile(file);
    let name = wanted;
    for (let n = 2; taken.has(name); n++) {
      const suffix = `-${n}`;
      name = `${wanted.slice(0, MAX_NAME_LENGTH - suffix.length)}${suffix}`;
    }
    taken.add(name);
    return { name, wanted };
  });
}
