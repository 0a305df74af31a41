import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { forgetInputs, freshBundle, recordInputs } from '../bin/cli-bundle.mjs';
import { main } from './main';
import type { CliIO } from './command';
import { PROTOC } from '../testing/protoc';
import { decodeRaw } from '../core/raw/raw-decode';
import { rawToText } from '../core/raw/raw-text';

const REPO = join(import.meta.dirname, '..');
const BIN = join(REPO, 'bin', 'protodesk');

// A small schema with the features the CLI has to carry: nested messages, enums, repeated,
// maps, 64-bit integers, bytes.
const SCHEMA = `syntax = "proto3";
package demo;
enum Color { COLOR_UNSPECIFIED = 0; RED = 1; GREEN = 2; }
message Point { sint32 x = 1; sint32 y = 2; }
message Shape {
  string name = 1;
  repeated Point points = 2;
  Color color = 3;
  int64 id = 4;
  map<string, uint64> tags = 5;
  bytes blob = 6;
  repeated int32 weights = 7;
}
message Other { fixed64 stamp = 1; double ratio = 2; }
`;

const SHAPE_TEXT = `name: "triangle"
points { x: 1 y: -2 }
points { x: -300 y: 4 }
color: GREEN
id: -9223372036854775808
tags { key: "a" value: 18446744073709551615 }
blob: "\\001\\002\\377"
weights: [1, -1, 150]
`;

let dir: string;
let shapeBin: Uint8Array;
const schemaArgs = () => ['--no-bundled', '-I', dir, '--proto', join(dir, 'demo.proto')];

function protoc(args: string[], input: Uint8Array | string): Buffer {
  const r = spawnSync(PROTOC, [`-I${dir}`, ...args, join(dir, 'demo.proto')], { input });
  if (r.status !== 0) throw new Error(`protoc failed: ${r.stderr}`);
  return r.stdout;
}

/** Runs the CLI in-process and captures what it prints. */
async function run(argv: string[], stdin: Uint8Array = new Uint8Array()) {
  const out: Uint8Array[] = [];
  const err: string[] = [];
  const enc = new TextEncoder();
  const io: CliIO = {
    stdout: { write: (c) => out.push(typeof c === 'string' ? enc.encode(c) : new Uint8Array(c)) },
    stderr: { write: (c) => err.push(String(c)) },
    readStdin: async () => stdin,
    cwd: dir,
  };
  const code = await main(argv, {}, io);
  const bytes = Buffer.concat(out);
  return { code, stdout: bytes.toString('utf8'), bytes: new Uint8Array(bytes), stderr: err.join('') };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'protodesk-cli-'));
  writeFileSync(join(dir, 'demo.proto'), SCHEMA);
  shapeBin = new Uint8Array(protoc(['--encode=demo.Shape'], SHAPE_TEXT));
  writeFileSync(join(dir, 'shape.bin'), shapeBin);
});

