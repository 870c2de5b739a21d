import { benchApi } from "./api.js";
import { benchRuntime } from "./runtime.js";
import { benchKvs } from "./kvs.js";
import { benchEdge } from "./edge.js";
import { benchFairness } from "./fairness.js";
import { benchFreshState } from "./freshState.js";
import { benchDevReload } from "./devReload.js";

/** `npm run bench [name…]`: runs the named benchmarks (all by default) and prints their figures as JSON. */
const BENCHES: Record<string, () => Promise<Record<string, unknown>>> = { api: benchApi, runtime: benchRuntime, kvs: benchKvs, edge: benchEdge, fairness: benchFairness, "fresh-state": benchFreshState, "dev-reload": benchDevReload };

const wanted = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(BENCHES);
for (const name of wanted) {
  const bench = BENCHES[name];
  if (!bench) {
    console.error(`unknown benchmark "${name}"; known: ${Object.keys(BENCHES).join(", ")}`);
    process.exit(2);
  }
  console.error(`bench/${name} …`);
  console.log(JSON.stringify({ bench: name, ...(await bench()) }, null, 2));
}
