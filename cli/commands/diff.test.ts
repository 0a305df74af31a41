/** `protodesk diff`: output, and exit codes as diff's (0 same, 1 different, 2 trouble). */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Room } from '@livekit/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../command';
import { main } from '../main';

const REPO = join(import.meta.dirname, '../..');
let dir: string;

async function run(argv: string[], stdin = new Uint8Array()) {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: { write: (c) => (out += String(c)) },
    stderr: { write: (c) => (err += String(c)) },
    readStdin: async () => stdin,
    cwd: dir,
  };
  const code = await main(argv, {}, io);
  return { code, out, err };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'protodesk-diff-'));
  const room = readFileSync(join(REPO, 'samples/livekit/room.bin'));
  writeFileSync(join(dir, 'a.bin'), room);
  writeFileSync(join(dir, 'same.bin'), room);
  const changed = Room.fromBinary(room);
  changed.numParticipants = 4;
  changed.metadata = '';
  writeFileSync(join(dir, 'b.bin'), changed.toBinary());
  // room.bin with its first field's tag written in two bytes: an encoding-only difference.
  writeFileSync(join(dir, 'wide-tag.bin'), Buffer.concat([Buffer.from([room[0] | 0x80, 0x00]), room.subarray(1)]));
  writeFileSync(join(dir, 'broken.bin'), Buffer.from([0x0a, 0x09, 0x41])); // name claims 9 bytes, has 1
});

describe('protodesk diff', () => {
  it('exits 0 and says so when the messages are the same', async () => {
    const r = await run(['diff', '--type', 'livekit.Room', 'a.bin', 'same.bin']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      `# a.bin (${readFileSync(join(dir, 'a.bin')).length} bytes) vs same.bin (${readFileSync(join(dir, 'same.bin')).length} bytes), as livekit.Room\nidentical\n`,
    );
  });

  it('prints each difference as a tree line and exits 1', async () => {
    const r = await run(['diff', '--type', 'livekit.Room', 'a.bin', 'b.bin']);
    expect(r.code).toBe(1);
    expect(r.out.split('\n').slice(1)).toEqual([
      '- metadata: "{\\"topic\\":\\"weekly sync\\"}"',
      '~ num_participants: 3 -> 4',
      '1 changed, 1 removed',
      '',
    ]);
  });

  it('prints JSON with paths, kinds and byte spans', async () => {
    const r = await run(['diff', '--type', 'livekit.Room', '--json', 'a.bin', 'b.bin']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out) as {
      a: string;
      typeName: string;
      nodes: { kind: string; path: string; b?: { span: { start: number } } }[];
    };
    expect(json.typeName).toBe('livekit.Room');
    expect(json.nodes.map((n) => [n.kind, n.path])).toEqual([
      ['removed', 'metadata'],
      ['changed', 'num_participants'],
    ]);
    expect(typeof json.nodes[1].b?.span.start).toBe('number');
  });

  it('tells encoding-only differences apart, and --ignore-encoding leaves them out', async () => {
    const r = await run(['diff', '--type', 'livekit.Room', 'a.bin', 'wide-tag.bin']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('* sid: "RM_STANDUP" (encoding: tag written in 1 byte in A and 2 bytes in B)');
    expect(r.out).toContain('no value differences (1 encoding only)');
    const ignored = await run(['diff', '--type', 'livekit.Room', '--ignore-encoding', 'a.bin', 'wide-tag.bin']);
    expect(ignored.code).toBe(0);
    expect(ignored.out.split('\n')[1]).toBe('no value differences');
  });

  it('compares without a schema when no type is given, and reads standard input for -', async () => {
    const r = await run(['diff', 'a.bin', '-'], new Uint8Array(readFileSync(join(dir, 'b.bin'))));
    expect(r.code).toBe(1);
    expect(r.out).toContain('without a schema');
    expect(r.out.split('\n').slice(1, 3)).toEqual([
      String.raw`- 8: "{\"topic\":\"weekly sync\"}" [unknown field 8, len]`,
      '~ 9: 3 -> 4 [unknown field 9, varint]',
    ]);
  });

  it('exits 2 on trouble, saying what and where', async () => {
    const broken = await run(['diff', '--type', 'livekit.Room', 'a.bin', 'broken.bin']);
    expect(broken).toMatchObject({ code: 2, out: '' });
    expect(broken.err).toBe('protodesk diff: B: at byte 1: 9 bytes of field 1 (only 1 remain)\n');
    expect((await run(['diff', 'a.bin'])).code).toBe(2);
    expect((await run(['diff', '--type', 'acme.Nope', 'a.bin', 'b.bin'])).err).toMatch(/unknown message type 'acme\.Nope'/);
    expect((await run(['diff', '--type', 'acme.Nope', 'a.bin', 'b.bin'])).code).toBe(2);
    const missing = await run(['diff', 'a.bin', 'nope.bin']);
    expect(missing).toMatchObject({ code: 2, err: 'protodesk diff: nope.bin: no such file\n' });
  });
});
