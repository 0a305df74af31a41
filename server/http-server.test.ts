import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { decodeTagged, encodeTagged } from '../core/api/tagged-json';
import type { ProtodeskApi } from '../core/api/contract';
import { perMethod } from '../core/api/register';
import { startServer, type RunningServer } from './http-server';

let server: RunningServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

/** One HTTP request; a body given as several parts is written part by part. */
function raw(
  port: number,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string | Uint8Array[] } = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', fail);
    if (Array.isArray(opts.body)) {
      for (const part of opts.body) req.write(part);
      req.end();
    } else req.end(opts.body);
  });
}

async function start(maxBody?: number) {
  const dir = mkdtempSync(join(tmpdir(), 'pd-srv-'));
  writeFileSync(join(dir, 'index.html'), '<meta name="protodesk-token" content="%PROTODESK_TOKEN%">');
  server = await startServer({
    port: 0,
    rendererDir: dir,
    // Every method answers its request, except getSummary, which fails as the session does.
    api: {
      ...perMethod(() => async (request: unknown) => request),
      getSummary: async () => {
        throw new Error('no open document d9');
      },
    } as unknown as ProtodeskApi,
    ...(maxBody === undefined ? {} : { maxBody }),
  });
  return server;
}

describe('browser-mode server', () => {
  it('serves the page with its token and a CSP, on 127.0.0.1 only', async () => {
    const s = await start();
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await raw(s.port, '/');
    expect(page.body).toContain(s.token);
    expect(String(page.headers['content-security-policy'])).toContain("default-src 'self'");
    expect((await raw(s.port, '/../../etc/passwd')).status).toBe(404);
  });

  it('calls methods with tagged JSON (bigint and bytes survive)', async () => {
    const s = await start();
    const request = { docId: 'd1', message: 0, edit: { op: 'set', path: [0], value: 2n ** 64n - 1n } };
    const body = encodeTagged(request);
    const r = await raw(s.port, '/api/edit', {
      method: 'POST',
      headers: { 'x-protodesk-token': s.token, host: `127.0.0.1:${s.port}` },
      body,
    });
    expect(r.status).toBe(200);
    expect(decodeTagged<{ result: unknown }>(r.body).result).toEqual(request);
    const bytes = await raw(s.port, '/api/openBytes', {
      method: 'POST',
      headers: { 'x-protodesk-token': s.token },
      body: encodeTagged({ name: 'b.bin', bytes: new Uint8Array([1, 2, 255]) }),
    });
    expect(decodeTagged<{ result: unknown }>(bytes.body).result).toEqual({ name: 'b.bin', bytes: new Uint8Array([1, 2, 255]) });
  });

  it('takes large bytes raw, with the other fields in a header', async () => {
    const s = await start();
    const r = await raw(s.port, '/api/openBytes', {
      method: 'POST',
      headers: {
        'x-protodesk-token': s.token,
        'content-type': 'application/octet-stream',
        'x-protodesk-request': encodeURIComponent(encodeTagged({ name: 'big.bin' })),
      },
      body: 'abc',
    });
    expect(decodeTagged<{ result: unknown }>(r.body).result).toEqual({ name: 'big.bin', bytes: new Uint8Array([97, 98, 99]) });
  });

  it('reads a raw body sent in many parts into exactly its bytes', async () => {
    const s = await start();
    // 1 MB of a counting pattern, written in 1000-byte parts of a declared length.
    const bytes = Uint8Array.from({ length: 1_000_000 }, (_, i) => (i * 7) % 251);
    const parts = Array.from({ length: bytes.length / 1000 }, (_, k) => bytes.subarray(k * 1000, (k + 1) * 1000));
    const headers = {
      'x-protodesk-token': s.token,
      'content-type': 'application/octet-stream',
      'content-length': String(bytes.length),
      'x-protodesk-request': encodeURIComponent(encodeTagged({ name: 'big.bin' })),
    };
    const r = await raw(s.port, '/api/openBytes', { method: 'POST', headers, body: parts });
    expect(r.status).toBe(200);
    const echoed = decodeTagged<{ result: { bytes: Uint8Array } }>(r.body).result.bytes;
    expect(Buffer.compare(echoed, bytes)).toBe(0); // (toEqual walks a million elements slowly)
  });

  it('refuses a body over the size limit with 413, saying the size and the limit', async () => {
    const s = await start(1000);
    const headers = {
      'x-protodesk-token': s.token,
      'content-type': 'application/octet-stream',
      'x-protodesk-request': encodeURIComponent(encodeTagged({ name: 'big.bin' })),
    };
    const declared = await raw(s.port, '/api/openBytes', {
      method: 'POST',
      headers: { ...headers, 'content-length': '1001' },
      body: 'x'.repeat(1001),
    });
    expect(declared.status).toBe(413);
    expect(decodeTagged<{ error: { message: string } }>(declared.body).error.message).toBe(
      'the request body (1001 bytes) is over the 1000-byte limit of this server',
    );
    // Without a Content-Length (chunked), it is refused once the limit is passed.
    const chunked = await raw(s.port, '/api/openBytes', {
      method: 'POST',
      headers: { ...headers, 'transfer-encoding': 'chunked' },
      body: [new Uint8Array(600), new Uint8Array(600)],
    });
    expect(chunked.status).toBe(413);
    expect(decodeTagged<{ error: { message: string } }>(chunked.body).error.message).toMatch(/over the 1000-byte limit/);
    // At the limit it is taken.
    const exact = await raw(s.port, '/api/openBytes', {
      method: 'POST',
      headers: { ...headers, 'content-length': '1000' },
      body: 'x'.repeat(1000),
    });
    expect(exact.status).toBe(200);
  });

  it('refuses calls without the token, from another host name, and with bad arguments', async () => {
    const s = await start();
    expect((await raw(s.port, '/api/openBytes', { method: 'POST', body: '{}' })).status).toBe(403);
    expect(
      (
        await raw(s.port, '/api/openBytes', {
          method: 'POST',
          headers: { 'x-protodesk-token': s.token, host: 'evil.example:80' },
          body: '{}',
        })
      ).status,
    ).toBe(421);
    const bad = await raw(s.port, '/api/getSummary', {
      method: 'POST',
      headers: { 'x-protodesk-token': s.token },
      body: encodeTagged({ docId: 5 }),
    });
    expect(bad.status).toBe(400);
    expect(decodeTagged<{ error: { message: string } }>(bad.body).error).toEqual({
      code: 'invalid-input',
      message: 'getSummary: field "docId" must be a string',
    });
    const err = await raw(s.port, '/api/getSummary', {
      method: 'POST',
      headers: { 'x-protodesk-token': s.token },
      body: encodeTagged({ docId: 'd9' }),
    });
    expect(decodeTagged<{ error: { message: string } }>(err.body).error).toEqual({ code: 'failed', message: 'no open document d9' });
    expect((await raw(s.port, '/api/nope', { method: 'POST', headers: { 'x-protodesk-token': s.token }, body: '{}' })).status).toBe(404);
  });
});
