/** protodesk send and types with --reflect: the schemas come from a server's gRPC reflection service. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../main';
import type { CliIO } from '../command';
import { startMockServer, type RunningMock } from '../../core-node/mock/mock-server';
import { echoFiles, echoRoot } from '../../testing/echo-service';
import { startReflectingEcho, type Referee } from '../../testing/echo-referees';

describe('schemas by reflection (--reflect)', () => {
  let reflecting: Referee;
  let echoMock: RunningMock;
  beforeAll(async () => {
    const echo = echoFiles();
    reflecting = await startReflectingEcho(echo, 'both');
    echoMock = await startMockServer({ root: await echoRoot(echo), port: 0 });
  });
  afterAll(async () => {
    await Promise.all([reflecting.close(), echoMock.close()]);
  });

  it('send --reflect and types --reflect take their schemas from the server', async () => {
    const io = (): CliIO & { out: () => string; err: () => string } => {
      let out = '';
      let err = '';
      return {
        stdout: { write: (c: string | Uint8Array) => (out += String(c)) },
        stderr: { write: (c: string | Uint8Array) => (err += String(c)) },
        readStdin: async () => new TextEncoder().encode('{"text":"via reflection"}'),
        cwd: process.cwd(),
        out: () => out,
        err: () => err,
      };
    };
    const send = io();
    const code = await main(
      [
        'send',
        '--no-bundled',
        '--reflect',
        reflecting.url,
        '--url',
        reflecting.url,
        '--transport',
        'grpc',
        '--method',
        'test.echo.v1.Echo/Say',
        '--type-in',
        'json',
        '-',
      ],
      {},
      send,
    );
    expect([code, send.err()]).toEqual([0, '']);
    expect(JSON.parse(send.out())).toEqual({ text: 'said via reflection' });
    const types = io();
    expect(await main(['types', '--no-bundled', '--reflect', echoMock.grpcUrl, '--filter', 'test.echo'], {}, types)).toBe(0);
    expect(types.out()).toMatch(/test\.echo\.v1\.EchoRequest/);
    const bad = io();
    expect(await main(['types', '--no-bundled', '--reflect', 'http://127.0.0.1:1'], {}, bad)).toBe(1);
    expect(bad.err()).toMatch(/--reflect http:\/\/127\.0\.0\.1:1: /);
  });
});
