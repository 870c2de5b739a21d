/**
 * CloudFront's quotas and wire limits, in one place. Sources: the CloudFront quotas page
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html) and the
 * 2020-05-31 service model (aws/aws-sdk-js-v3, codegen/sdk-codegen/aws-models/cloudfront.json).
 */

/** "10 KB" per the quotas page; the byte boundary is not published, we take 10,240 (the looser reading). */
export const MAX_FUNCTION_CODE_BYTES = 10_240;
/** FunctionBlob: min 1, max 40,960 in the model; anything above MAX_FUNCTION_CODE_BYTES is refused with 413 first. */
export const MIN_FUNCTION_CODE_BYTES = 1;
/** Functions per account (default quota, adjustable on AWS; `--max-functions` here). */
export const DEFAULT_MAX_FUNCTIONS_PER_ACCOUNT = 100;
/** FunctionName in the model: 1-64 characters of [a-zA-Z0-9-_]. */
export const MAX_FUNCTION_NAME_LENGTH = 64;
export const FUNCTION_NAME_PATTERN = new RegExp(`^[a-zA-Z0-9\\-_]{1,${MAX_FUNCTION_NAME_LENGTH}}$`);
export const MAX_FUNCTION_COMMENT_LENGTH = 128;
/** A function can be associated with at most one key value store. */
export const MAX_KEY_VALUE_STORE_ASSOCIATIONS = 1;
/** TestFunction's EventObject (FunctionEventObject in the model). */
export const MAX_TEST_EVENT_OBJECT_BYTES = 40_960;
/** Default and largest page for ListFunctions; AWS does not document either, 100 is CloudFront's convention. */
export const DEFAULT_LIST_MAX_ITEMS = 100;

export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;
export const MAX_TAGS_PER_RESOURCE = 50;

/**
 * Request bodies above this are refused before parsing. The largest legal body is a CreateFunction or
 * TestFunction carrying a 40,960-byte blob as base64 (~55 KB) plus XML; 1 MiB leaves room for anything honest.
 */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

// ---- runtime (CloudFront Functions quotas and edgelite's model of them; see docs/runtime.md)

/** CloudFront's per-function memory quota (njs frees only at the end of a request); judged as docs/runtime.md "Memory limit" says. */
export const FUNCTION_MEMORY_BYTES = 2 * 1024 * 1024;
/** Heap growth over a warm run that makes it suspect (repeated from a clean state): more than a collection inside a run can hide. */
export const MEMORY_SUSPECT_GROWTH_BYTES = FUNCTION_MEMORY_BYTES / 2;
/** isolated-vm's hard cap per isolate (its floor is 8 MB); the 2 MB quota is enforced by measurement below it. */
export const ISOLATE_MEMORY_LIMIT_MB = 32;
/** Logs per invocation are truncated at 10 KB. */
export const FUNCTION_LOG_BYTES = 10_240;
/**
 * The largest result (as JSON text, in characters) a run may hand back. CloudFront publishes no figure; a
 * result is built within the function's 2 MB memory quota, so anything larger is that quota exceeded
 * (MemoryError), checked inside the isolate before the text is copied out.
 */
export const FUNCTION_RESULT_MAX_CHARS = FUNCTION_MEMORY_BYTES;
/** Wall-clock backstop for work the statement meter cannot see (a catastrophic regex, a huge built-in call). */
export const FUNCTION_WALL_CLOCK_LIMIT_MS = 1_000;

// ---- scheduling runs on the worker threads (edgelite's own figures; docs/runtime.md, "Scheduling")

/** A function whose last run took longer than this is slow: its runs go to a worker one at a time. */
export const SLOW_RUN_MS = 10;
/** How much estimated run time the pool puts in one message to a worker. */
export const BATCH_TARGET_MS = 5;
/** A worker hands back the rest of a batch once it has spent this long on it (a run turned out slower than expected). */
export const BATCH_TIME_BUDGET_MS = 20;
/** At most this many runs in one message to a worker. */
export const MAX_BATCH_RUNS = 64;
/** How many functions' last run time the pool remembers (least recently run forgotten first). */
export const SCHEDULER_KNOWN_FUNCTIONS = 1_024;

// ---- KeyValueStore (CloudFront quotas page; runtime.md §5)

