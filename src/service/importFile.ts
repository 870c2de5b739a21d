import type { Stats } from "node:fs";
import { realpath, type FileHandle } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { KVS_IMPORT_FILE_MAX_BYTES } from "../limits.js";
import { CloudFrontError } from "./errors.js";
import { isBeneath, openRegularFile } from "./localFiles.js";

/**
 * The files edgelite reads for an API caller: CreateKeyValueStore's `file://` ImportSource. Off unless
 * the server was started with `--import-dir <folder>`; then only a regular file whose real path (symlinks
 * resolved) lies inside the real path of one of those folders, of at most KVS_IMPORT_FILE_MAX_BYTES.
 * See docs/security.md, "Files edgelite reads".
 */

const IMPORT_DIR_FLAG = "--import-dir";
const READ_CHUNK_BYTES = 64 * 1024;

const refuse = (message: string) => new CloudFrontError("InvalidArgument", message);

/** Reads the text of a `file://` import source for CreateKeyValueStore under the `--import-dir` rule. */
export async function readImportSource(sourceArn: string, importDirs: readonly string[]): Promise<string> {
  if (importDirs.length === 0) {
    throw refuse(
      `edgelite reads file:// import sources only from folders the server was started with: run \`edgelite serve ${IMPORT_DIR_FLAG} <folder>\` (repeatable) and put the file there, or load keys into a store with \`edgelite kvs import\`.`,
    );
  }
  const path = filePathOf(sourceArn);
  const allowed = `a folder given with ${IMPORT_DIR_FLAG} (${importDirs.join(", ")})`;
  // Judged on the path as written first, so nothing outside the folders is even looked up.
  const realDirs = await Promise.all(importDirs.map((dir) => realpath(dir).catch(() => undefined)));
  const candidates = [...importDirs, ...realDirs.filter((dir): dir is string => dir !== undefined)];
  if (!candidates.some((dir) => isBeneath(dir, path))) {
    throw refuse(`The import source ${sourceArn} is not inside ${allowed}. Put the file there, or start edgelite with ${IMPORT_DIR_FLAG} naming its folder.`);
  }
  let real: string;
  try {
    real = await realpath(path);
  } catch (error) {
    throw refuse(`The import source ${sourceArn} cannot be read: ${reasonOf(error)}.`);
  }
  if (!realDirs.some((dir) => dir !== undefined && isBeneath(dir, real))) {
    throw refuse(`The import source ${sourceArn} resolves (through a symbolic link) to a file outside ${allowed}; edgelite does not follow links out of those folders.`);
  }
  return readImportFile(real, sourceArn);
}

/**
 * Reads a regular file of at most KVS_IMPORT_FILE_MAX_BYTES as UTF-8, without ever blocking on or reading
 * anything else (see openRegularFile), in chunks that stop at the cap. `label` names the file
 * in messages (the caller's own words for it).
 */
export async function readImportFile(path: string, label: string): Promise<string> {
  let opened: Awaited<ReturnType<typeof openRegularFile>>;
  try {
    opened = await openRegularFile(await realpath(path));
  } catch (error) {
    throw refuse(`The import source ${label} cannot be read: ${reasonOf(error)}.`);
  }
  if ("other" in opened) throw refuse(`The import source ${label} is ${kindOf(opened.other)}, not a regular file; edgelite reads import sources only from regular files.`);
  const { handle, stats } = opened;
  try {
    if (stats.size > KVS_IMPORT_FILE_MAX_BYTES) throw tooLarge(label);
    return (await readCapped(handle, label)).toString("utf8");
  } catch (error) {
    if (error instanceof CloudFrontError) throw error;
    throw refuse(`The import source ${label} cannot be read: ${reasonOf(error)}.`);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

async function readCapped(handle: FileHandle, label: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES);
    const { bytesRead } = await handle.read(chunk, 0, READ_CHUNK_BYTES, total);
    if (bytesRead === 0) return Buffer.concat(chunks, total);
    total += bytesRead;
    // The file may have grown since fstat: stop at the cap, whatever its size said.
    if (total > KVS_IMPORT_FILE_MAX_BYTES) throw tooLarge(label);
    chunks.push(chunk.subarray(0, bytesRead));
  }
}

function tooLarge(label: string): CloudFrontError {
  return new CloudFrontError("EntitySizeLimitExceeded", `The import source ${label} is larger than ${KVS_IMPORT_FILE_MAX_BYTES} bytes; an import file may be at most 5 MB.`);
}

function filePathOf(sourceArn: string): string {
  let path: string;
  try {
    path = fileURLToPath(new URL(sourceArn));
  } catch {
    throw refuse(`The import source ${sourceArn} is not a usable file:// URL; give an absolute one such as file:///path/to/data.json.`);
  }
  if (path.includes("\0")) throw refuse(`The import source ${sourceArn} names a path with a NUL character.`);
  return resolve(path);
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isSocket()) return "a socket";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  if (stats.isSymbolicLink()) return "a symbolic link";
  if (stats.isFile()) return "a file that was replaced while it was being opened";
  return "not a regular file";
}

/** The system's reason without its own copy of the path (the caller names the source its way). */
function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT":
      return "no such file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ELOOP":
      return "too many symbolic links, or a symbolic link where a file was expected";
    case "ENAMETOOLONG":
      return "the path is too long";
    case "ENOTDIR":
      return "a part of the path is not a folder";
    default:
      return code ?? "unknown error";
  }
}
