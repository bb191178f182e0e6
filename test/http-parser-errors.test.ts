// Requests Node's HTTP parser refuses, and HTTP/1.1 requests without exactly one Host header, over
// raw sockets (an HTTP client would not send them): answered in the contract's envelope with the
// security headers, no-store and an X-Request-Id, like every other answer.
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { securityHeaders } from '../src/plugins/security.js';
import { suiteApp, testConfig } from './app.js';
import { testDatabases } from './databases.js';

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Writes `request` as is and reads until the server closes the connection (or 2 s pass). */
function sendRaw(port: number, request: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    socket.setTimeout(2000, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => {}); // the server may reset after answering; what it wrote is in `chunks`
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const match = /^HTTP\/1\.1 (\d{3}) /.exec(statusLine);
      if (!match) return reject(new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 200))}`));
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(match[1]), headers, body: rest.join('\r\n\r\n') });
    });
  });
}

const database = testDatabases[0]!;

describe('answers to requests the HTTP layer refuses', () => {
  const t = suiteApp(database);
  let port = 0;
  const send = async (request: string) => {
    if (port === 0) {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      port = (t.app.server.address() as { port: number }).port;
    }
    return sendRaw(port, request);
  };

  function expectEnvelope(res: RawAnswer, status: number, code: string) {
    expect(res.status, res.body).toBe(status);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.body));
    const body = JSON.parse(res.body) as { success: boolean; message: string; error: { code: string; details: unknown } };
    expect(body).toEqual({ success: false, message: expect.any(String), error: { code, details: null } });
    for (const [name, value] of securityHeaders().set) expect(res.headers[name.toLowerCase()], name).toBe(value);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  }

  it('oversized headers: 431 headers_too_large', async () => {
    const res = await send(`GET /api/v1/users/me HTTP/1.1\r\nHost: localhost\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`);
    expectEnvelope(res, 431, 'headers_too_large');
  });

  it('a Content-Length that is not a number: 400 malformed_request', async () => {
    const res = await send('POST /api/v1/sessions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: twelve\r\n\r\n{}');
    expectEnvelope(res, 400, 'malformed_request');
  });

  it('both Content-Length and Transfer-Encoding (request smuggling): 400 malformed_request', async () => {
    const res = await send('POST /api/v1/sessions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n');
    expectEnvelope(res, 400, 'malformed_request');
  });

  it('an HTTP/1.1 request without a Host header: 400 malformed_request', async () => {
    const res = await send('GET /api/v1/users/me HTTP/1.1\r\nConnection: close\r\n\r\n');
    expectEnvelope(res, 400, 'malformed_request');
    expect(JSON.parse(res.body).message).toBe('an HTTP/1.1 request needs a Host header');
  });

  it('two Host headers: 400 malformed_request, before authentication', async () => {
    const res = await send('GET /api/v1/users/me HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\nConnection: close\r\n\r\n');
    expectEnvelope(res, 400, 'malformed_request');
    expect(JSON.parse(res.body).message).toBe('a request may carry only one Host header');
  });

  it('a well-formed request on the same server is answered as usual, and HTTP/1.0 needs no Host', async () => {
    for (const request of ['GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n', 'GET /healthz HTTP/1.0\r\n\r\n']) {
      const res = await send(request);
      expect(res.status, request).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({ success: true });
    }
  });

  it('logs the refusal at info with the X-Request-Id it answered, and nothing of the request', async () => {
    const created = await database.create();
    const lines: Array<Record<string, unknown>> = [];
    const app = await buildApp(testConfig(created.url, { LOG_LEVEL: 'info' }), created.handle, {
      webRoot: null,
      logStream: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
    });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const secret = 'Zq7secretTokenValue0123456789';
      const res = await sendRaw((app.server.address() as { port: number }).port, `GET /api/v1/users/me?token=${secret} HTTP/1.1\r\nHost: localhost\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`);
      expect(res.status).toBe(431);
      const refused = lines.filter((line) => line.msg === 'request refused by the HTTP parser');
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatchObject({ level: 30, request_id: res.headers['x-request-id'], res: { statusCode: 431 }, err: { code: 'HPE_HEADER_OVERFLOW' } });
      expect(JSON.stringify(lines)).not.toContain(secret);
    } finally {
      await app.close();
      await created.drop();
    }
  });
});
