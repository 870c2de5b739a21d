import { MAX_HOST_NAME_LENGTH, MAX_PORT, ORIGIN_CONNECTION_ATTEMPTS, ORIGIN_CONNECTION_TIMEOUT_SECONDS, ORIGIN_KEEPALIVE_TIMEOUT_SECONDS, ORIGIN_READ_TIMEOUT_SECONDS } from "../../limits.js";
import { DISALLOWED_HEADER_PREFIXES, ORIGIN_CUSTOM_HEADERS_REFUSED } from "../headerRules.js";

/**
 * The 2.0 `cloudfront` module: `kvs()`, the origin helpers and `edgeLocation`.
 *
 * Origin helpers validate their arguments (the rules of the CloudFront developer guide) and record the
 * call for the edge; TestFunction does not evaluate them, as on AWS. The error texts for invalid
 * arguments are edgelite's (AWS publishes none). The header rules and origin limits are spliced in
 * from their TypeScript homes (headerRules.ts, limits.ts) when this source is built.
 */
export const CLOUDFRONT_MODULE = String.raw`
(function (modules, run) {
  const isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
  const fail = (message) => { throw new TypeError(message); };
  const isIp = (s) => /^\d{1,3}(\.\d{1,3}){3}$/.test(s) || s.indexOf(":") !== -1;
  const hostname = (what, value) => {
    if (typeof value !== "string" || value.length === 0 || value.length > ${MAX_HOST_NAME_LENGTH}) fail(what + " must be a string of 1 to ${MAX_HOST_NAME_LENGTH} characters");
    if (value.indexOf(":") !== -1 || isIp(value)) fail(what + " must be a host name, without a port, not an IP address");
  };
  const oneOf = (what, value, allowed) => { if (allowed.indexOf(value) === -1) fail(what + " must be one of: " + allowed.join(", ")); };
  const intIn = (what, value, low, high) => { if (!Number.isInteger(value) || value < low || value > high) fail(what + " must be an integer from " + low + " to " + high); };
  const certificateNames = (value) => {
    if (!Array.isArray(value) || value.length > 20 || value.some((n) => typeof n !== "string" || n.length === 0 || n.length > 64)) fail("allowedCertificateNames must be an array of at most 20 names of at most 64 characters");
  };
  const copy = (value) => JSON.parse(JSON.stringify(value));
  const REFUSED_HEADERS = ${JSON.stringify(ORIGIN_CUSTOM_HEADERS_REFUSED)};
  const DISALLOWED_PREFIXES = ${JSON.stringify(DISALLOWED_HEADER_PREFIXES)};

  function updateRequestOrigin(params) {
    if (!isObject(params)) fail("updateRequestOrigin expects an object");
    const known = ["domainName", "hostHeader", "originPath", "customHeaders", "connectionAttempts", "originShield", "originAccessControlConfig", "timeouts", "customOriginConfig", "sni", "allowedCertificateNames"];
    for (const key of Object.keys(params)) if (known.indexOf(key) === -1) fail("updateRequestOrigin: unknown property " + key);
    if (params.domainName !== undefined) hostname("domainName", params.domainName);
    if (params.hostHeader !== undefined) hostname("hostHeader", params.hostHeader);
    if (params.sni !== undefined) hostname("sni", params.sni);
    if (params.originPath !== undefined) {
      const p = params.originPath;
      if (typeof p !== "string" || p[0] !== "/" || (p.length > 1 && p[p.length - 1] === "/") || p.length > 255) fail("originPath must start with /, not end with /, and be at most 255 characters");
    }
    if (params.customHeaders !== undefined) {
      if (!isObject(params.customHeaders)) fail("customHeaders must be an object of header names to values");
      for (const name of Object.keys(params.customHeaders)) {
        if (name !== name.toLowerCase()) fail("customHeaders names must be lowercase: " + name);
        if (REFUSED_HEADERS.indexOf(name) !== -1 || DISALLOWED_PREFIXES.some((prefix) => name.indexOf(prefix) === 0)) fail("customHeaders cannot set " + name);
        if (typeof params.customHeaders[name] !== "string") fail("customHeaders values must be strings");
      }
    }
    if (params.connectionAttempts !== undefined) intIn("connectionAttempts", params.connectionAttempts, ${ORIGIN_CONNECTION_ATTEMPTS.min}, ${ORIGIN_CONNECTION_ATTEMPTS.max});
    if (params.originShield !== undefined) {
      const s = params.originShield;
      if (!isObject(s) || typeof s.enabled !== "boolean") fail("originShield must be {enabled, region}");
      if (s.enabled && (typeof s.region !== "string" || s.region.length === 0)) fail("originShield.region is required when originShield is enabled");
    }
    if (params.originAccessControlConfig !== undefined) {
      const o = params.originAccessControlConfig;
      if (!isObject(o) || typeof o.enabled !== "boolean") fail("originAccessControlConfig must be {enabled, signingBehavior, signingProtocol, originType}");
      if (o.enabled) {
        oneOf("originAccessControlConfig.signingBehavior", o.signingBehavior, ["always", "never", "no-override"]);
        oneOf("originAccessControlConfig.signingProtocol", o.signingProtocol, ["sigv4"]);
        oneOf("originAccessControlConfig.originType", o.originType, ["s3", "mediapackagev2", "mediastore", "lambda"]);
      }
    }
    if (params.timeouts !== undefined) {
      const t = params.timeouts;
      if (!isObject(t)) fail("timeouts must be an object");
      if (t.readTimeout !== undefined) intIn("timeouts.readTimeout", t.readTimeout, ${ORIGIN_READ_TIMEOUT_SECONDS.min}, ${ORIGIN_READ_TIMEOUT_SECONDS.max});
      if (t.keepAliveTimeout !== undefined) intIn("timeouts.keepAliveTimeout", t.keepAliveTimeout, ${ORIGIN_KEEPALIVE_TIMEOUT_SECONDS.min}, ${ORIGIN_KEEPALIVE_TIMEOUT_SECONDS.max});
      if (t.connectionTimeout !== undefined) intIn("timeouts.connectionTimeout", t.connectionTimeout, ${ORIGIN_CONNECTION_TIMEOUT_SECONDS.min}, ${ORIGIN_CONNECTION_TIMEOUT_SECONDS.max});
      if (t.responseCompletionTimeout !== undefined) {
        if (!Number.isInteger(t.responseCompletionTimeout) || t.responseCompletionTimeout < (t.readTimeout || 1)) fail("timeouts.responseCompletionTimeout must be an integer of at least readTimeout");
      }
    }
    if (params.customOriginConfig !== undefined) {
      const c = params.customOriginConfig;
      if (!isObject(c)) fail("customOriginConfig must be an object");
      intIn("customOriginConfig.port", c.port, 1, ${MAX_PORT});
      oneOf("customOriginConfig.protocol", c.protocol, ["http", "https"]);
      if (!Array.isArray(c.sslProtocols) || c.sslProtocols.length === 0 || c.sslProtocols.some((p) => ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2"].indexOf(p) === -1)) fail("customOriginConfig.sslProtocols must list SSLv3, TLSv1, TLSv1.1 or TLSv1.2");
      if (c.ipAddressType !== undefined) {
        oneOf("customOriginConfig.ipAddressType", c.ipAddressType, ["ipv4", "ipv6", "dualstack"]);
        if (params.domainName === undefined) fail("customOriginConfig.ipAddressType can only be set when domainName is also updated");
      }
    }
    if (params.allowedCertificateNames !== undefined) certificateNames(params.allowedCertificateNames);
    run.originCalls.push({ kind: "updateRequestOrigin", params: copy(params) });
  }

  function overrides(what, value) {
    if (value === undefined) return;
    if (!isObject(value)) fail(what + " must be an object");
    for (const key of Object.keys(value)) if (["hostHeader", "sni", "allowedCertificateNames"].indexOf(key) === -1) fail(what + ": unknown property " + key);
    if (value.hostHeader !== undefined) hostname(what + ".hostHeader", value.hostHeader);
    if (value.sni !== undefined) hostname(what + ".sni", value.sni);
    if (value.allowedCertificateNames !== undefined) certificateNames(value.allowedCertificateNames);
  }

  function selectRequestOriginById(originId, options) {
    if (typeof originId !== "string" || originId.length === 0) fail("selectRequestOriginById expects an origin id");
    overrides("selectRequestOriginById options", options);
    run.originCalls.push({ kind: "selectRequestOriginById", originId, options: options === undefined ? undefined : copy(options) });
  }

  function createRequestOriginGroup(params) {
    if (!isObject(params)) fail("createRequestOriginGroup expects an object");
    if (!Array.isArray(params.originIds) || params.originIds.length !== 2) fail("originIds must list exactly two origins, the primary first");
    const ids = params.originIds.map((entry, i) => {
      if (typeof entry === "string" && entry.length > 0) return { originId: entry };
      if (isObject(entry) && typeof entry.originId === "string" && entry.originId.length > 0) { overrides("originIds[" + i + "].originOverrides", entry.originOverrides); return copy(entry); }
      return fail("originIds entries must be origin ids or {originId, originOverrides}");
    });
    overrides("originOverrides", params.originOverrides);
    if (params.selectionCriteria !== undefined) oneOf("selectionCriteria", params.selectionCriteria, ["default", "media-quality-score"]);
    const criteria = params.failoverCriteria;
    if (!isObject(criteria) || !Array.isArray(criteria.statusCodes) || criteria.statusCodes.length === 0 || criteria.statusCodes.some((c) => !Number.isInteger(c) || c < 400 || c > 599)) {
      fail("failoverCriteria.statusCodes must list the HTTP status codes (4xx, 5xx) that trigger failover");
    }
    run.originCalls.push({ kind: "createRequestOriginGroup", params: Object.assign(copy(params), { originIds: ids }) });
  }

  // cf.kvs([id]): the store associated with the function (one at most); a missing key rejects with
  // Error: KeyNotFound, as production logs show.
  function kvs(id) {
    const associated = run.kvsId;
    // "*": a store given to the library without an id answers to any id.
    if (!associated || (id !== undefined && associated !== "*" && id !== associated)) throw new Error("KVSNamespaceNotFound");
    const lookup = (key) => {
      if (typeof key !== "string") throw new TypeError("key must be a string");
      return run.kvsHost("get", key);
    };
    return Object.freeze({
      get(key, options) {
        try {
          const format = options && options.format !== undefined ? options.format : "string";
          const value = lookup(key);
          if (value === null) return Promise.reject(new Error("KeyNotFound"));
          if (format === "string") return Promise.resolve(value);
          if (format === "json") return Promise.resolve(JSON.parse(value));
          if (format === "bytes") return Promise.resolve(Buffer.from(value, "utf8"));
          throw new TypeError('Unknown format "' + format + '"; use "string", "json" or "bytes"');
        } catch (error) {
          return Promise.reject(error);
        }
      },
      exists(key) {
        try { return Promise.resolve(lookup(key) !== null); } catch (error) { return Promise.reject(error); }
      },
      meta() {
        return Promise.resolve(JSON.parse(run.kvsHost("meta", "")));
      },
    });
  }

  const cf = { kvs, updateRequestOrigin, selectRequestOriginById, createRequestOriginGroup };
  Object.defineProperty(cf, "edgeLocation", { enumerable: true, get() { return run.edgeLocation; } });
  modules.cloudfront = Object.freeze(cf);
})
`;
