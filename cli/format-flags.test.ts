import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { esReferee, type EsReferee } from '../conformance/referees/protobuf-es';
import { protocSchema, type ProtocSchema } from '../testing/protoc';
import type { CliIO } from './command';
import { main } from './main';

/** The format flags of decode and encode, each checked against the referee that defines it. */
const SCHEMA = `syntax = "proto3";
package flags;
enum Color { COLOR_UNSPECIFIED = 0; RED = 1; }
message Inner { int32 v = 1; }
message M {
  string display_name = 1;
  int64 big_id = 2;
  Color color = 3;
  repeated int32 list_of_ints = 4;
  map<string, int32> by_name = 5;
  Inner inner = 6;
  optional int32 maybe = 7;
  bytes raw_bytes = 8;
}
`;

let dir: string;
let protoc: ProtocSchema;
let es: EsReferee;
const schemaArgs = () => ['--no-bundled', '-I', dir, '--proto', join(dir, 'flags.proto')];

async function run(argv: string[]) {
  const out: Buffer[] = [];
  const err: string[] = [];
  const io: CliIO = {
    stdout: { write: (c) => out.push(Buffer.from(typeof c === 'string' ? Buffer.from(c) : c)) },
    stderr: { write: (c) => err.push(String(c)) },
    readStdin: async () => new Uint8Array(),
    cwd: dir,
  };
  const code = await main(argv, {}, io);
  return { code, bytes: Buffer.concat(out), stdout: Buffer.concat(out).toString('utf8'), stderr: err.join('') };
}

const file = (name: string, contents: string | Uint8Array) => {
  writeFileSync(join(dir, name), contents);
  return name;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'protodesk-flags-'));
  writeFileSync(join(dir, 'flags.proto'), SCHEMA);
  protoc = protocSchema({ 'flags.proto': SCHEMA });
  es = esReferee(protoc.descriptorSet());
});

describe('decode --proto-names and --emit-defaults', () => {
  it('print what protobuf-es prints with useProtoFieldName and alwaysEmitImplicit', async () => {
    const bytes = protoc.encode('flags.M', 'display_name: "x" list_of_ints: 3 inner { }');
    const bin = file('m.bin', bytes);
    for (const [flags, options] of [
      [[], {}],
      [['--proto-names'], { protoNames: true }],
      [['--emit-defaults'], { emitDefaults: true }],
      [['--proto-names', '--emit-defaults'], { protoNames: true, emitDefaults: true }],
    ] as const) {
      const r = await run(['decode', '--type', 'flags.M', ...flags, ...schemaArgs(), bin]);
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout), flags.join(' ')).toEqual(es.toJson('flags.M', bytes, options));
    }
  });

  it('refuse --format text, which has no such choice (exit 2)', async () => {
    const bin = file('e.bin', new Uint8Array());
    for (const flag of ['--proto-names', '--emit-defaults']) {
      const r = await run(['decode', '--type', 'flags.M', '--format', 'text', flag, ...schemaArgs(), bin]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${flag} applies to JSON output`);
    }
  });
});

describe('encode --ignore-unknown', () => {
  it('skips unknown JSON fields and enum names as protobuf-es ignoreUnknownFields does; refuses them without it', async () => {
    const json = '{"displayName":"x","nope":{"deep":[1]},"color":"PURPLE","bigId":"7"}';
    const input = file('u.json', json);
    const refused = await run(['encode', '--type', 'flags.M', ...schemaArgs(), input]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('nope');
    const r = await run(['encode', '--type', 'flags.M', '--ignore-unknown', ...schemaArgs(), input]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(Buffer.from(es.reserialize('flags.M', r.bytes)).toString('hex')).toBe(
      Buffer.from(es.fromJson('flags.M', json, { ignoreUnknown: true })).toString('hex'),
    );
  });

  it('skips unknown text format fields, encoding what protoc encodes from the text without them', async () => {
    const input = file('u.txt', 'display_name: "x" nope: 5 other { a: 1 } big_id: 7');
    expect((await run(['encode', '--type', 'flags.M', '--from', 'text', ...schemaArgs(), input])).code).toBe(1);
    const r = await run(['encode', '--type', 'flags.M', '--from', 'text', '--ignore-unknown', ...schemaArgs(), input]);
    expect(r.stderr).toBe('');
    expect(r.bytes.toString('hex')).toBe(Buffer.from(protoc.encode('flags.M', 'display_name: "x" big_id: 7')).toString('hex'));
  });
});

describe('encode input bytes', () => {
  it('keeps a leading U+FEFF inside a text format string, as protoc --encode does', async () => {
    const text = 'display_name: "\\357\\273\\277x" by_name { key: "\\357\\273\\277" value: 1 }';
    const r = await run(['encode', '--type', 'flags.M', '--from', 'text', ...schemaArgs(), file('bom.txt', text)]);
    expect(r.bytes.toString('hex')).toBe(Buffer.from(protoc.encode('flags.M', text)).toString('hex'));
    expect(r.bytes.subarray(0, 6).toString('hex')).toBe('0a04efbbbf78');
  });

  it('refuses a byte order mark before text format, as protoc does, and reads JSON after one', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const text = await run([
      'encode',
      '--type',
      'flags.M',
      '--from',
      'text',
      ...schemaArgs(),
      file('b.txt', Buffer.concat([bom, Buffer.from('big_id: 1')])),
    ]);
    expect(text.code).toBe(1);
    expect(() => protoc.encode('flags.M', Buffer.concat([bom, Buffer.from('big_id: 1')]).toString('latin1'))).toThrow();
    const json = await run([
      'encode',
      '--type',
      'flags.M',
      ...schemaArgs(),
      file('b.json', Buffer.concat([bom, Buffer.from('{"bigId":"1"}')])),
    ]);
    expect(json.stderr).toBe('');
    expect(json.bytes.toString('hex')).toBe('1001');
  });

  it('refuses input that is not UTF-8 instead of encoding U+FFFD in its place', async () => {
    const r = await run([
      'encode',
      '--type',
      'flags.M',
      '--from',
      'text',
      ...schemaArgs(),
      file('bad.txt', Buffer.from('display_name: "ab\xff"', 'latin1')),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not valid UTF-8 (at byte 17)');
  });
});

describe('--help', () => {
  it('documents every format flag', async () => {
    const decode = await run(['decode', '--help']);
    const encode = await run(['encode', '--help']);
    expect(decode.stdout + decode.stderr).toMatch(/--proto-names[\s\S]*--emit-defaults/);
    expect(encode.stdout + encode.stderr).toContain('--ignore-unknown');
  });
});
