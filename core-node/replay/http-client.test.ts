// httpPost and kept-alive connections: a connection the server closes as the next request goes
// out on it is not a failure (the request goes once more on a new connection); a request the
// server cuts off on a new connection fails, sent once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { httpPost } from './http-client';

let server: Server;
let url: URL;
/** Requests each connection has carried. */
const requestsOn = new Map<Socket, number>();
/** Which request on its connection the server cuts off without an answer (as a server closing an idle kept-alive connection just as a request arrives). */
let cutOff = 2;

beforeAll(async () => {
  server = createServer((req, res) => {
    const n = (requestsOn.get(req.socket) ?? 0) + 1;
    requestsOn.set(req.socket, n);
    req.resume();
    if (n === cutOff) {
      req.socket.destroy();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`request ${n} on this connection`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = new URL(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

const post = async (): Promise<string> => Buffer.from((await httpPost(url, {}, new TextEncoder().encode('x'))).body).toString();

describe('httpPost on kept-alive connections', () => {
  it('sends once more on a new connection when the server closes the kept-alive one on the request', async () => {
    requestsOn.clear();
    cutOff = 2;
    expect(await post()).toBe('request 1 on this connection');
    expect(await post()).toBe('request 1 on this connection'); // the first connection was cut off on its second request
    expect([...requestsOn.values()]).toEqual([2, 1]);
  });

  it('fails, sent once, when the server cuts off a request on a new connection', async () => {
    server.closeAllConnections(); // no kept-alive connection left to reuse
    requestsOn.clear();
    cutOff = 1;
    await expect(post()).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect([...requestsOn.values()]).toEqual([1]);
  });
});
