import { createServer } from "node:http";

/**
 * The yardstick: a Node HTTP server that does nothing but answer a fixed FunctionSummary document with
 * the headers edgelite sends. Whatever edgelite costs beyond this is its own.
 */
const body = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8"?><FunctionSummary xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Name>bench</Name><Status>UNPUBLISHED</Status><FunctionConfig><Comment></Comment><Runtime>cloudfront-js-2.0</Runtime></FunctionConfig><FunctionMetadata><FunctionARN>arn:aws:cloudfront::123456789012:function/bench</FunctionARN><Stage>DEVELOPMENT</Stage><CreatedTime>2024-08-06T22:19:30.510Z</CreatedTime><LastModifiedTime>2024-08-06T22:19:30.510Z</LastModifiedTime></FunctionMetadata></FunctionSummary>',
);

const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, {
      "x-amzn-RequestId": "00000000-0000-0000-0000-000000000000",
      ETag: "ETVPDKIKX0DER",
      "Content-Type": "text/xml",
      "Content-Length": body.byteLength,
    });
    res.end(body);
  });
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address && typeof address === "object") console.log(`listening on http://127.0.0.1:${address.port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
