/** `protodesk decode FILE.har`: the list, decoded messages, one entry, export and read-back, errors. */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignalRequest } from '@livekit/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../command';
import { main } from '../main';

const REPO = join(import.meta.dirname, '../..');
const SAMPLE = join(REPO, 'samples/captures/livekit-session.har');
let dir: string;

async function run(argv: string[], stdin = new Uint8Array()) {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: { write: (c) => (out += typeof c === 'string' ? c : Buffer.from(c).toString('utf8')) }, // JSON comes as bytes
    stderr: { write: (c) => (err += String(c)) },
    readStdin: async () => stdin,
    cwd: dir,
  };
  const code = await main(argv, {}, io);
  return { code, out, err };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'protodesk-har-'));
  copyFileSync(SAMPLE, join(dir, 'session.har'));
  copyFileSync(SAMPLE, join(dir, 'session.json')); // a HAR under another name: recognised by its content
});

describe('protodesk decode FILE.har', () => {
  it('lists one line per exchange, with types, and no access token', async () => {
    const r = await run(['decode', 'session.har']);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toBe(
      '# 21 protobuf exchanges, times in seconds from 2025-05-11T21:46:40.120Z; not listed: 1 HAR entries without protobuf',
    );
    expect(lines[1].split(/\s+/).filter(Boolean)).toEqual([
      '#',
      'time',
      'dir',
      'protocol',
      'method/url',
      'status',
      'type',
      'size',
      'notes',
    ]);
    expect(lines).toHaveLength(2 + 21);
    const row = (i: number) => lines[2 + i].trim().split(/\s{2,}/);
    expect(row(0)).toEqual(['0', '0.000', '->', 'twirp', 'livekit.RoomService/CreateRoom', '200', 'livekit.CreateRoomRequest', '38']);
    expect(row(7)).toEqual(['7', '0.300', '<-', 'websocket', 'wss://lk.example.com/rtc', 'livekit.SignalResponse', '314']);
    expect(row(2).slice(-1)[0]).toMatch(/^lossy body/);
    expect(r.out).not.toContain('access_token');
  });

  it('recognises a HAR by its content whatever its name', async () => {
    const r = await run(['decode', 'session.json']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^# 21 protobuf exchanges/);
  });

  it('prints every message as one JSON line, says which entries could not be read, and exits 1 for them', async () => {
    const r = await run(['decode', 'session.har', '--format', 'json']);
    expect(r.code).toBe(1);
    const docs = r.out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { entry: number; type: string; message: Record<string, unknown> });
    expect(docs).toHaveLength(20);
    expect(docs.map((d) => d.entry)).not.toContain(2);
    expect(docs.find((d) => d.entry === 7)?.message).toHaveProperty('join');
    expect(r.err).toMatch(/entry 2 \(request livekit\.RoomService\/CreateRoom\): lossy body/);
  });

  it('prints one entry in text format', async () => {
    const r = await run(['decode', 'session.har', '--entry', '18', '--format', 'text']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('# entry 18 (response livekit.RoomService/ListParticipants): livekit.ListParticipantsResponse');
    expect(r.out).toContain('identity: "carol"');
    expect(r.err).toContain('trailers: grpc-status 0');
  });

  it('exports the signal requests as a delimited stream that decode --delimited reads back', async () => {
    const r = await run([
      'decode',
      'session.har',
      '--url',
      '*/rtc',
      '--of-type',
      'livekit.SignalRequest',
      '--export-requests',
      'req.delimited',
    ]);
    expect(r.code).toBe(0);
    expect(r.err).toBe('protodesk decode: wrote 6 request messages to req.delimited (livekit.SignalRequest)\n');
    const back = await run(['decode', '--type', 'livekit.SignalRequest', '--delimited', 'req.delimited']);
    expect(back.code).toBe(0);
    expect(
      back.out
        .trimEnd()
        .split('\n')
        .map((l) => Object.keys(JSON.parse(l) as object)[0]),
    ).toEqual(['offer', 'trickle', 'answer', 'trickle', 'subscription', 'pingReq']);
    // The same bytes LiveKit's own decoder reads.
    const bytes = readFileSync(join(dir, 'req.delimited'));
    expect(SignalRequest.fromBinary(bytes.subarray(1, 1 + bytes[0])).message.case).toBe('offer');
  });

  it('applies type overrides by URL pattern and for the selected entries', async () => {
    const r = await run(['decode', 'session.har', '--entry', '19', '--type', 'livekit.Ping']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ entry: 19, type: 'livekit.Ping' });
    const listed = await run(['decode', 'session.har', '--type-for', 'wss://*=livekit.Ping', '--url', 'wss://*']);
    expect(
      listed.out
        .trimEnd()
        .split('\n')
        .slice(2)
        .every((l) => l.includes('livekit.Ping')),
    ).toBe(true);
  });

  it('reads a HAR from standard input with --har', async () => {
    const r = await run(['decode', '--har', '-'], new Uint8Array(readFileSync(SAMPLE)));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^# 21 protobuf exchanges/);
  });

  it('says where a malformed HAR breaks, and rejects options that do not fit', async () => {
    writeFileSync(join(dir, 'bad.har'), '{"log": {"entries": [ {"request": {"url": "x"}}, ]}}');
    const bad = await run(['decode', 'bad.har']);
    expect(bad.code).toBe(1);
    expect(bad.err).toBe(
      "protodesk decode: log.entries[1] is not an object: at byte 49 (line 1, column 50): expected an object, found ']'\n",
    );
    expect((await run(['decode', 'session.har', '--entry', '99'])).err).toBe(
      'protodesk decode: no entry 99: the capture has 21 (0 to 20)\n',
    );
    expect((await run(['decode', 'session.har', '--delimited'])).code).toBe(2);
    expect((await run(['decode', 'session.har', '--type-for', 'nope'])).code).toBe(2);
    expect((await run(['decode', '--type', 'livekit.Room', '--entry', '1', join(REPO, 'samples/livekit/room.bin')])).err).toBe(
      'protodesk decode: --entry applies to HAR files only\n',
    );
  });
});
