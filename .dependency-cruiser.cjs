/**
 * Which way imports point (docs/architecture.md). Checked by test/architecture.test.ts and by
 * `npm run check:imports`.
 */
const room = (name) => `^src/${name}/`;
const TOP = "^src/(server|compose|library|index)\\.ts$";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "runtime-is-self-contained",
      comment: "The runtime is a library: it imports only its own files and the leaf modules at src/ (limits, clock, nullPrototype).",
      severity: "error",
      from: { path: room("runtime") },
      to: { path: [room("(api|service|store|edge|cli|iac)"), TOP] },
    },
    {
      name: "store-below-services",
      comment: "The store persists records; what they mean is the services' business.",
      severity: "error",
      from: { path: room("store") },
      to: { path: [room("(api|service|edge|cli)"), TOP] },
    },
    {
      name: "service-without-wire-formats",
      comment: "Services work on typed objects; XML, JSON and HTTP belong to src/api and src/edge.",
      severity: "error",
      from: { path: room("service") },
      to: { path: [room("(api|edge|cli)"), TOP] },
    },
    {
      name: "api-without-store",
      comment: "The API reaches data only through the services.",
      severity: "error",
      from: { path: room("api") },
      to: { path: [room("(store|cli)"), TOP] },
    },
    {
      name: "edge-without-api",
      comment: "The edge serves distributions through the services, never through the control-plane API.",
      severity: "error",
      from: { path: room("edge") },
      to: { path: [room("(api|store|cli)"), TOP] },
    },
    {
      name: "iac-is-a-client",
      comment: "edgelite up applies templates through the CloudFront API over HTTP, as an AWS client would: it reaches no room below the wire, only leaves and pure service helpers (import file parsing).",
      severity: "error",
      from: { path: room("iac") },
      to: { path: [room("(api|store|edge|runtime)"), TOP] },
    },
    {
      name: "only-the-cli-runs-iac",
      comment: "edgelite up is a command: only the CLI imports src/iac.",
      severity: "error",
      from: { path: "^src/", pathNot: [room("(cli|iac)")] },
      to: { path: room("iac") },
    },
    {
      name: "leaves-are-leaves",
      comment: "The modules at src/ top level other than the entry points are leaves every room may import: they import no room.",
      severity: "error",
      from: { path: "^src/[^/]+\\.ts$", pathNot: TOP },
      to: { path: "^src/[^/]+/" },
    },
    {
      name: "cli-is-the-top",
      comment: "Nothing below the CLI imports it.",
      severity: "error",
      from: { path: "^src/", pathNot: room("cli") },
      to: { path: room("cli") },
    },
    {
      name: "no-circular",
      comment: "No import cycles, type-only ones included.",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};
