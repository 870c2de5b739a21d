import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeSync } from "node:fs";
import { join, resolve, sep } from "node:path";
import { unzipSync, zipSync } from "fflate";
import { isBeneath } from "../../service/localFiles.js";
import { IacError } from "../types.js";

/**
 * A deployment's sources written into a folder: a zip unpacked, or a folder (a zip-packaged CDK asset that
 * cdk synth staged) copied. Both are hostile input: no name may leave the folder (`..`, absolute names, drive
 * letters, NUL), nothing is written through or as a symbolic link, and the bytes written are bounded.
 */

/** The most bytes one deployment writes, all its sources together (a zip bomb stops here, not at the disk). */
export const MAX_DEPLOYMENT_BYTES = 1024 * 1024 * 1024;
/** The most files one deployment writes. */
export const MAX_DEPLOYMENT_FILES = 100_000;
/** The largest zip file read (it is read whole). */
export const MAX_ZIP_FILE_BYTES = 512 * 1024 * 1024;
/** Bytes unzipped at once (fflate inflates into memory): entries are taken in batches up to this size. */
const UNZIP_BATCH_BYTES = 64 * 1024 * 1024;
/** How deep a copied folder may nest. */
const MAX_FOLDER_DEPTH = 64;

/** What has been written so far into one deployment's folder, against the bounds above. */
export class WriteBudget {
  bytes = 0;
  files = 0;

  constructor(private readonly what: string) {}

  take(bytes: number, name: string): void {
    this.bytes += bytes;
    this.files += 1;
    if (this.bytes > MAX_DEPLOYMENT_BYTES) throw new IacError(`${this.what}: its sources unpack to more than ${MAX_DEPLOYMENT_BYTES} bytes (at ${name}); edgelite up refuses larger deployments`);
    if (this.files > MAX_DEPLOYMENT_FILES) throw new IacError(`${this.what}: its sources hold more than ${MAX_DEPLOYMENT_FILES} files; edgelite up refuses larger deployments`);
  }
}

/**
 * Why an object key (or a zip entry's name) cannot be a path under a folder, or undefined. S3 keys are
 * literal, but here a key is a path: dot segments, empty segments, absolute names and NUL are refused.
 */
export function keyProblem(key: string): string | undefined {
  if (key === "") return "is empty";
  if (key.includes("\0")) return "holds a NUL character";
  if (/^[/\\]/.test(key) || /^[A-Za-z]:/.test(key)) return "is absolute";
  const segments = key.replace(/\/$/, "").split(/[/\\]/);
  if (segments.some((segment) => segment === "." || segment === "..")) return "has a . or .. segment";
  if (segments.some((segment) => segment === "")) return "has an empty segment (two slashes in a row)";
  return undefined;
}

/** The path a relative name has under a folder, checked to stay strictly beneath it. */
function pathUnder(folder: string, name: string, what: string): string {
  const problem = keyProblem(name);
  const path = resolve(folder, ...name.split("/"));
  if (problem !== undefined || !isBeneath(folder, path)) throw new IacError(`${what}: the entry ${JSON.stringify(name.slice(0, 200))} ${problem ?? "leaves the folder"}; refused`);
  return path;
}

/** Writes bytes as a new regular file under `folder` (a real path); the parents are made, a link or folder in the way is refused. */
function writeFileUnder(folder: string, name: string, bytes: Uint8Array, what: string): void {
  const path = pathUnder(folder, name, what);
  const parent = path.slice(0, path.lastIndexOf(sep));
  mkdirSync(parent, { recursive: true });
  const realParent = realpathSync(parent);
  if (realParent !== folder && !isBeneath(folder, realParent)) throw new IacError(`${what}: the entry ${JSON.stringify(name)} leaves the folder through a link; refused`);
  const existing = lstatSync(path, { throwIfNoEntry: false });
  if (existing?.isDirectory()) throw new IacError(`${what}: ${JSON.stringify(name)} is both a file and a folder`);
  if (existing) rmSync(path);
  const fd = openSync(path, "wx", 0o644);
  try {
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
  } finally {
    closeSync(fd);
  }
}

/** Writes one object (a source deployed without extracting it) into the folder `target`, under a checked name. */
export function writeObjectInto(target: string, name: string, bytes: Uint8Array, budget: WriteBudget, what: string): void {
  budget.take(bytes.length, name);
  writeFileUnder(realpathSync(target), name, bytes, what);
}

interface ZipEntry {
  name: string;
  /** What unpacking it writes at most: the declared size (deflate), or the stored bytes (no compression). */
  bound: number;
  compression: number;
}

/** Zip compression methods fflate reads: stored and deflate. */
const READABLE_METHODS = new Set([0, 8]);

