/** The edgelite library: start the emulator in-process (e.g. from a test's setup). */
export { startServer, HEALTH_PATH, VERSION } from "./server.js";
export type { ServerOptions, RunningServer } from "./server.js";
export { DEFAULT_ACCOUNT_ID } from "./compose.js";
export type { App } from "./compose.js";
export type { RequestLogEntry } from "./api/dispatch.js";
export { openStore, MemoryStore, SqliteStore } from "./store/index.js";
export type { Store, FunctionRecord, FunctionStageRecord, Runtime, Stage, Tag } from "./store/index.js";
export { FixedClock, systemClock } from "./clock.js";
export type { Clock } from "./clock.js";
export { CloudFrontError } from "./service/errors.js";
export { StorageError } from "./store/storageErrors.js";
export type { StorageProblem } from "./store/storageErrors.js";

/** The runtime, for unit tests of CloudFront functions. */
export { loadFunction } from "./library.js";
export type { LoadOptions, LoadedFunction } from "./library.js";
export { viewerRequestEvent, viewerResponseEvent } from "./runtime/builders.js";
export type { ViewerRequestInit, ViewerResponseInit } from "./runtime/builders.js";
export type { RunResult, RunOptions } from "./runtime/function.js";
export type { FunctionEvent, FunctionOutput, FunctionRequest, FunctionResponse, ValueEntry, CookieEntry } from "./runtime/event.js";
export type { RuntimeName, EngineError } from "./runtime/types.js";

/** A ready KeyValueStore data-plane client (handles the account-id host prefix and SigV4A). */
export { keyValueStoreClient } from "./clients.js";
