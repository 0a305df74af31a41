import { describe, expect, it } from 'vitest';
import protobuf from 'protobufjs';
import { isValidUtf8 } from '../wire/utf8';
import { rankRegistryTypes, rankTypes } from './detect-type';

const bytes = (...b: number[]) => new Uint8Array(b);
const ascii = (s: string) => Array.from(new TextEncoder().encode(s));

const PROTO3 = `
syntax = "proto3";
package test;
enum PhoneType { MOBILE = 0; HOME = 1; WORK = 2; }
message PhoneNumber { string number = 1; PhoneType type = 2; }
message Person { string name = 1; int32 id = 2; string email = 3; repeated PhoneNumber phones = 4; }
message Point { double x = 1; double y = 2; }
message Event { int64 timestamp = 1; bytes payload = 2; map<string, string> labels = 3; Point where = 4; }
message Counter { repeated int32 values = 1; bool enabled = 2; }
message Blob { bytes data = 1; }
message Note { string text = 1; }
message Envelope { oneof body { Person person = 1; Point point = 2; Event event = 3; Counter counter = 4; } }
message PersonList { repeated Person people = 1; }
message Wrapper { Person person = 1; }
message PhoneTypes { repeated PhoneType types = 1; }
`;
const PROTO2 = `
syntax = "proto2";
package legacy;
message Record { required string code = 1; optional int32 id = 2; }
message WithGroup { optional group Item = 5 { optional int32 a = 1; } }
`;

function loadTypes(): protobuf.Type[] {
  const root = new protobuf.Root();
  protobuf.parse(PROTO3, root, { keepCase: true });
  protobuf.parse(PROTO2, root, { keepCase: true });
  root.resolveAll();
  const out: protobuf.Type[] = [];
  const walk = (ns: protobuf.NamespaceBase) => {
    for (const o of ns.nestedArray) {
      if (o instanceof protobuf.Type) out.push(o);
      if (o instanceof protobuf.Namespace || o instanceof protobuf.Type) walk(o);
    }
  };
  walk(root);
  return out;
}
const types = loadTypes();
const first = (buf: Uint8Array) => rankTypes(buf, types)[0].typeName;

const person = bytes(
  0x0a,
  0x05,
  ...ascii('Alice'), // tag 1 LEN, length 5: name = "Alice"
  0x10,
  0x2a, // tag 2 VARINT: id = 42
  0x1a,
  0x0b,
  ...ascii('a@b.example'), // tag 3 LEN, length 11: email
  0x22,
  0x08, // tag 4 LEN, length 8: phones[0] (PhoneNumber)
  0x0a,
  0x04,
  ...ascii('5551'), //   tag 1 LEN, length 4: number = "5551"
  0x10,
  0x01, //   tag 2 VARINT: type = HOME
);