/** Key value stores per account (adjustable on AWS; `--max-key-value-stores` here). */
export const DEFAULT_MAX_KEY_VALUE_STORES_PER_ACCOUNT = 50;
/** KeyValueStoreName in the model: 1-64 characters, the function name's pattern. */
export const MAX_KEY_VALUE_STORE_NAME_LENGTH = 64;
/** KeyValueStoreComment in the model: at most 128 characters. */
export const MAX_KEY_VALUE_STORE_COMMENT_LENGTH = 128;
export const KVS_MAX_KEY_BYTES = 512;
export const KVS_MAX_VALUE_BYTES = 1024;
export const KVS_MAX_STORE_BYTES = 5 * 1024 * 1024;
/**
 * An import file (CreateKeyValueStore's ImportSource, `edgelite kvs import`): "File size – 5 MB" on the
 * "File format for key-value pairs" page, so the JSON syntax counts against the same 5 MB as the data.
 * Larger files are refused from their size before their bytes are read.
 */
export const KVS_IMPORT_FILE_MAX_BYTES = KVS_MAX_STORE_BYTES;
/** UpdateKeys: at most 50 keys and 3 MB per request. */
export const KVS_MAX_BATCH_KEYS = 50;
export const KVS_MAX_BATCH_BYTES = 3 * 1024 * 1024;
export const KVS_LIST_KEYS_DEFAULT = 10;
export const KVS_LIST_KEYS_MAX = 50;
/** AWS takes ~35 s to provision a store; locally 0 by default (`--kvs-provisioning-ms`). */
export const DEFAULT_KVS_PROVISIONING_MS = 0;

// ---- distributions (CloudFront Developer Guide, "Path pattern"; the 2020-05-31 model's Origin and CustomOriginConfig)

/** A cache behaviour's PathPattern: at most 255 characters. */
export const MAX_PATH_PATTERN_LENGTH = 255;
/** OriginReadTimeout (response timeout): 1-120 s, 30 by default (the model's CustomOriginConfig docs). */
export const ORIGIN_READ_TIMEOUT_SECONDS = { min: 1, max: 120, default: 30 } as const;
/** OriginKeepaliveTimeout: 1-120 s, 5 by default. */
export const ORIGIN_KEEPALIVE_TIMEOUT_SECONDS = { min: 1, max: 120, default: 5 } as const;
/** Origin ConnectionTimeout: 1-10 s, 10 by default. */
export const ORIGIN_CONNECTION_TIMEOUT_SECONDS = { min: 1, max: 10, default: 10 } as const;
/** The longest host name: 253 characters in text form (255 octets on the wire, RFC 1035 §2.3.4). */
export const MAX_HOST_NAME_LENGTH = 253;
/** The largest TCP port (a 16-bit field, RFC 9293 §3.1): an origin's port (`customOriginConfig.port`), `--port`. */
export const MAX_PORT = 65_535;
/** Origin ConnectionAttempts: 1-3, 3 by default. */
export const ORIGIN_CONNECTION_ATTEMPTS = { min: 1, max: 3, default: 3 } as const;
/**
 * A behaviour's legacy TTLs in seconds (used with ForwardedValues), CloudFront's defaults: MinTTL 0, DefaultTTL one day,
 * MaxTTL one year (CloudFront Developer Guide, "Cache key and origin requests", legacy cache settings; the model's CacheBehavior docs).
 */
export const LEGACY_TTL_SECONDS = { min: 0, default: 86_400, max: 31_536_000 } as const;
/** How long an error response is cached when no CustomErrorResponse says (ErrorCachingMinTTL; CloudFront Developer Guide, "Control how long errors are cached"). */
export const DEFAULT_ERROR_CACHING_MIN_TTL_SECONDS = 10;

// ---- origin access controls and invalidations (CloudFront Developer Guide: "Quotas",
// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html, and "Invalidate files",
// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/Invalidation.html)

/** Origin access controls per account: 100 (adjustable on AWS). */
export const DEFAULT_MAX_ORIGIN_ACCESS_CONTROLS = 100;
/** OriginAccessControlConfig.Name: "You can specify up to 64 characters" (the model's documentation). */
export const MAX_ORIGIN_ACCESS_CONTROL_NAME_LENGTH = 64;
/**
 * "Concurrent invalidation request maximum": up to 3,000 individual paths in progress per distribution, and,
 * independently, up to 15 wildcard paths. Beyond either, CreateInvalidation answers TooManyInvalidationsInProgress.
 */
export const MAX_INVALIDATION_PATHS_IN_PROGRESS = 3_000;
export const MAX_WILDCARD_INVALIDATION_PATHS_IN_PROGRESS = 15;
/** "The maximum length of a path is 4,000 characters." */
export const MAX_INVALIDATION_PATH_LENGTH = 4_000;

// ---- who may call (--auth, --allowed-host, --cors; docs/security.md)

