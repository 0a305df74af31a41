import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

const links: string[] = [];

async function start(maxBody?: number) {
  const dir = mkdtempSync(join(tmpdir(), 'pd-srv-'));
  writeFileSync(join(dir, 'index.html'), '<meta name="protodesk-token" content="%PROTODESK_TOKEN%">');
  writeFileSync(join(dir, 'app.js'), 'console.log(1)');
  server = await startServer({
    onLink: (link) => links.push(link),
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

/** Opens the server's one-time link as a browser does; the Cookie header to send from then on. */
async function signIn(s: RunningServer): Promise<string> {
  const r = await raw(s.port, new URL(s.link()).pathname + new URL(s.link()).search);
  expect(r.status).toBe(303);
  return String((r.headers['set-cookie'] as string[])[0]).split(';')[0];
}

/** Headers of a signed-in call. */
let auth: Record<string, string> = {};

describe('browser-mode server', () => {
  beforeEach(() => {
    links.length = 0;
    auth = {};
  });
  const started = async (maxBody?: number) => {
    const s = await start(maxBody);
    auth = { cookie: await signIn(s) };
    return s;
  };

  it('serves the page and a CSP to a signed-in browser, on 127.0.0.1 only; the page holds no key', async () => {
    const s = await started();
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await raw(s.port, '/', { headers: auth });
    expect(page.status).toBe(200);
    expect(page.body).toBe('<meta name="protodesk-token" content="">');
    expect(String(page.headers['content-security-policy'])).toContain("default-src 'self'");
    expect(String(page.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    expect((await raw(s.port, '/../../etc/passwd', { headers: auth })).status).toBe(404);
    expect((await raw(s.port, '/%E0%A4%A', { headers: auth })).status).toBe(400);
  });

  it('calls methods with tagged JSON (bigint and bytes survive)', async () => {
    const s = await started();
    const request = { docId: 'd1', message: 0, edit: { op: 'set', path: [0], value: 2n ** 64n - 1n } };
    const body = encodeTagged(request);
    const r = await raw(s.port, '/api/edit', {
      method: 'POST',
      headers: { ...auth, host: `127.0.0.1:${s.port}` },
      body,
    });
    expect(r.status).toBe(200);
    expect(decodeTagged<{ result: unknown }>(r.body).result).toEqual(request);
    const bytes = await raw(s.port, '/api/openBytes', {
      method: 'POST',
      headers: auth,
      body: encodeTagged({ name: 'b.bin', bytes: new Uint8Array([1, 2, 255]) }),
    });
    expect(decodeTagged<{ result: unknown }>(bytes.body).result).toEqual({ name: 'b.bin', bytes: new Uint8Array([1, 2, 255]) });
  });

  it('takes large bytes raw, with the other fields in a header', async () => {
    const s = await started();
    const r = await raw(s.port, '/api/openBytes', {
      method: 'POST',
      headers: {
        ...auth,
        'content-type': 'application/octet-stream',
        'x-protodesk-request': encodeURIComponent(encodeTagged({ name: 'big.bin' })),
      },
      body: 'abc',
    });
    expect(decodeTagged<{ result: unknown }>(r.body).result).toEqual({ name: 'big.bin', bytes: new Uint8Array([97, 98, 99]) });
  });

  it('reads a raw body sent in many parts into exactly its bytes', async () => {
    const s = await started();
    // 1 MB of a counting pattern, written in 1000-byte parts of a declared length.
    const bytes = Uint8Array.from({ length: 1_000_000 }, (_, i) => (i * 7) % 251);
    const parts = Array.from({ length: bytes.length / 1000 }, (_, k) => bytes.subarray(k * 1000, (k + 1) * 1000));
    const headers = {
      ...auth,
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
    const s = await started(1000);
    const headers = {
      ...auth,
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

  it('refuses calls without the cookie, from another host name, and with bad arguments', async () => {
    const s = await started();
    expect((await raw(s.port, '/api/openBytes', { method: 'POST', body: '{}' })).status).toBe(403);
    expect(
      (
        await raw(s.port, '/api/openBytes', {
          method: 'POST',
          headers: { ...auth, host: 'evil.example:80' },
          body: '{}',
        })
      ).status,
    ).toBe(421);
    const bad = await raw(s.port, '/api/getSummary', {
      method: 'POST',
      headers: auth,
      body: encodeTagged({ docId: 5 }),
    });
    expect(bad.status).toBe(400);
    expect(decodeTagged<{ error: { message: string } }>(bad.body).error).toEqual({
      code: 'invalid-input',
      message: 'getSummary: field "docId" must be a string',
    });
    const err = await raw(s.port, '/api/getSummary', {
      method: 'POST',
      headers: auth,
      body: encodeTagged({ docId: 'd9' }),
    });
    expect(decodeTagged<{ error: { message: string } }>(err.body).error).toEqual({ code: 'failed', message: 'no open document d9' });
    expect((await raw(s.port, '/api/nope', { method: 'POST', headers: auth, body: '{}' })).status).toBe(404);
  });
});

describe('signing in: a one-time link, then a cookie', () => {
  beforeEach(() => {
    links.length = 0;
  });

  it('without the cookie, GET / shows where to find the link and never a key', async () => {
    const s = await start();
    const key = new URL(s.link()).searchParams.get('token')!;
    for (const path of ['/', '/index.html']) {
      const page = await raw(s.port, path);
      expect(page.status).toBe(401);
      expect(page.body).toContain('Open the link printed in your terminal');
      expect(page.body).not.toContain(key);
      expect(page.headers['set-cookie']).toBeUndefined();
      expect(String(page.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    }
    // The rest of the UI, the API and the event socket: nothing without the cookie.
    expect((await raw(s.port, '/app.js')).status).toBe(403);
    const api = await raw(s.port, '/api/openPath', { method: 'POST', body: encodeTagged({ path: '/etc/passwd' }) });
    expect(api.status).toBe(403);
    expect(decodeTagged<{ error: unknown }>(api.body).error).toEqual({
      code: 'refused',
      message: 'not signed in: open the link printed in the terminal where Protodesk was started',
    });
    // The old way in: a token header, or the token in the socket URL.
    expect((await raw(s.port, '/api/listDocuments', { method: 'POST', headers: { 'x-protodesk-token': key }, body: '{}' })).status).toBe(
      403,
    );
    expect(await upgrade(s.port, `/api/events?token=${key}`, {})).toBe(403);
  });

  it('the link signs a browser in once: an HttpOnly, SameSite=Strict cookie and a redirect to / without the key', async () => {
    const s = await start();
    const first = s.link();
    const { pathname, search } = new URL(first);
    const r = await raw(s.port, pathname + search);
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/');
    const cookie = String((r.headers['set-cookie'] as string[])[0]);
    expect(cookie).toMatch(new RegExp(`^protodesk-${s.port}=[0-9a-f]{64}; Path=/; HttpOnly; SameSite=Strict$`));
    expect(cookie).not.toContain(new URL(first).searchParams.get('token')!);
    const session = cookie.split(';')[0];
    expect((await raw(s.port, '/', { headers: { cookie: session } })).status).toBe(200);
    expect((await raw(s.port, '/app.js', { headers: { cookie: session } })).status).toBe(200);
    // Used once: the same link again is refused and sets nothing; a new link was announced, and it works.
    const again = await raw(s.port, pathname + search);
    expect(again.status).toBe(403);
    expect(again.body).toContain('That link was already used or is not valid');
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(links).toEqual([s.link()]);
    expect(s.link()).not.toBe(first);
    const next = new URL(s.link());
    expect((await raw(s.port, next.pathname + next.search)).status).toBe(303);
    // A guessed key, an empty one and a session value used as a key are refused.
    for (const key of ['0'.repeat(64), '', session.split('=')[1]]) expect((await raw(s.port, `/?token=${key}`)).status).toBe(403);
  });

  it('API calls and the event socket need the cookie and our origin', async () => {
    const s = await start();
    const cookie = await signIn(s);
    const call = (headers: Record<string, string>) => raw(s.port, '/api/listDocuments', { method: 'POST', headers, body: '{}' });
    expect((await call({ cookie })).status).toBe(200);
    expect((await call({ cookie, origin: `http://127.0.0.1:${s.port}` })).status).toBe(200);
    expect((await call({ cookie, origin: `http://localhost:${s.port}` })).status).toBe(200);
    // Another origin (another port of 127.0.0.1 gets our cookie: cookies ignore ports) is refused.
    for (const origin of [`http://127.0.0.1:${s.port + 1}`, 'http://evil.example', 'null']) {
      const r = await call({ cookie, origin });
      expect(r.status, origin).toBe(403);
      expect(decodeTagged<{ error: { message: string } }>(r.body).error.message).toBe('calls from another origin are refused');
    }
    expect((await call({ cookie: `${cookie}0` })).status).toBe(403);
    expect((await call({ cookie: cookie.replace(`protodesk-${s.port}`, 'protodesk-1') })).status).toBe(403);
    expect(await upgrade(s.port, '/api/events', { cookie })).toBe(101);
    expect(await upgrade(s.port, '/api/events', { cookie, origin: 'http://evil.example' })).toBe(403);
    expect(await upgrade(s.port, '/api/events', {})).toBe(403);
  });
});

/** The status of a WebSocket upgrade request (101 when accepted). */
function upgrade(port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((ok, fail) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path,
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        ...headers,
      },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      ok(res.statusCode ?? 0);
    });
    req.on('response', (res) => {
      res.resume();
      ok(res.statusCode ?? 0);
    });
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' ? ok(403) : fail(e)));
    req.end();
  });
}
