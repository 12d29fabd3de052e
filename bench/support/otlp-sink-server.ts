/**
 * The tracing benchmark's span sink: an HTTP server taking OTLP/HTTP export requests
 * (`POST /v1/traces`, protobuf or JSON) and dropping them after counting, so the benchmark
 * measures what exporting costs the command API (building, batching, serialising, sending
 * spans), not what a collector does with them. `GET /received` answers the requests and bytes taken. Env: BENCH_PORT
 * (default 0).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

let requests = 0;
let bytes = 0;
const server = http.createServer((request, response) => {
  if (request.method === 'POST' && request.url === '/v1/traces') {
    request.on('data', (chunk: Buffer) => (bytes += chunk.length));
    request.on('end', () => {
      requests += 1;
      // An empty ExportTraceServiceResponse, in the encoding the exporter sent (as a collector).
      const json = request.headers['content-type'] === 'application/json';
      response
        .writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' })
        .end(json ? '{}' : '');
    });
    return;
  }
  if (request.method === 'GET' && request.url === '/received') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ requests, bytes }));
    return;
  }
  response.writeHead(404).end();
});
server.listen(Number(process.env.BENCH_PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ message: 'otlp sink listening', port })}\n`);
});
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
});