/** A signed request's X-Amz-Date may be this far from the server's clock either way (AWS: 15 minutes). */
export const SIGNATURE_CLOCK_SKEW_MS = 15 * 60 * 1000;
/** Longest presigned URL lifetime (X-Amz-Expires), as AWS: one week. */
export const MAX_PRESIGNED_EXPIRES_SECONDS = 7 * 24 * 60 * 60;
/** How long a browser may cache a CORS preflight answer (--cors). */
export const CORS_PREFLIGHT_MAX_AGE_SECONDS = 600;

// ---- requests on the wire (CloudFront Developer Guide, "Maximum length of a request and maximum length of a URL")

/** The request line and headers together: at most 20,480 bytes. */
export const MAX_REQUEST_HEAD_BYTES = 20_480;
/** The URL (path and query): at most 8,192 bytes. */
export const MAX_REQUEST_URL_BYTES = 8_192;
/**
 * Node's own parser limit (`maxHeaderSize`, 16 KiB by default) set above CloudFront's so that edgelite sees, and
 * answers as CloudFront does, any request up to this size; beyond it Node refuses the request itself (431/414).
 */
export const MAX_PARSED_HEAD_BYTES = 64 * 1024;

/**
 * How long a client may take (edgelite's choices; CloudFront publishes no viewer-side figures): the request line
 * and headers within 20 s, the whole request within 300 s (Node's own default), and no pause longer than 60 s
 * while a body is being read. Node checks the first two every `checkIntervalMs`.
 */
export const CLIENT_TIMEOUTS = { headersMs: 20_000, requestMs: 300_000, bodyIdleMs: 60_000, checkIntervalMs: 1_000 } as const;

// ---- storage
/**
 * How long a starting server waits for the data directory's lock before saying another process holds
 * it. Two processes starting at the same moment can both back off once; a few hundred ms settles it.
 */
export const DATA_DIR_LOCK_WAIT_MS = 300;

/**
 * Policies (CloudFront Developer Guide, Quotas, "General quotas on policies":
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html#limits-policies).
 * Custom policies per account; AWS's managed ones do not count.
 */
export const MAX_CACHE_POLICIES_PER_ACCOUNT = 20;
export const MAX_ORIGIN_REQUEST_POLICIES_PER_ACCOUNT = 20;
export const MAX_RESPONSE_HEADERS_POLICIES_PER_ACCOUNT = 20;
/** Distributions associated with the same custom cache, origin request or response headers policy. */
export const MAX_DISTRIBUTIONS_PER_POLICY = 100;
/** Headers, cookies and query strings named in one cache policy (each list on its own). */
export const MAX_HEADERS_PER_CACHE_POLICY = 10;
export const MAX_COOKIES_PER_CACHE_POLICY = 10;
export const MAX_QUERY_STRINGS_PER_CACHE_POLICY = 10;
/** The same three for one origin request policy. */
export const MAX_HEADERS_PER_ORIGIN_REQUEST_POLICY = 10;
export const MAX_COOKIES_PER_ORIGIN_REQUEST_POLICY = 10;
export const MAX_QUERY_STRINGS_PER_ORIGIN_REQUEST_POLICY = 10;
/** Custom headers, and headers to remove, in one response headers policy. */
export const MAX_CUSTOM_HEADERS_PER_RESPONSE_HEADERS_POLICY = 10;
export const MAX_REMOVE_HEADERS_PER_RESPONSE_HEADERS_POLICY = 10;
/** The Content-Security-Policy value's limit lives beside the policy's type: src/service/responseHeadersPolicy.ts. */
/**
 * A policy's Name and Comment: the model sets no bound; the console and CloudFront's own errors allow
 * names of letters, digits, hyphens and underscores up to 128 characters and comments up to 128
 * characters (edgelite's choice where the model is silent, see docs/edge.md).
 */
export const MAX_POLICY_NAME_LENGTH = 128;
export const POLICY_NAME_PATTERN = new RegExp(`^[A-Za-z0-9_-]{1,${MAX_POLICY_NAME_LENGTH}}$`);
export const MAX_POLICY_COMMENT_LENGTH = 128;
/** A cache policy's TTLs are whole seconds from 0; CloudFront's defaults when DefaultTTL/MaxTTL are absent (CachePolicyConfig in the API reference). */
export const POLICY_DEFAULT_TTL_SECONDS = 86_400;
export const POLICY_MAX_TTL_SECONDS = 31_536_000;
/** The largest TTL edgelite accepts (CloudFront's fields are `long`; beyond 100 years a TTL means nothing locally). */
export const MAX_POLICY_TTL_SECONDS = 3_153_600_000;