describe('rankTypes', () => {
  it('ranks the right type first for a message of each type', () => {
    expect(first(person)).toBe('test.Person');
    expect(
      first(
        bytes(
          0x0a,
          0x04,
          ...ascii('5551'), // tag 1 LEN, length 4: number
          0x10,
          0x02, // tag 2 VARINT: type = WORK
        ),
      ),
    ).toBe('test.PhoneNumber');
    expect(
      first(
        bytes(
          0x09,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0xf8,
          0x3f, // tag 1 I64: x = 1.5
          0x11,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x04,
          0xc0, // tag 2 I64: y = -2.5
        ),
      ),
    ).toBe('test.Point');
    expect(
      first(
        bytes(
          0x08,
          0xe8,
          0x07, // tag 1 VARINT: timestamp = 1000
          0x12,
          0x02,
          0xff,
          0x00, // tag 2 LEN, length 2: payload (not UTF-8)
          0x1a,
          0x06, // tag 3 LEN, length 6: labels entry
          0x0a,
          0x01,
          0x6b, //   tag 1 LEN, length 1: key "k"
          0x12,
          0x01,
          0x76, //   tag 2 LEN, length 1: value "v"
          0x22,
          0x09, // tag 4 LEN, length 9: where (Point)
          0x09,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0xf0,
          0x3f, //   tag 1 I64: x = 1.0
        ),
      ),
    ).toBe('test.Event');
    expect(
      first(
        bytes(
          0x0a,
          0x04,
          0x96,
          0x01,
          0xac,
          0x02, // tag 1 LEN, length 4: values = [150, 300] packed (not UTF-8)
          0x10,
          0x01, // tag 2 VARINT: enabled = true
        ),
      ),
    ).toBe('test.Counter');
    expect(
      first(
        bytes(
          0x2b, // tag 5 SGROUP: Item
          0x08,
          0x07, //   tag 1 VARINT: a = 7
          0x2c, // tag 5 EGROUP
        ),
      ),
    ).toBe('legacy.WithGroup');
  });

  it('judges a big message on its top-level fields within maxBytes, and says so', () => {
    // A PersonList of 2,000 people (about 60 KB), judged on at most 4 KB: whole fields only.
    const entry = [0x0a, person.length, ...person];
    const list = new Uint8Array(Array.from({ length: 2000 }, () => entry).flat());
    const ranks = rankTypes(list, types, { maxBytes: 4096 });
    expect(ranks[0].typeName).toBe('test.PersonList');
    const judged = Math.floor(4096 / entry.length) * entry.length;
    expect(ranks[0].reasons).toContain(`judged on the top-level fields in the first ${judged} of ${list.length} bytes`);
    // The sample ends on a field boundary, so nothing in it reads as malformed.
    expect(ranks[0].reasons?.join('; ')).not.toMatch(/do not parse/);
    expect(ranks[0].reasons).toContain(`explains ${judged}/${judged} bytes with declared fields`);
    // What lies past the sample is not read: a broken tail leaves the ranking as it was.
    const broken = list.slice();
    broken.fill(0xff, list.length - 100);
    expect(rankTypes(broken, types, { maxBytes: 4096 })).toEqual(ranks);
    // Within the bound (the default is 256 KiB) the whole message is judged, with no such note.
    const whole = rankTypes(list, types);
    expect(whole[0].reasons?.some((r) => r.startsWith('judged on'))).toBe(false);
    expect(whole[0].reasons).toContain(`explains ${list.length}/${list.length} bytes with declared fields`);
    // A first field bigger than the bound is judged whole: nothing shorter would parse.
    const one = new Uint8Array([0x0a, 0x80, 0x40, ...new Uint8Array(8192).fill(0x61)]);
    expect(rankTypes(one, types, { maxBytes: 4096 })[0].reasons?.some((r) => r.startsWith('judged on'))).toBe(false);
  });

  it('still ranks the type first when the message has unknown fields', () => {
    const withUnknown = new Uint8Array([
      ...person,
      0x78,
      0x01, // tag 15 VARINT: unknown to Person
      0x4a,
      0x02,
      0x01,
      0x02, // tag 9 LEN, length 2: unknown to Person
    ]);
    const ranks = rankTypes(withUnknown, types);
    expect(ranks[0].typeName).toBe('test.Person');
    expect(ranks[0].score).toBeLessThan(rankTypes(person, types)[0].score);
    expect(ranks[0].reasons?.join('; ')).toMatch(/6\/8 field occurrences/);
  });

  it('penalizes wire-type mismatches, invalid strings, unknown enum values and missing required fields', () => {
    // Person with name (string) holding invalid UTF-8
    const badName = bytes(0x0a, 0x02, 0xc3, 0x28, 0x10, 0x01); // tag 1 LEN "\xc3(" (invalid), tag 2 VARINT 1
    const r = rankTypes(badName, types);
    const p = r.find((x) => x.typeName === 'test.Person')!;
    expect(p.reasons?.join('; ')).toMatch(/not valid UTF-8/);
    expect(r[0].typeName).not.toBe('test.Person');

    // PhoneNumber with enum value 9, not declared
    const badEnum = rankTypes(bytes(0x0a, 0x01, 0x31, 0x10, 0x09), types); // tag 1 LEN "1", tag 2 VARINT 9
    expect(badEnum.find((x) => x.typeName === 'test.PhoneNumber')?.reasons?.join('; ')).toMatch(/enum value/);

    // only id = 5: legacy.Record lacks its required code, so it ranks below Person
    const idOnly = rankTypes(bytes(0x10, 0x05), types); // tag 2 VARINT 5
    const rec = idOnly.findIndex((x) => x.typeName === 'legacy.Record');
    expect(idOnly.findIndex((x) => x.typeName === 'test.Person')).toBeLessThan(rec);
    expect(idOnly[rec].reasons?.join('; ')).toMatch(/required/);

    // Point with a varint at field 1: a mismatch
    const pt = rankTypes(bytes(0x08, 0x01), types, { reasonsFor: types.length }).find((x) => x.typeName === 'test.Point')!; // tag 1 VARINT 1
    expect(pt.score).toBeLessThan(0.1);
    expect(pt.reasons?.join('; ')).toMatch(/mismatch/);
  });

  it('treats a nested field that does not parse as its type as a mismatch', () => {
    const badNested = bytes(
      0x22,
      0x03,
      0x08,
      0x01,
      0x0f, // tag 4 LEN, length 3: where = { tag 1 VARINT 1, wire type 7 } (malformed)
    );
    const r = rankTypes(badNested, types);
    const ev = r.find((x) => x.typeName === 'test.Event')!;
    expect(ev.reasons?.join('; ')).toMatch(/does not parse as test.Point/);
  });

  it('scores malformed input low but still ranks it, in 0..1', () => {
    const r = rankTypes(bytes(0x0a, 0x05, 0x41), types); // tag 1 LEN, length 5, but one byte follows
    for (const x of r) {
      expect(x.score).toBeGreaterThanOrEqual(0);
      expect(x.score).toBeLessThanOrEqual(0.5);
    }
    expect(r[0].reasons?.join('; ')).toMatch(/do not parse past byte 0/);
  });

  it('ranks nothing for empty input: every type reads it, so there is no evidence', () => {
    expect(rankTypes(new Uint8Array(0), types)).toEqual([]);
    expect(rankRegistryTypes(new Uint8Array(0), { messageTypes: () => types })).toEqual([]);
  });

  it('honours limit and ranks over a registry', () => {
    const r = rankRegistryTypes(person, { messageTypes: () => types }, { limit: 2, reasonsFor: 1 });
    expect(r).toHaveLength(2);
    expect(r[0].reasons).toBeDefined();
    expect(r[1].reasons).toBeUndefined();
  });
});

