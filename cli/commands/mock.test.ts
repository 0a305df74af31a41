/** `protodesk mock`: its options, and the log line per request (a generic method without an answer says so). */
import { describe, expect, it } from 'vitest';
import { mockCommand } from './mock';
import { UsageError, type CliIO } from '../command';

function capture(): CliIO & { out: () => string } {
  let out = '';
  return {
    stdout: { write: (c: string | Uint8Array) => (out += String(c)) },
    stderr: { write: () => undefined },
    readStdin: async () => new Uint8Array(),
    cwd: process.cwd(),
    out: () => out,
  };
}

describe('protodesk mock', () => {
  it('refuses bad caps and a --admin-cors that is not an origin, as usage errors', async () => {
    for (const args of [
      ['--max-rooms', '0'],
      ['--max-event-streams', 'x'],
      ['--admin-cors', 'localhost:5173'],
      ['--admin-cors', 'http://a/b'],
    ]) {
      await expect(mockCommand.run(['--port', '0', ...args], capture()), args.join(' ')).rejects.toBeInstanceOf(UsageError);
    }
  });

  it('logs each request with its answer; an unanswered generic method is unimplemented and the line says why', async () => {
    const io = capture();
    const ac = new AbortController();
    const running = mockCommand.run(['--port', '0', '--grpc-port', '0'], io, ac.signal);
    while (!io.out().includes('generic')) await new Promise((r) => setTimeout(r, 20));
    const url = /connect\s+(http:\/\/\S+)/.exec(io.out())![1];
    const r = await fetch(`${url}/twirp/mobileremote.video.v1.MobileVideo/OnConvoVideoStateChanged`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(r.status).toBe(501);
    ac.abort();
    expect(await running).toBe(0);
    expect(io.out()).toMatch(
      /twirp mobileremote\.video\.v1\.MobileVideo\/OnConvoVideoStateChanged → unimplemented: .* has no answer in the mock: give one in the fixture's "answers"/,
    );
  });
});
