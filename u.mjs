import { httpRequest, runLoad } from "./dist/bench/loadgen.js";
const url = process.argv[2]; const C = 50; const host = new URL(url).host;
const CODE = Buffer.from("function handler(event) { return event.request; }").toString("base64");
const BODY = Buffer.from(`<UpdateFunctionRequest><FunctionConfig><Comment>bench</Comment><Runtime>cloudfront-js-2.0</Runtime></FunctionConfig><FunctionCode>${CODE}</FunctionCode></UpdateFunctionRequest>`);
const names = Array.from({ length: C }, (_, i) => `w${i}`); const etags = names.map(() => "ETVPDKIKX0DER");
for (const n of names) await fetch(`${url}/2020-05-31/function`, { method: "POST", body: `<CreateFunctionRequest><Name>${n}</Name><FunctionConfig><Comment/><Runtime>cloudfront-js-2.0</Runtime></FunctionConfig><FunctionCode>${CODE}</FunctionCode></CreateFunctionRequest>` });
const mode = process.argv[3];
const r = await runLoad({ url, connections: C, durationMs: 4000, request: (i) => mode === "describe" ? httpRequest("GET", `/2020-05-31/function/${names[i]}/describe`, host) : httpRequest("PUT", `/2020-05-31/function/${names[i]}`, host, { "If-Match": etags[i] }, BODY), onResponse: (i, s, h) => { if (s === 200) etags[i] = h.get("etag"); } });
console.log(mode, r.requestsPerSecond, JSON.stringify(r.statuses));