describe('rankTypes: nested structure', () => {
  const wrapped = bytes(
    0x0a,
    person.length,
    ...person, // tag 1 LEN: a Person (or opaque bytes, or a string with control characters)
  );

  it('prefers a message field that explains a nested message over a bytes or string field that swallows it', () => {
    const r = rankTypes(wrapped, types);
    const at = (name: string) => r.findIndex((x) => x.typeName === name);
    expect(at('test.Envelope')).toBeLessThan(at('test.Blob'));
    expect(at('test.Wrapper')).toBeLessThan(at('test.Blob'));
    expect(at('test.Wrapper')).toBeLessThan(at('test.Note'));
    expect(r.find((x) => x.typeName === 'test.Blob')?.reasons?.join('; ')).toMatch(/hold what parses as a nested message/);
  });

  it('still credits a bytes field in full for opaque binary and a string field for text', () => {
    const blob = rankTypes(bytes(0x0a, 0x04, 0x9e, 0x11, 0x04, 0x7a), types); // tag 1 LEN: 4 random bytes
    expect(blob[0].typeName).toBe('test.Blob');
    expect(blob[0].score).toBeGreaterThanOrEqual(0.99);
    const note = rankTypes(bytes(0x0a, 0x05, ...ascii('hi\tyo')), types).find((x) => x.typeName === 'test.Note')!; // tag 1 LEN: text
    expect(note.score).toBeGreaterThanOrEqual(0.99);
  });

  it('counts a oneof as one usage slot, so a oneof wrapper with one member set uses all it declares', () => {
    const env = rankTypes(wrapped, types).find((x) => x.typeName === 'test.Envelope')!;
    expect(env.reasons?.join('; ')).toMatch(/uses 1\/1 top-level slots \(4 declared fields/);
  });

  it('breaks ties of identical reads by cardinality: one element fits a singular field, several a repeated one', () => {
    const once = rankTypes(wrapped, types).map((x) => x.typeName);
    expect(once.indexOf('test.Wrapper')).toBeLessThan(once.indexOf('test.PersonList'));
    const twice = rankTypes(new Uint8Array([...wrapped, ...wrapped]), types).map((x) => x.typeName);
    expect(twice.indexOf('test.PersonList')).toBeLessThan(twice.indexOf('test.Wrapper'));
  });

  it('treats a packed run as a match only as far as its content is not a message, and checks packed enum values', () => {
    const r = rankTypes(wrapped, types, { reasonsFor: types.length });
    const counter = r.find((x) => x.typeName === 'test.Counter')!;
    expect(counter.reasons?.join('; ')).toMatch(/packed fields hold what parses as a nested message/);
    expect(counter.score).toBeLessThan(0.6);
    const enums = rankTypes(bytes(0x0a, 0x02, 0x01, 0x07), types, { reasonsFor: types.length }); // tag 1 LEN: packed [HOME, 7]
    expect(enums.find((x) => x.typeName === 'test.PhoneTypes')?.reasons?.join('; ')).toMatch(/1 enum value/);
    expect(rankTypes(bytes(0x0a, 0x02, 0x01, 0x02), types)[0].typeName).toBe('test.PhoneTypes'); // tag 1 LEN: packed [HOME, WORK]
  });
});

describe('isValidUtf8', () => {
  it('agrees with a strict TextDecoder', () => {
    const strict = new TextDecoder('utf-8', { fatal: true });
    const samples = [
      [0x61],
      [0xc3, 0xa9],
      [0xe2, 0x9c, 0x93],
      [0xf0, 0x9f, 0x98, 0x80], // valid
      [0xc0, 0x80],
      [0xe0, 0x80, 0x80],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xff],
      [0xc3],
      [0x80], // invalid
    ];
    let seed = 99;
    for (let i = 0; i < 3000; i++) {
      const n = 1 + (i % 6);
      samples.push(Array.from({ length: n }, () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) >>> 24));
    }
    for (const s of samples) {
      const b = new Uint8Array(s);
      let ok = true;
      try {
        strict.decode(b);
      } catch {
        ok = false;
      }
      expect(isValidUtf8(b), s.join(',')).toBe(ok);
    }
  });
});
