import { mkdirSync, renameSync, rmdirSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { watchFile, type FileEvent, type FileWatch } from "../../src/cli/dev/watch.js";
import { tempDir } from "../helpers.js";
import { pause } from "../process.js";

describe("watchFile (edgelite dev's watcher)", () => {
  const dir = tempDir();
  let watcher: FileWatch | undefined;
  afterEach(() => watcher?.close());
  afterAll(() => dir.remove());

  /** Watches `file`, recording each event as text; `next(n)` waits until n events have arrived. */
  const record = (file: string, initial: string) => {
    const events: string[] = [];
    watcher = watchFile(file, (event: FileEvent) => void events.push(event.kind === "changed" ? `changed ${event.content.toString()}` : event.kind === "unreadable" ? "unreadable" : event.kind), { initial: Buffer.from(initial), pollMs: 200 });
    const next = async (n: number) => {
      for (let i = 0; i < 500 && events.length < n; i++) await pause(20);
      return events;
    };
    return { events, next };
  };

  it("reports a rename-replace, then a gone file once, then its return unchanged", async () => {
    const file = join(dir.path, "a.js");
    writeFileSync(file, "one");
    const { next } = record(file, "one");
    await pause(50);
    writeFileSync(`${file}.tmp`, "two");
    renameSync(`${file}.tmp`, file);
    expect(await next(1)).toEqual(["changed two"]);
    unlinkSync(file);
    expect(await next(2)).toEqual(["changed two", "gone"]);
    await pause(500);
    writeFileSync(file, "two");
    expect(await next(3)).toEqual(["changed two", "gone", "back-unchanged"]);
  });

  it("says once that a path became unreadable (a folder), and reads it again when it is a file", async () => {
    const file = join(dir.path, "b.js");
    writeFileSync(file, "one");
    const { next } = record(file, "one");
    await pause(50);
    unlinkSync(file);
    mkdirSync(file);
    expect(await next(1)).toEqual(["unreadable"]);
    rmdirSync(file);
    writeFileSync(file, "three");
    expect(await next(2)).toEqual(["unreadable", "changed three"]);
  });

  it("follows a symlink's target when the target is saved", async () => {
    mkdirSync(join(dir.path, "real"));
    const target = join(dir.path, "real", "c.js");
    const link = join(dir.path, "link.js");
    writeFileSync(target, "one");
    symlinkSync(target, link);
    const { next } = record(link, "one");
    await pause(50);
    writeFileSync(`${target}.tmp`, "two");
    renameSync(`${target}.tmp`, target);
    expect(await next(1)).toEqual(["changed two"]);
  });
});
