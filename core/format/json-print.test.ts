import { createRegistryFromDescriptors } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { JSON_CASES as CASES, JSON_FORMAT_FILES } from '../../testing/json-format-fixtures';
import { protocSchema } from '../../testing/protoc';
import { decodeMessage } from '../document/decode';
import { encodeMessage } from '../document/encode';
import { loadSchemaSources } from '../schema/registry';
import { WireWriter } from '../wire/wire-writer';
import { WireType } from '../wire/wire-types';
import { fromJson } from './json-parse';
import { toJson, toJsonString } from './json-print';
import { JsonFormatError, JsonPrintError } from './json-text';
import { formatDuration, formatTimestamp, parseDuration, parseTimestamp } from './json-well-known';

const files = JSON_FORMAT_FILES;
const schema = protocSchema(files);
const registry = loadSchemaSources(Object.entries(files).map(([name, contents]) => ({ name, contents })));
const Room = registry.findMessage('j.Room')!;
const Old = registry.findMessage('j2.Old')!;
const es = createRegistryFromDescriptors(schema.descriptorSet());

/** Our JSON for bytes of a type. */
function ours(typeName: string, bytes: Uint8Array, protoNames = false): unknown {
  return toJson(decodeMessage(bytes, registry.findMessage(typeName)!), { registry, protoNames });
}

/** protobuf-es's JSON for the same bytes. */
function theirs(typeName: string, bytes: Uint8Array, protoNames = false): unknown {
  const mt = es.findMessage(typeName)!;
  return mt.fromBinary(bytes).toJson({ typeRegistry: es, useProtoFieldName: protoNames });
}

describe('toJson agrees with protobuf-es', () => {
  it.each(CASES)('%s', (text) => {
    const bytes = schema.encode('j.Room', text);
    expect(ours('j.Room', bytes)).toEqual(theirs('j.Room', bytes));
    expect(ours('j.Room', bytes, true)).toEqual(theirs('j.Room', bytes, true));
  });

  it('prints proto2 fields when present, groups under their field name, extensions in brackets', () => {
    const bytes = schema.encode('j2.Old', 'a: 0 s: "x" r: 5 G { x: 1 } [j2.ext]: 3');
    expect(ours('j2.Old', bytes)).toEqual({ a: 0, s: 'x', r: '5', g: { x: 1 }, '[j2.ext]': 3 });
    expect(ours('j2.Old', bytes)).toEqual(theirs('j2.Old', bytes));
  });
});