/**
 * Unpacks a zip into the folder `target`; answers the names written. Names are checked before
 * anything is inflated, sizes are bounded by what the zip declares (fflate inflates into a buffer of that
 * size and never past it) and by the budget. A symbolic link stored in a zip becomes a file holding its
 * target, as Python's zipfile (CDK's handler) extracts it.
 */
export function unzipInto(zip: Uint8Array, target: string, budget: WriteBudget, what: string): string[] {
  const folder = realpathSync(target);
  const entries: ZipEntry[] = [];
  try {
    unzipSync(zip, {
      filter: (file) => {
        entries.push({ name: file.name, bound: file.compression === 0 ? Math.max(file.size, file.originalSize) : file.originalSize, compression: file.compression });
        return false;
      },
    });
  } catch (error) {
    throw new IacError(`${what}: not a zip file it can read (${error instanceof Error ? error.message : String(error)})`);
  }
  const files = entries.filter((entry) => !entry.name.endsWith("/"));
  if (budget.files + files.length > MAX_DEPLOYMENT_FILES) throw new IacError(`${what}: it holds more than ${MAX_DEPLOYMENT_FILES} files; edgelite up refuses larger deployments`);
  for (const entry of entries) pathUnder(folder, entry.name, what);
  const unreadable = files.find((entry) => !READABLE_METHODS.has(entry.compression));
  if (unreadable) throw new IacError(`${what}: the entry ${JSON.stringify(unreadable.name)} uses compression method ${unreadable.compression} (edgelite up reads stored and deflate entries)`);
  let declared = 0;
  for (const entry of files) {
    declared += entry.bound;
    if (declared > MAX_DEPLOYMENT_BYTES - budget.bytes) throw new IacError(`${what}: its entries declare more than ${MAX_DEPLOYMENT_BYTES} bytes unpacked; edgelite up refuses larger deployments`);
  }
  for (const entry of entries) if (entry.name.endsWith("/")) mkdirSync(pathUnder(folder, entry.name, what), { recursive: true });
  const written: string[] = [];
  for (let start = 0; start < entries.length; ) {
    let end = start;
    let batch = 0;
    while (end < entries.length && (end === start || batch + (entries[end]?.bound ?? 0) <= UNZIP_BATCH_BYTES)) batch += entries[end++]?.bound ?? 0;
    let index = -1;
    let inflated: Record<string, Uint8Array>;
    try {
      inflated = unzipSync(zip, { filter: (file) => ++index >= start && index < end && !file.name.endsWith("/") });
    } catch (error) {
      throw new IacError(`${what}: a damaged zip (${error instanceof Error ? error.message : String(error)})`);
    }
    for (const name of Object.keys(inflated)) {
      const bytes = inflated[name] ?? new Uint8Array();
      budget.take(bytes.length, name);
      writeFileUnder(folder, name, bytes, what);
      written.push(name);
    }
    start = end;
  }
  return written;
}

/** A file of a folder, by its name relative to the folder (slashes) and the real path to read. */
interface FolderFile {
  name: string;
  path: string;
}

/**
 * A folder's files. A symbolic link is followed when what it points at is a file inside the folder, and
 * skipped (with `skipped` told) otherwise, as is anything that is not a regular file.
 */
function folderFiles(source: string, what: string, skipped: (name: string) => void): FolderFile[] {
  const root = realpathSync(source);
  const files: FolderFile[] = [];
  const walk = (dir: string, prefix: string, depth: number) => {
    if (depth > MAX_FOLDER_DEPTH) throw new IacError(`${what}: ${source} nests folders deeper than ${MAX_FOLDER_DEPTH}`);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const name = `${prefix}${entry.name}`;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path, `${name}/`, depth + 1);
      } else if (entry.isFile()) {
        files.push({ name, path });
      } else {
        const target = entry.isSymbolicLink() ? realpathSync(path, { encoding: "utf8" }) : undefined;
        if (target !== undefined && isBeneath(root, target) && statSync(target).isFile()) files.push({ name, path: target });
        else skipped(name);
      }
    }
  };
  walk(root, "", 0);
  return files;
}

/** Copies a folder's files (see folderFiles) into `folder`; answers the names written. */
export function copyFolderInto(source: string, target: string, budget: WriteBudget, what: string, skipped: (name: string) => void): string[] {
  const folder = realpathSync(target);
  return folderFiles(source, what, skipped).map(({ name, path }) => {
    budget.take(statSync(path).size, name);
    writeFileUnder(folder, name, readFileSync(path), what);
    return name;
  });
}

/** A folder's files as one zip (a folder asset deployed with Extract false is deployed as its zip). */
export function zipFolder(source: string, budget: WriteBudget, what: string, skipped: (name: string) => void): Uint8Array {
  const files = Object.create(null) as Record<string, Uint8Array>;
  for (const { name, path } of folderFiles(source, what, skipped)) {
    budget.take(statSync(path).size, name);
    files[name] = readFileSync(path);
  }
  return zipSync(files);
}
