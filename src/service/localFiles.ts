import { constants, type Stats } from "node:fs";
import { lstat, open, type FileHandle } from "node:fs/promises";
import { isAbsolute, relative, sep } from "node:path";

/**
 * How edgelite opens files a request points at (`--import-dir` imports, `--s3` folders): the rule of
 * docs/security.md, "Files edgelite reads".
 */

/**
 * Opening never blocks on a FIFO or a device (open returns at once; the descriptor is then checked with
 * fstat before anything is read) and never follows a symbolic link swapped in after the path was resolved.
 */
const SAFE_OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

/** Whether `path` lies strictly beneath `folder` (both absolute and normalised, e.g. real paths). */
export function isBeneath(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== "" && !isAbsolute(rel) && rel.split(sep)[0] !== "..";
}

/** A regular file opened for reading, with its fstat. */
export interface OpenedFile {
  handle: FileHandle;
  stats: Stats;
}

/**
 * Opens the regular file at a real path (symbolic links already resolved), or answers what is there
 * instead (a directory, a FIFO, a device, …) without opening it: lstat first, then a non-blocking open,
 * then fstat of the descriptor, which must still be that same regular file. Nothing is read here.
 */
export async function openRegularFile(realPath: string): Promise<OpenedFile | { other: Stats }> {
  const before = await lstat(realPath);
  if (!before.isFile()) return { other: before };
  const handle = await open(realPath, SAFE_OPEN_FLAGS);
  try {
    const stats = await handle.stat();
    if (stats.isFile() && stats.dev === before.dev && stats.ino === before.ino) return { handle, stats };
    await handle.close();
    return { other: stats };
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
}
