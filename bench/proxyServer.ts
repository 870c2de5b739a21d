import { createServer, request } from "node:http";

/** The yardstick for bench/edge: a bare Node reverse proxy (no functions) to the same origin. */
const [originHost = "127.0.0.1", originPort = "80"] = (process.argv[2] ?? "").split(":");
const server = createServer((req, res) => {
  const upstream = request({ host: originHost, port: Number(originPort), method: req.method, path: req.url, headers: req.headers }, (originRes) => {
    res.writeHead(originRes.statusCode ?? 502, originRes.headers);
    originRes.pipe(res);
  });
  upstream.on("error", () => res.writeHead(502).end());
  req.pipe(upstream);
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address && typeof address === "object") console.log(`listening on http://127.0.0.1:${address.port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