describe('protodesk types', () => {
  it('lists every message type of the loaded schema, one per line', async () => {
    const r = await run(['types', ...schemaArgs()]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual(expect.arrayContaining(['demo.Other', 'demo.Point', 'demo.Shape']));
    expect(r.stdout).not.toContain('demo.Color'); // enums are not message types
  });

  it('filters by a case-insensitive substring', async () => {
    const r = await run(['types', '--filter', 'SHA', ...schemaArgs()]);
    expect(r.stdout).toBe('demo.Shape\n');
  });
});

describe('protodesk decode', () => {
  it('prints text format exactly as protoc --decode does', async () => {
    const r = await run(['decode', '--type', 'demo.Shape', '--format', 'text', ...schemaArgs(), 'shape.bin']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(protoc(['--decode=demo.Shape'], shapeBin).toString('utf8'));
  });

  it('prints canonical proto3 JSON: 64-bit as strings, enums by name, bytes as base64, lowerCamelCase', async () => {
    const r = await run(['decode', '--type', 'demo.Shape', ...schemaArgs(), 'shape.bin']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      name: 'triangle',
      points: [
        { x: 1, y: -2 },
        { x: -300, y: 4 },
      ],
      color: 'GREEN',
      id: '-9223372036854775808',
      tags: { a: '18446744073709551615' },
      blob: 'AQL/',
      weights: [1, -1, 150],
    });
  });

  it('reads standard input when the file is -', async () => {
    const r = await run(['decode', '--type', 'demo.Point', ...schemaArgs(), '-'], new Uint8Array([0x08, 0x03])); // x = -2 (zigzag 3)
    expect(JSON.parse(r.stdout)).toEqual({ x: -2 });
  });

  it('prints one JSON document per line for a varint-delimited stream', async () => {
    const msgs = [
      [0x08, 0x02],
      [0x10, 0x04],
      [0x08, 0x01, 0x10, 0x01],
    ]; // {x:1}, {y:2}, {x:-1,y:-1}
    const stream = new Uint8Array(msgs.flatMap((m) => [m.length, ...m]));
    writeFileSync(join(dir, 'points.delimited'), stream);
    const r = await run(['decode', '--type', 'demo.Point', '--delimited', ...schemaArgs(), 'points.delimited']);
    expect(r.code).toBe(0);
    expect(
      r.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([{ x: 1 }, { y: 2 }, { x: -1, y: -1 }]);
  });

  it('splits gRPC frames', async () => {
    const frame = (m: number[]) => [0, 0, 0, 0, m.length, ...m]; // flag 0, 4-byte big-endian length
    writeFileSync(join(dir, 'points.grpc'), new Uint8Array([...frame([0x08, 0x02]), ...frame([0x10, 0x06])]));
    const r = await run(['decode', '--type', 'demo.Point', '--grpc-frames', ...schemaArgs(), 'points.grpc']);
    expect(
      r.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([{ x: 1 }, { y: 3 }]);
  });

  it('prints a long stream (output in many chunks) one line per message, and nothing of a bad one after the good ones', async () => {
    const one = [...shapeBin];
    const bad = [0x0a, 0x05, 0x61]; // name: a length of 5 with 1 byte left
    const count = 3000; // about 200 KB of JSON
    const stream = new Uint8Array([...Array.from({ length: count }, () => [one.length, ...one]).flat(), bad.length, ...bad]);
    writeFileSync(join(dir, 'shapes.delimited'), stream);
    const r = await run(['decode', '--type', 'demo.Shape', '--delimited', ...schemaArgs(), 'shapes.delimited']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`message ${count} (payload at byte ${(one.length + 1) * count + 1} of the file)`);
    const lines = r.stdout.split('\n');
    expect(lines.length).toBe(count + 1); // every good message on its own line, nothing of the bad one
    expect(lines[count]).toBe('');
    // Each line is the single message's indented JSON on one line.
    const single = (await run(['decode', '--type', 'demo.Shape', ...schemaArgs(), 'shape.bin'])).stdout;
    expect(new Set(lines.slice(0, count))).toEqual(new Set([JSON.stringify(JSON.parse(single))]));
  });

  it('prints a long stream as text format under `# message N` headers, and nothing of a bad one after the good ones', async () => {
    const one = [...shapeBin];
    const bad = [0x0a, 0x05, 0x61]; // name: a length of 5 with 1 byte left
    const count = 1500; // about 200 KB of text: many output chunks
    const stream = new Uint8Array([...Array.from({ length: count }, () => [one.length, ...one]).flat(), bad.length, ...bad]);
    writeFileSync(join(dir, 'shapes-text.delimited'), stream);
    const r = await run(['decode', '--type', 'demo.Shape', '--delimited', '--format', 'text', ...schemaArgs(), 'shapes-text.delimited']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`message ${count} (payload at byte ${(one.length + 1) * count + 1} of the file)`);
    const text = protoc(['--decode=demo.Shape'], shapeBin).toString('utf8');
    expect(r.stdout).toBe(Array.from({ length: count }, (_, i) => `# message ${i}\n${text}\n`).join(''));
  });

  it('exits 1 on truncated input, naming the byte offset', async () => {
    writeFileSync(join(dir, 'truncated.bin'), shapeBin.subarray(0, 5));
    const r = await run(['decode', '--type', 'demo.Shape', '--single', ...schemaArgs(), 'truncated.bin']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/at byte \d+/);
    expect(r.stdout).toBe('');
  });

  it('exits 2 when --type is missing or an option is unknown', async () => {
    expect((await run(['decode', ...schemaArgs(), 'shape.bin'])).code).toBe(2);
    const r = await run(['decode', '--typo', 'x', ...schemaArgs(), 'shape.bin']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--typo');
  });

  it('exits 1 for an unknown type and suggests close names', async () => {
    const r = await run(['decode', '--type', 'demo.Shap', ...schemaArgs(), 'shape.bin']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unknown message type 'demo.Shap'");
    expect(r.stderr).toContain('demo.Shape');
  });

  it('suggests the type a typo meant first, even when its name does not contain the typo', async () => {
    writeFileSync(join(dir, 'empty.bin'), new Uint8Array(0));
    const rom = await run(['decode', '--type', 'livekit.Rom', 'empty.bin']);
    expect(rom.code).toBe(1);
    expect(rom.stderr).toMatch(/did you mean livekit\.Room, /);
    const swapped = await run(['decode', '--type', 'livekit.ParticipantInof', 'empty.bin']);
    expect(swapped.stderr).toMatch(/did you mean livekit\.ParticipantInfo\b/);
    // Nothing close: no suggestion rather than a list of unrelated names.
    const far = await run(['decode', '--type', 'livekit.Zzzzzzzz', 'empty.bin']);
    expect(far.code).toBe(1);
    expect(far.stderr).not.toContain('did you mean');
  });

  it('with the bundled schemas, prints an Any of a type from another file, as a whole registry would', async () => {
    // livekit.SIPCallInfo's file and what it imports do not declare livekit.SignalRequest.
    const sip = await run(
      ['encode', '--type', 'livekit.SIPCallInfo', '-'],
      new TextEncoder().encode(
        JSON.stringify({
          callId: 'c1',
          callContext: [{ '@type': 'type.googleapis.com/livekit.SignalRequest', leave: { canReconnect: true } }],
        }),
      ),
    );
    expect(sip.code).toBe(0);
    writeFileSync(join(dir, 'sip.bin'), sip.bytes);
    const r = await run(['decode', '--type', 'livekit.SIPCallInfo', 'sip.bin']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      callId: 'c1',
      callContext: [{ '@type': 'type.googleapis.com/livekit.SignalRequest', leave: { canReconnect: true } }],
    });
    const text = await run(['decode', '--format', 'text', '--type', '.livekit.SIPCallInfo', 'sip.bin']);
    expect(text.stdout).toContain('type_url: "type.googleapis.com/livekit.SignalRequest"');
    // A bundled name that is no message type: the error suggests message types from all the schemas.
    const service = await run(['decode', '--type', 'livekit.RoomService', 'sip.bin']);
    expect(service.code).toBe(1);
    expect(service.stderr).toMatch(/unknown message type 'livekit.RoomService'/);
  });

  it('exits 1 for a missing file', async () => {
    const r = await run(['decode', '--type', 'demo.Shape', ...schemaArgs(), 'nope.bin']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nope.bin: no such file');
  });

  it('reports a broken .proto as file:line:column', async () => {
    writeFileSync(join(dir, 'broken.proto'), 'syntax = "proto3";\nmessage A {\n  int32 x = ;\n}\n');
    const r = await run(['types', '--no-bundled', '-I', dir, '--proto', join(dir, 'broken.proto')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken\.proto:3:\d+: /);
  });
});

describe('protodesk encode', () => {
  it('encodes proto3 JSON to the bytes protoc encodes from the same message', async () => {
    const json = (await run(['decode', '--type', 'demo.Shape', ...schemaArgs(), 'shape.bin'])).stdout;
    writeFileSync(join(dir, 'shape.json'), json);
    const r = await run(['encode', '--type', 'demo.Shape', ...schemaArgs(), 'shape.json']);
    expect(r.code).toBe(0);
    expect(Buffer.from(r.bytes).equals(Buffer.from(shapeBin))).toBe(true);
  });

  it('encodes text format and writes -o atomically', async () => {
    writeFileSync(join(dir, 'shape.txt'), SHAPE_TEXT);
    const r = await run(['encode', '--type', 'demo.Shape', '--from', 'text', ...schemaArgs(), 'shape.txt', '-o', 'out.bin']);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'out.bin')).equals(Buffer.from(shapeBin))).toBe(true);
  });

  it('exits 1 on bad JSON, naming where', async () => {
    writeFileSync(join(dir, 'bad.json'), '{"name": "x", "id": true}');
    const r = await run(['encode', '--type', 'demo.Shape', ...schemaArgs(), 'bad.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/id/);
  });
});

describe('protodesk raw', () => {
  it('prints what protoc --decode_raw prints for well-formed input', async () => {
    const r = await run(['raw', 'shape.bin']);
    expect(r.code).toBe(0);
    const ref = spawnSync(PROTOC, ['--decode_raw'], { input: shapeBin }).stdout.toString('utf8');
    expect(r.stdout).toBe(ref);
  });

  it('shows what parsed and where it stopped on garbage, exit 1', async () => {
    writeFileSync(join(dir, 'garbage.bin'), new Uint8Array([0x08, 0x96, 0x01, 0x0f, 0xff])); // field 1 = 150, then wire type 7
    const r = await run(['raw', 'garbage.bin']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('1: 150');
    expect(r.stderr).toContain('stopped at byte 3');
  });

  it('gives spans and readings as JSON', async () => {
    const r = await run(['raw', '--json', 'shape.bin']);
    const json = JSON.parse(r.stdout);
    expect(r.code).toBe(0);
    expect(JSON.stringify(json)).toContain('triangle');
  });
});

describe('protodesk detect', () => {
  it('ranks the right type first, as TYPE<TAB>SCORE lines', async () => {
    const r = await run(['detect', ...schemaArgs(), 'shape.bin']);
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(lines[0][0]).toBe('demo.Shape');
    for (const [, score] of lines) expect(Number(score)).toBeGreaterThanOrEqual(0);
    const scores = lines.map(([, s]) => Number(s));
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('ranks nothing for empty input and says why', async () => {
    const r = await run(['detect', ...schemaArgs(), '-'], new Uint8Array());
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('the input is empty (0 bytes): every message type reads it');
  });
});

describe('bin/protodesk (the real process)', () => {
  it('runs from the repo root, reads stdin and exits 0', () => {
    const r = spawnSync(BIN, ['decode', '--type', 'demo.Point', ...schemaArgs(), '-'], { input: new Uint8Array([0x10, 0x01]), cwd: REPO }); // y = -1
    expect(r.stderr.toString()).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.toString())).toEqual({ y: -1 });
  });

  it('exits 2 with usage for an unknown command', () => {
    const r = spawnSync(BIN, ['frobnicate'], { cwd: REPO });
    expect(r.status).toBe(2);
    expect(r.stderr.toString()).toContain("unknown command 'frobnicate'");
  });

  it('lists every command with --help, serve included', () => {
    const r = spawnSync(BIN, ['--help'], { cwd: REPO });
    expect(r.status).toBe(0);
    const names = r.stdout
      .toString()
      .split('\n')
      .filter((l) => l.startsWith('  '))
      .map((l) => l.trim().split(/\s+/)[0]);
    expect(names).toEqual(['types', 'decode', 'encode', 'diff', 'raw', 'detect', 'validate', 'send', 'mock', 'serve']);
  });

  it('streams raw text larger than one output chunk exactly as protoc --decode_raw prints it', () => {
    const big = new Uint8Array(Array.from({ length: 40_000 }, () => [...shapeBin]).flat()); // the fields of shape.bin, 40,000 times over
    writeFileSync(join(dir, 'big.bin'), big);
    const r = spawnSync(BIN, ['raw', join(dir, 'big.bin')], { cwd: REPO, maxBuffer: 1 << 26 });
    expect(r.stderr.toString()).toBe('');
    expect(r.status).toBe(0);
    const ref = spawnSync(PROTOC, ['--decode_raw'], { input: big, maxBuffer: 1 << 26 }).stdout;
    expect(ref.length).toBeGreaterThan(3 << 20); // several chunks, written to the descriptor from one reused buffer
    expect(r.stdout.equals(ref)).toBe(true);
  });

  it('reads a file a window at a time: a field bigger than a window, and garbage after a megabyte of fields', () => {
    const fields = Array.from({ length: 30_000 }, () => [...shapeBin]).flat(); // about 1.5 MB of fields
    const huge = [0x0a, 0x80, 0x80, 0x80, 0x01, ...new Uint8Array(2 << 20).fill(0x61)]; // field 1: 2 MiB of "a"
    const good = new Uint8Array([...fields, ...huge, ...shapeBin]);
    writeFileSync(join(dir, 'windows.bin'), good);
    const r = spawnSync(BIN, ['raw', join(dir, 'windows.bin')], { cwd: REPO, maxBuffer: 1 << 27 });
    expect(r.stderr.toString()).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.equals(spawnSync(PROTOC, ['--decode_raw'], { input: good, maxBuffer: 1 << 27 }).stdout)).toBe(true);

    const bad = new Uint8Array([...fields, 0x08, 0x96, 0x01, 0x0f, 0xff]); // then 1: 150, then wire type 7
    writeFileSync(join(dir, 'windows-bad.bin'), bad);
    const b = spawnSync(BIN, ['raw', join(dir, 'windows-bad.bin')], { cwd: REPO, maxBuffer: 1 << 27 });
    expect(b.status).toBe(1);
    expect(b.stderr.toString()).toContain(`stopped at byte ${fields.length + 3}`);
    expect(b.stdout.toString('latin1')).toBe(rawToText(decodeRaw(bad)));
  });

  it('stops quietly with exit 0 when the reader of its output leaves early (| head), as protoc does', () => {
    const big = join(dir, 'big-for-head.bin');
    writeFileSync(big, new Uint8Array(Array.from({ length: 40_000 }, () => [...shapeBin]).flat()));
    const r = spawnSync('bash', ['-c', 'set -o pipefail; "$0" "$1" raw "$2" | head -c 100 > /dev/null', process.execPath, BIN, big], {
      cwd: REPO,
    });
    expect(r.stderr.toString()).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('the prebuilt CLI bundle (bin/cli-bundle.mjs)', () => {
  it('is run only while every file it was built from has its recorded mtime and size', () => {
    const bundleDir = join(dir, 'bundle');
    mkdirSync(bundleDir, { recursive: true });
    const input = join(dir, 'input.ts');
    writeFileSync(input, 'export const a = 1;\n');
    const before = new Date(Date.now() - 10_000);
    utimesSync(input, before, before); // written well before the build started
    const entry = pathToFileURL(join(bundleDir, 'protodesk.mjs')).href;

    expect(freshBundle(bundleDir)).toBeNull(); // never built
    expect(recordInputs([input], Date.now(), bundleDir)).toBeNull();
    expect(freshBundle(bundleDir)).toBe(entry);

    const edited = new Date(before.getTime() + 1000);
    utimesSync(input, edited, edited); // same size, another mtime: an edit
    expect(freshBundle(bundleDir)).toBeNull();

    utimesSync(input, before, before);
    expect(freshBundle(bundleDir)).toBe(entry);
    writeFileSync(input, 'export const a = 12;\n');
    utimesSync(input, before, before); // same mtime, another size
    expect(freshBundle(bundleDir)).toBeNull();

    expect(recordInputs([input], Date.now(), bundleDir)).toBeNull();
    rmSync(input);
    expect(freshBundle(bundleDir)).toBeNull(); // an input is gone

    writeFileSync(input, 'export const a = 1;\n'); // modified while a build that started just now ran
    forgetInputs(bundleDir);
    expect(recordInputs([input], Date.now(), bundleDir)).toBe(input);
    expect(freshBundle(bundleDir)).toBeNull();
  });
});
