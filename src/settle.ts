/**
 * A task run once things settled: calls to `schedule` closer together than the debounce are one run, and a
 * call while the task runs makes one more run after it (never two at once). For the file watchers of `dev`
 * and `up`.
 */
export interface Settler {
  /** Runs the task after `delayMs` (the debounce by default) without another call. */
  schedule(delayMs?: number): void;
  close(): void;
}

export function settler(task: () => Promise<void>, debounceMs: number): Settler {
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let again = false;
  let closed = false;
  const run = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await task();
      } while (again && !closed);
    } finally {
      running = false;
    }
  };
  return {
    schedule(delayMs = debounceMs) {
      if (closed) return;
      clearTimeout(timer);
      timer = setTimeout(() => void run(), delayMs);
    },
    close() {
      closed = true;
      clearTimeout(timer);
    },
  };
}
