/**
 * Every CLI command on a corpus of hostile inputs (empty, truncated, garbage, deep nesting, a
 * huge length prefix, invalid JSON and text, values proto3 JSON cannot hold, a missing file, a
 * directory, a FIFO): each run exits 0, 1 or 2 and says what went wrong in a sentence, never
 * "internal error" and never a JavaScript stack trace.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './main';
import type { CliIO } from './command';

const REPO = join(import.meta.dirname, '..');
const BIN = join(REPO, 'bin', 'protodesk');
const canFifo = process.platform !== 'win32' && spawnSync('mkfifo', ['--version']).status === 0;

let dir: string;
let busy: Server;
let busyPort = 0;

/** Varint bytes of n. */
function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

/** `depth` length-delimited fields 1 nested in each other (each level: tag 0x0a, then the length of what is inside). */
function nestedBytes(depth: number): Uint8Array {
  const headers: number[][] = [];
  let inner = 0;
  for (let i = 0; i < depth; i++) {
    const h = [0x0a, ...varint(inner)];
    headers.push(h);
    inner += h.length;
  }
  return Uint8Array.from(headers.reverse().flat());
}

/** Seeded garbage (a linear congruential generator: the same bytes every run). */
function garbage(n: number, seed = 7): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** The corpus: file name → bytes (written into the test directory). */
function corpus(): Record<string, Uint8Array | string> {
  // h.Room { name: "a room", empty_timeout: 300, data: 0..99 } cut in half.
  const room = Uint8Array.from([
    0x0a,
    6,
    ...Buffer.from('a room'),
    0x18,
    0xac,
    0x02,
    0x22,
    100,
    ...Array.from({ length: 100 }, (_, i) => i),
  ]);
  return {
    'empty.bin': new Uint8Array(0),
    'truncated.bin': room.subarray(0, Math.floor(room.length / 2)),
    'garbage.bin': garbage(4096),
    'deep.bin': nestedBytes(100_000),
    // field 1, length 2^32-1, then 3 bytes; and a delimited stream whose first prefix says 2^35.
    'huge-length.bin': Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]),
    'huge-prefix.delimited': Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 1, 2, 3]),
    // google.protobuf.Value { number_value = NaN } (field 2, fixed64 0x7ff8000000000000).
    'nan-value.bin': Uint8Array.from([0x11, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f]),
    // google.protobuf.Timestamp { seconds = 2^63-1 }.
    'timestamp-range.bin': Uint8Array.from([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]),
    // google.protobuf.Duration { seconds = 2^62 }.
    'duration-range.bin': Uint8Array.from([0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40]),
    // google.protobuf.Any { type_url = "x.y/Z" }: a type no schema has.
    'any-unknown.bin': Uint8Array.from([0x0a, 0x05, ...Buffer.from('x.y/Z')]),
    'bad.json': '{"name": ',
    'deep.json': `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`,
    'deep-array.json': `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
    'bad.txt': 'name: {',
    'deep.txt': `${'struct_value { fields { key: "a" value { '.repeat(20_000)}${'} } }'.repeat(20_000)}`,
    'garbage.proto': 'syntax = "proto3"; message { int32 = ; }',
  };
}

const INPUTS = [
  'empty.bin',
  'truncated.bin',
  'garbage.bin',
  'deep.bin',
  'huge-length.bin',
  'huge-prefix.delimited',
  'nan-value.bin',
  'timestamp-range.bin',
  'duration-range.bin',
  'any-unknown.bin',
  'bad.json',
  'deep.json',
  'deep-array.json',
  'bad.txt',
  'deep.txt',
  'garbage.proto',
  'missing.bin',
  'a-directory',
  ...(canFifo ? ['a-fifo'] : []),
];

/**
 * A small schema of its own (loading the bundled LiveKit and Kik schemas for each of some 600
 * runs would take minutes): a recursive message, the well-known types JSON has rules for, and
 * a service to send to.
 */
const SCHEMA = `syntax = "proto3";
package h;
import "google/protobuf/any.proto";
import "google/protobuf/duration.proto";
import "google/protobuf/struct.proto";
import "google/protobuf/timestamp.proto";
message Room {
  string name = 1;
  uint32 empty_timeout = 3;
  bytes data = 4;
  google.protobuf.Timestamp created = 5;
  repeated Room children = 9;
}
service Rooms { rpc Call(Room) returns (Room); }
`;

const SCHEMA_ARGS = ['--no-bundled', '--proto', 'h.proto'];
const TYPES = ['h.Room', 'google.protobuf.Value', 'google.protobuf.Struct', 'google.protobuf.Timestamp', 'google.protobuf.Any'];

/** Every command run on one input file `f`. */
function runsOn(f: string): string[][] {
  const decodes = TYPES.flatMap((t) => [
    ['decode', '--type', t, f],
    ['decode', '--type', t, '--format', 'text', f],
  ]);
  const send = ['send', '--url', 'http://127.0.0.1:1', '--transport', 'twirp', '--method', 'h.Rooms/Call', '--timeout', '2000'];
  const withSchema = [
    ...decodes,
    ['decode', '--type', 'google.protobuf.Duration', f],
    ['decode', '--type', 'h.Room', '--delimited', f],
    ['decode', '--type', 'h.Room', '--grpc-frames', f],
    ['decode', '--har', f],
    ['encode', '--type', 'google.protobuf.Struct', f],
    ['encode', '--type', 'google.protobuf.Value', '--from', 'text', f],
    ['encode', '--type', 'h.Room', '--delimited', f],
    ['encode', '--type', 'h.Room', '--from', 'text', f, '-o', 'a-directory'],
    ['detect', f],
    ['validate', '--type', 'h.Room', f],
    ['validate', '--type', 'google.protobuf.Value', f],
    ['diff', '--type', 'h.Room', f, 'room.bin'],
    ['diff', '--type', 'google.protobuf.Value', f, f],
    [...send, f],
    [...send, '--type-in', 'json', f],
    [...send, '--cacert', f, 'room.bin'],
    ['mock', '--port', '0', '--fixture', f],
    ['mock', '--port', '0', '--tls-cert', f, '--tls-key', f],
  ].map((argv) => [...argv, ...SCHEMA_ARGS]);
  return [
    ['types', '--no-bundled', '--proto', f],
    ['types', '--no-bundled', '--descriptor-set', f],
    ['raw', f],
    ['raw', '--json', f],
    ...withSchema,
  ];
}

/** Runs the CLI in-process; a run that does not finish in `ms` fails the test (a FIFO that blocks, say). */
async function run(argv: string[], ms = 60_000) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    stdout: { write: (c) => out.push(typeof c === 'string' ? c : Buffer.from(c).toString('latin1')) },
    stderr: { write: (c) => err.push(String(c)) },
    readStdin: async () => new Uint8Array(),
    cwd: dir,
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<number>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`protodesk ${argv.join(' ')} did not finish in ${ms} ms`)), ms);
  });
  try {
    const code = await Promise.race([main(argv, {}, io), timeout]);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    clearTimeout(timer);
  }
}

/** What every run must satisfy: a known exit code, and on failure one or more sentences, no stack. */
function expectClean(argv: string[], r: { code: number; stderr: string }): void {
  const what = `protodesk ${argv.join(' ')} → exit ${r.code}: ${r.stderr.slice(0, 300)}`;
  expect([0, 1, 2], what).toContain(r.code);
  expect(r.stderr, what).not.toMatch(/internal error/i);
  expect(r.stderr, what).not.toMatch(/^\s+at .+(:\d+:\d+|\(native\))\)?$/m);
  expect(r.stderr, what).not.toMatch(/\b(TypeError|ReferenceError|RangeError|SyntaxError): /);
  // diff exits 1 for "different", saying so on standard output.
  if (r.stderr || (r.code !== 0 && argv[0] !== 'diff')) expect(r.stderr, what).toMatch(new RegExp(`^protodesk ${argv[0]}: \\S`));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'protodesk-hostile-'));
  for (const [name, bytes] of Object.entries(corpus())) writeFileSync(join(dir, name), bytes);
  writeFileSync(join(dir, 'room.bin'), Uint8Array.from([0x0a, 0x01, 0x61])); // h.Room { name: "a" }
  writeFileSync(join(dir, 'h.proto'), SCHEMA);
  mkdirSync(join(dir, 'a-directory'));
  if (canFifo) spawnSync('mkfifo', [join(dir, 'a-fifo')]);
  busy = createServer();
  await new Promise<void>((ok) => busy.listen(0, '127.0.0.1', ok));
  busyPort = (busy.address() as { port: number }).port;
});

afterAll(() => new Promise<void>((ok) => busy.close(() => ok())));

describe('every command on hostile input: exit 0/1/2, a sentence, no stack trace', () => {
  if (!canFifo) console.log('[hostile-input] FIFO cases skipped: mkfifo is not available here');
  it.each(INPUTS)('%s', { timeout: 300_000 }, async (f) => {
    for (const argv of runsOn(f)) {
      const t0 = performance.now();
      expectClean(argv, await run(argv));
      const ms = performance.now() - t0;
      if (ms > 2000) console.log(`[hostile-input] slow: protodesk ${argv.join(' ')}: ${ms.toFixed(0)} ms`);
    }
  });
});

describe('errors users cause, in words', () => {
  it('a Value with no field set, NaN, an out-of-range Timestamp or Duration and an unknown Any say why JSON cannot hold them', async () => {
    const cases: [string, string, RegExp][] = [
      ['google.protobuf.Value', 'empty.bin', /cannot write google\.protobuf\.Value as JSON: at \$: .*none of its kinds set/],
      ['google.protobuf.Value', 'nan-value.bin', /cannot write google\.protobuf\.Value as JSON: at \$: .*NaN/],
      ['google.protobuf.Timestamp', 'timestamp-range.bin', /as JSON: at \$: .*Timestamp seconds 9223372036854775807 is outside/],
      ['google.protobuf.Duration', 'duration-range.bin', /as JSON: at \$: .*duration/i],
      ['google.protobuf.Any', 'any-unknown.bin', /as JSON: at \$: .*google\.protobuf\.Any holds "x\.y\/Z", a type no loaded schema has/],
    ];
    for (const [type, file, message] of cases) {
      const r = await run(['decode', '--type', type, file, ...SCHEMA_ARGS]);
      expect(r.code, `${type} ${file}`).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/\(--format text prints it\)\n$/);
    }
  });

  it('a missing file, a directory and a FIFO are named with what they are', async () => {
    expect((await run(['raw', 'missing.bin'])).stderr).toBe('protodesk raw: missing.bin: no such file\n');
    expect((await run(['raw', 'a-directory'])).stderr).toBe('protodesk raw: a-directory: is a directory, not a regular file\n');
    if (canFifo)
      expect((await run(['raw', 'a-fifo'], 10_000)).stderr).toBe('protodesk raw: a-fifo: is a named pipe (FIFO), not a regular file\n');
  });

  it('mock on a port in use says so and names the option', async () => {
    const r = await run(['mock', '--port', String(busyPort)]);
    expect(r).toMatchObject({ code: 1, stderr: `protodesk mock: port ${busyPort} is in use; pick another with --port\n` });
    const g = await run(['mock', '--port', '0', '--grpc-port', String(busyPort)]);
    expect(g).toMatchObject({ code: 1, stderr: `protodesk mock: port ${busyPort} is in use; pick another with --grpc-port\n` });
  });

  it('input nested too deeply is a sentence, not a stack overflow', async () => {
    const r = await run(['encode', '--type', 'google.protobuf.Struct', 'deep.json', ...SCHEMA_ARGS]);
    expectClean(['encode'], r);
  });
});

describe('the process (bin/protodesk) never prints a stack', () => {
  /** Runs bin/protodesk in a child process. */
  const spawnCli = (args: string[]) =>
    new Promise<{ code: number | null; stderr: string }>((ok) => {
      const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        ok({ code, stderr });
      });
    });

  it('decode of an empty Value, a FIFO, and serve on a busy port', { timeout: 180_000 }, async () => {
    const value = await spawnCli(['decode', '--type', 'google.protobuf.Value', 'empty.bin', ...SCHEMA_ARGS]);
    expect(value.code).toBe(1);
    expect(value.stderr).toMatch(/^protodesk decode: cannot write google\.protobuf\.Value as JSON: at \$: /);
    if (canFifo) {
      const fifo = await spawnCli(['decode', '--type', 'h.Room', 'a-fifo', ...SCHEMA_ARGS]);
      expect(fifo).toEqual({ code: 1, stderr: 'protodesk decode: a-fifo: is a named pipe (FIFO), not a regular file\n' });
    }
    // --renderer: a folder of its own, so serve does not build the UI first.
    const serve = await spawnCli(['serve', '--port', String(busyPort), '--no-state', '--renderer', 'a-directory']);
    expect(serve).toEqual({ code: 1, stderr: `protodesk serve: port ${busyPort} is in use; pick another with --port\n` });
  });
});
