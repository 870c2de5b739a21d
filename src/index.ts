/** The edgelite library: start the emulator in-process (e.g. from a test's setup). */
export { startServer, DEFAULT_ACCOUNT_ID, HEALTH_PATH, VERSION } from "./server.js";
export type { ServerOptions, RunningServer, RequestLogEntry } from "./server.js";
export { openStore, MemoryStore, SqliteStore } from "./store/index.js";
export type { Store, FunctionRecord, FunctionStageRecord, Runtime, Stage, Tag } from "./store/index.js";
export { FixedClock, systemClock } from "./clock.js";
export type { Clock } from "./clock.js";
export { CloudFrontError } from "./service/errors.js";
