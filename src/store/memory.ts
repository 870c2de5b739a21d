import { MirrorStore, type Journal } from "./mirror.js";

const NOTHING_TO_PERSIST: Journal = {
  commit: async () => {},
  close: async () => {},
};

/** Keeps everything in process memory: for `--in-memory`, tests and the library API. */
export class MemoryStore extends MirrorStore {
  constructor() {
    super("memory", "memory", undefined, NOTHING_TO_PERSIST);
  }
}
