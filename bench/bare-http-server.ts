// The reference point: a bare node:http server answering a small JSON object (run in its own process).
import { createServer } from 'node:http';

const body = JSON.stringify({ success: true, message: 'ok', data: { status: 'ok' } });
const port = Number(process.env.PORT ?? 0);

const server = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  response.end(body);
});
server.keepAliveTimeout = 72_000;
server.listen(port, process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
