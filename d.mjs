import autocannon from "autocannon";
const body = `<?xml version="1.0" encoding="UTF-8"?><UpdateFunctionRequest xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><FunctionConfig><Comment>bench</Comment><Runtime>cloudfront-js-2.0</Runtime></FunctionConfig><FunctionCode>ZnVuY3Rpb24gaGFuZGxlcihldmVudCkgeyByZXR1cm4gZXZlbnQucmVxdWVzdDsgfQ==</FunctionCode></UpdateFunctionRequest>`;
const r = await autocannon({ url: process.argv[2], connections: 50, amount: 20000, requests: [{ method: "PUT", path: "/2020-05-31/function/nope", body, headers: { "if-match": "E" } }] });
console.log("rps", Math.round(r.requests.average), "p50", r.latency.p50);