describe('toJson rules', () => {
  it('writes fields in field number order, 64-bit as strings, and leaves out unknown fields', () => {
    const w = new WireWriter();
    w.tag(9, 1).double(2.5); // double d = 9
    w.tag(2, 0).varint64(-1n); // int64 i64 = 2 (-1, 10 bytes)
    w.tag(999, 0).uvarint(1); // unknown field 999
    w.tag(1, 0).uvarint(0); // int32 i32 = 1 explicitly 0: no presence, left out
    const json = toJsonString(decodeMessage(w.finish(), Room), { indent: 0 });
    expect(json).toBe('{"i64":"-1","d":2.5}');
  });

  it('prints floats as the shortest decimal of the 32-bit value, specials as strings', () => {
    const w = new WireWriter();
    w.tag(8, 5).float(0.1); // float f = 8: 0.1f
    w.tag(35, 2).lengthDelimited(new WireWriter().double(NaN).double(Infinity).double(-Infinity).double(-0).finish()); // packed ds
    expect(toJson(decodeMessage(w.finish(), Room))).toEqual({ f: 0.1, ds: ['NaN', 'Infinity', '-Infinity', -0] });
    expect(toJsonString(decodeMessage(w.finish(), Room), { indent: 0 })).toBe('{"f":0.1,"ds":["NaN","Infinity","-Infinity",-0]}');
  });

  it('prints absent fields without presence with their defaults when asked', () => {
    const bytes = new WireWriter().tag(11, 2).lengthDelimited(new TextEncoder().encode('r')).finish(); // string name = 11: "r"
    const json = toJson(decodeMessage(bytes, Room), { emitDefaults: true }) as Record<string, unknown>;
    expect(json).toMatchObject({
      i32: 0,
      i64: '0',
      f: 0,
      ok: false,
      name: 'r',
      data: '',
      mood: 'MOOD_UNSPECIFIED',
      participants: [],
      counts: {},
      nul: null,
    });
    expect('host' in json || 'opt' in json || 'text' in json).toBe(false); // fields with presence stay out
    expect(Object.keys(json).slice(0, 3)).toEqual(['i32', 'i64', 'u64']);
  });

  it('prints absent message fields and proto2 scalars as null with emitUnpopulated, oneofs and proto3 optional left out (as protojson, Twirp Go)', () => {
    const bytes = new WireWriter().tag(11, 2).lengthDelimited(new TextEncoder().encode('r')).finish(); // string name = 11: "r"
    const json = toJson(decodeMessage(bytes, Room), { emitUnpopulated: true, protoNames: true }) as Record<string, unknown>;
    expect(json).toMatchObject({
      i64: '0',
      name: 'r',
      mood: 'MOOD_UNSPECIFIED',
      participants: [],
      by_id: {},
      host: null,
      created_at: null,
      wi64: null,
      val: null,
      empty: null,
    });
    expect('opt' in json || 'text' in json || 'who' in json).toBe(false);
    const old = toJson(decodeMessage(new WireWriter().tag(3, 0).uvarint(7).finish(), Old), { emitUnpopulated: true }) as Record<
      string,
      unknown
    >; // required int64 r = 3: 7
    expect(old).toEqual({ a: null, s: null, r: '7', g: null }); // what protojson prints for j2.Old with only r set
  });

  it('prints -0.0 in a proto3 double as present (as C++ and Go do; protobuf-es drops it)', () => {
    const bytes = new WireWriter().tag(9, 1).double(-0).finish(); // double d = 9: -0.0
    expect(toJsonString(decodeMessage(bytes, Room), { indent: 0 })).toBe('{"d":-0}');
    expect(encodeMessage(fromJson('{"d": -0}', Room), new Uint8Array(0))).toEqual(bytes);
  });

  it('prints enum numbers outside the enum as numbers, and NullValue as null', () => {
    const w = new WireWriter();
    w.tag(13, 0).uvarint(77); // Mood mood = 13: 77
    w.tag(34, 0).uvarint(0); // NullValue nul = 34: 0 has no presence in proto3
    expect(toJson(decodeMessage(w.finish(), Room))).toEqual({ mood: 77 });
  });

  it('formats timestamps and durations as protojson does', () => {
    expect(formatTimestamp(0n, 0)).toBe('1970-01-01T00:00:00Z');
    expect(formatTimestamp(1n, 10_000_000)).toBe('1970-01-01T00:00:01.010Z');
    expect(formatTimestamp(1n, 10_000)).toBe('1970-01-01T00:00:01.000010Z');
    expect(formatTimestamp(1n, 1)).toBe('1970-01-01T00:00:01.000000001Z');
    expect(formatTimestamp(253402300799n, 999999999)).toBe('9999-12-31T23:59:59.999999999Z');
    expect(() => formatTimestamp(253402300800n, 0)).toThrowError(JsonFormatError);
    expect(formatDuration(1n, 500_000_000)).toBe('1.500s');
    expect(formatDuration(0n, -1000)).toBe('-0.000001s');
    expect(formatDuration(-5n, 0)).toBe('-5s');
    expect(() => formatDuration(1n, -1)).toThrowError(/must be below 1e9 in size and of the sign of seconds 1/);
    expect(parseTimestamp('1972-01-01T10:00:20.021+01:30')).toEqual({ seconds: 63108020n - 5400n, nanos: 21_000_000 });
    expect(parseTimestamp('0001-01-01T00:00:00Z')).toEqual({ seconds: -62135596800n, nanos: 0 });
    expect(() => parseTimestamp('2024-02-30T00:00:00Z')).toThrowError(/not a valid date/);
    expect(parseDuration('-0.5s')).toEqual({ seconds: 0n, nanos: -500_000_000 });
  });

  it('names the path of a value that has no JSON form', () => {
    const w = new WireWriter();
    w.tag(15, 2).lengthDelimited(new Uint8Array()); // participants[0]: empty
    const ts = new WireWriter().tag(1, 0).varint64(300000000000n).finish(); // Timestamp seconds beyond year 9999
    w.tag(15, 2).lengthDelimited(new Uint8Array()); // participants[1]
    w.tag(23, 2).lengthDelimited(ts); // created_at
    let e: unknown;
    try {
      toJson(decodeMessage(w.finish(), Room));
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(JsonPrintError);
    expect(e).toMatchObject({ path: '$.createdAt', rule: 'timestamp-range' });
    expect((e as Error).message).toBe(
      'at $.createdAt: cannot be written as JSON: google.protobuf.Timestamp seconds 300000000000 is outside 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z, the range JSON can hold',
    );
  });
});

describe('toJson without a schema', () => {
  it('refuses a root decoded without a type', () => {
    expect(() => toJson(decodeMessage(new Uint8Array([0x08, 0x01]), null))).toThrowError(/without a schema/); // field 1 varint 1
    expect(Old.name).toBe('Old');
  });
});

describe('a deep tree prints as a JsonFormatError, never a stack overflow', () => {
  const deep = loadSchemaSources([
    { name: 'deep.proto', contents: 'syntax = "proto3"; package deep; message Node { Node child = 1; int32 v = 2; }' },
  ]);
  const Node = deep.findMessage('deep.Node')!;

  it('toJson and toJsonString of a tree 100,000 levels deep (a lazy decode with a raised depth limit)', () => {
    const w = new WireWriter();
    const lens: number[] = []; // bytes inside each level, innermost first
    for (let d = 0, n = 0; d < 100_000; d++, n += 1 + new WireWriter().uvarint(n).finish().length) lens.push(n);
    for (let d = lens.length - 1; d >= 0; d--) w.tag(1, WireType.LEN).uvarint(lens[d]); // tag 1 LEN: child, its length
    const root = decodeMessage(w.finish(), Node, { lazy: true, limits: { maxDepth: 10_000_000 } });
    expect(() => toJson(root)).toThrow(/^at \$: cannot be written as JSON: the message nests too deep to convert/);
    expect(() => toJsonString(root)).toThrow(JsonFormatError);
  });
});
