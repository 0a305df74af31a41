/** The fuzzer's own parts: deterministic inputs, the wire map, mutation bounds, minimization, classification. */
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { SchemaRegistry } from '../core/schema/registry';
import { DecodeError } from '../core/wire/decode-error';
import { makeContext, minimize, planInput } from './engine';
import { BINARY_MUTATIONS, mutateBytes, mutateOnce } from './mutate';
import { mutateString } from './mutate-string';
import { overlongVarint, tag, varint, wireMap } from './wire-map';
import { Rng } from './rng';
import { builtinSeeds, type Seed } from './seeds';
import { makeEnv } from './fuzz-case';
import { classifyError, runCase, signatureOf } from './targets';

// livekit.Room-shaped test schema, so the built-in seeds have their type.
const root = protobuf.parse(`
syntax = "proto3";
package livekit;
message Room { string sid = 1; string name = 2; uint32 empty_timeout = 3; int64 creation_time = 5; uint32 num_participants = 9; }
message UserPacket { bytes payload = 2; }
message DataPacket { int32 kind = 1; UserPacket user = 2; repeated string destination_identities = 5; }
message TrickleRequest { string candidateInit = 1; int32 target = 2; }
message SignalRequest { TrickleRequest trickle = 3; int64 ping = 14; }
`).root;
const env = makeEnv(new SchemaRegistry(root));
const seeds: Seed[] = builtinSeeds().map((s) => ({
  ...s,
  stream: false,
  fieldNames: ['sid', 'name'],
  json: '{"sid":"a"}',
  text: 'sid: "a"',
}));
const ctx = makeContext(env, seeds);

describe('fuzz inputs', () => {
  it('input i is a pure function of (seed, i)', () => {
    for (const i of [0, 1, 17, 99_999]) {
      const a = planInput(ctx, 42, i);
      const b = planInput(ctx, 42, i);
      expect(a.ops).toEqual(b.ops);
      expect(a.cases.map((c) => [c.target, c.typeName, c.mode, Buffer.from(c.bytes).toString('hex'), c.text])).toEqual(
        b.cases.map((c) => [c.target, c.typeName, c.mode, Buffer.from(c.bytes).toString('hex'), c.text]),
      );
    }
    expect(planInput(ctx, 42, 5).ops).not.toEqual(planInput(ctx, 43, 5).ops);
  });

  it('every binary mutation runs, and stacked mutations respect the size cap', () => {
    const rng = new Rng(7);
    const seed = seeds[2].bytes;
    for (const m of BINARY_MUTATIONS)
      for (let k = 0; k < 50; k++) expect(mutateOnce(rng, seed, m, seeds[0].bytes)).toBeInstanceOf(Uint8Array);
    for (let k = 0; k < 500; k++) expect(mutateBytes(rng, seed, seeds[1].bytes, 256).bytes.length).toBeLessThanOrEqual(256);
    for (let k = 0; k < 200; k++) expect(typeof mutateString(rng, '{"sid": "a", "numParticipants": 3}', 'json', ['sid'])).toBe('string');
  });

  it('wireMap finds tags and length prefixes, descending into LEN values that parse', () => {
    // field 2 LEN { field 2 LEN 00 01 (not fields: field 0) }, field 1 varint 1
    const bytes = Uint8Array.from([...tag(2, 2), 4, ...tag(2, 2), 2, 0x00, 0x01, ...tag(1, 0), 1]);
    const map = wireMap(bytes);
    expect(map.tags.map((t) => [t.pos, t.fn, t.wt])).toEqual([
      [0, 2, 2],
      [2, 2, 2],
      [6, 1, 0],
    ]);
    expect(map.lens.map((l) => [l.pos, l.wt])).toEqual([
      [1, 4],
      [3, 2],
    ]);
  });

  it('varint helpers: canonical and over-long encodings', () => {
    expect(varint(300)).toEqual([0xac, 0x02]);
    expect(varint(2n ** 64n - 1n)).toHaveLength(10);
    expect(overlongVarint(1, 3)).toEqual([0x81, 0x80, 0x00]);
  });
});

describe('classification', () => {
  it('a DecodeError naming an offset inside the input is a clean rejection; outside it is not', () => {
    expect(classifyError(new DecodeError(3, 'a varint'), 'byte', 10).kind).toBe('reject');
    expect(classifyError(new DecodeError(11, 'a varint'), 'byte', 10).kind).toBe('no-offset');
  });

  it('TypeError, RangeError and stack overflows are crashes; a plain Error without a position is no-offset', () => {
    expect(classifyError(new TypeError('x is undefined'), 'byte', 1).kind).toBe('crash');
    expect(classifyError(new RangeError('Maximum call stack size exceeded'), 'text', 1).detail).toMatch(/stack overflow/);
    expect(classifyError(new Error('bad'), 'byte', 1).kind).toBe('no-offset');
    expect(classifyError(new Error('3:4: bad'), 'text', 1).kind).toBe('reject');
  });

  it('runCase: truncated input is a clean rejection for strict decode and never throws for raw decode', () => {
    const bytes = seeds[0].bytes.subarray(0, 5);
    expect(runCase(env, { target: 'decode', bytes, typeName: 'livekit.Room', mode: 'strict' }).kind).toBe('reject');
    expect(runCase(env, { target: 'decode', bytes, typeName: 'livekit.Room', mode: 'partial' }).kind).toBe('ok');
    expect(runCase(env, { target: 'raw', bytes, typeName: null, mode: 'strict' }).kind).toBe('ok');
    expect(runCase(env, { target: 'encode', bytes: seeds[0].bytes, typeName: 'livekit.Room', mode: 'strict' }).kind).toBe('ok');
  });

  it('minimize shrinks an input while it fails the same way', () => {
    // A "failure" we can control: text-parse of a text whose number is out of any range.
    const c = {
      target: 'text-parse' as const,
      bytes: new Uint8Array(0),
      text: 'sid: "abc"\nname: "x"\n99999999999999999999999: 1\n',
      typeName: 'livekit.Room',
      mode: 'strict' as const,
    };
    const o = runCase(env, c);
    if (o.kind === 'ok' || o.kind === 'reject') return; // nothing to minimize once the parser handles it
    const small = minimize(env, c, signatureOf('text-parse', o), 500, 2000);
    expect(small.text!.length).toBeLessThan(c.text.length);
  });
});
