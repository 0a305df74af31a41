import { createRegistryFromDescriptors } from '@bufbuild/protobuf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { protocSchema } from '../../testing/protoc';
import { decodeMessage } from '../document/decode';
import { encodeMessage } from '../document/encode';
import { loadSchemaSources } from '../schema/registry';
import { WireWriter } from '../wire/wire-writer';
import { WireType } from '../wire/wire-types';
import {
  formatDuration,
  formatTimestamp,
  fromJson,
  JsonFormatError,
  parseDuration,
  parseJson,
  parseTimestamp,
  toJson,
  toJsonString,
  type JsonNumber,
} from './json-format';

const P3 = `syntax = "proto3";
package j;
import "google/protobuf/any.proto";
import "google/protobuf/timestamp.proto";
import "google/protobuf/duration.proto";
import "google/protobuf/struct.proto";
import "google/protobuf/wrappers.proto";
import "google/protobuf/field_mask.proto";
import "google/protobuf/empty.proto";
enum Mood { MOOD_UNSPECIFIED = 0; HAPPY = 1; SAD = 2; }
message Participant { string identity = 1; int64 joined_at = 2; repeated string tags = 3; }
message Room {
  int32 i32 = 1;
  int64 i64 = 2;
  uint64 u64 = 3;
  sint64 s64 = 4;
  fixed64 fx64 = 5;
  sfixed64 sfx64 = 6;
  uint32 u32 = 7;
  float f = 8;
  double d = 9;
  bool ok = 10;
  string name = 11;
  bytes data = 12;
  Mood mood = 13;
  Participant host = 14;
  repeated Participant participants = 15;
  repeated int32 nums = 16;
  map<string, int64> counts = 17;
  map<int32, Participant> by_id = 18;
  map<bool, Mood> flags = 19;
  optional int32 opt = 20;
  oneof choice { string text = 21; Participant who = 22; }
  google.protobuf.Timestamp created_at = 23;
  google.protobuf.Duration ttl = 24;
  google.protobuf.Any extra = 25;
  google.protobuf.Struct meta = 26;
  google.protobuf.Value val = 27;
  google.protobuf.ListValue list = 28;
  google.protobuf.Int64Value wi64 = 29;
  google.protobuf.StringValue wstr = 30;
  google.protobuf.BoolValue wbool = 31;
  google.protobuf.FieldMask mask = 32;
  google.protobuf.Empty empty = 33;
  google.protobuf.NullValue nul = 34;
  repeated double ds = 35;
  string custom_named = 36 [json_name = "renamed"];
  repeated Mood moods = 37;
  google.protobuf.DoubleValue wdouble = 38;
  google.protobuf.BytesValue wbytes = 39;
  google.protobuf.UInt32Value wu32 = 40;
}
`;

const P2 = `syntax = "proto2";
package j2;
message Old {
  optional int32 a = 1;
  optional string s = 2 [default = "x"];
  required int64 r = 3;
  optional group G = 4 { optional int32 x = 1; }
  extensions 100 to 200;
}
extend Old { optional int32 ext = 100; }
`;

const files = { 'j.proto': P3, 'j2.proto': P2 };
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

const CASES = [
  'i32: -5 i64: -9223372036854775808 u64: 18446744073709551615 s64: -2 fx64: 7 sfx64: -7 u32: 4294967295',
  'f: 1.5 d: 0.1 ok: true name: "héllo \\"q\\"" data: "\\000\\377ab" mood: SAD',
  'ds: [0, -0, 1e300, 5e-324]',
  'host { identity: "a" joined_at: 1700000000000 tags: ["x", "y"] } participants { identity: "b" } participants { }',
  'nums: [1, -1, 2147483647] counts { key: "a" value: 1 } counts { key: "" value: -1 } by_id { key: -3 value { identity: "neg" } } flags { key: true value: HAPPY } flags { key: false value: MOOD_UNSPECIFIED }',
  'opt: 0',
  'text: ""',
  'who { }',
  'created_at { seconds: 1700000000 nanos: 123000000 } ttl { seconds: -1 nanos: -500000000 }',
  'created_at { } ttl { seconds: 3 nanos: 1 }',
  'created_at { seconds: -62135596800 } ttl { nanos: 1000 }',
  'extra { [type.googleapis.com/j.Participant] { identity: "p" tags: "t" } }',
  'extra { [type.googleapis.com/google.protobuf.Duration] { seconds: 2 } }',
  'meta { fields { key: "a" value { number_value: 1.5 } } fields { key: "b" value { list_value { values { string_value: "s" } values { null_value: NULL_VALUE } values { bool_value: true } } } } fields { key: "c" value { struct_value { } } } }',
  'val { null_value: NULL_VALUE } list { values { number_value: 2 } }',
  'wi64 { value: 5 } wstr { } wbool { value: true } wdouble { value: -2.5 } wbytes { value: "\\001" } wu32 { value: 7 }',
  'mask { paths: "a.b_c" paths: "d" } empty { } nul: NULL_VALUE',
  'custom_named: "r" moods: [HAPPY, SAD]',
  '',
];

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
    expect(() => formatDuration(1n, -1)).toThrowError(/do not match/);
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
    expect(() => toJson(decodeMessage(w.finish(), Room))).toThrowError(
      'at $.createdAt: timestamp seconds 300000000000 is outside 0001-01-01 to 9999-12-31',
    );
  });
});

describe('fromJson', () => {
  /** Our fromJson then encode vs protobuf-es fromJson then toBinary. */
  function expectSameBytes(typeName: string, json: string): void {
    const type = registry.findMessage(typeName)!;
    const a = encodeMessage(fromJson(json, type, { registry }), new Uint8Array(0));
    const b = es.findMessage(typeName)!.fromJsonString(json, { typeRegistry: es }).toBinary();
    expect(Buffer.from(a).toString('hex')).toBe(Buffer.from(b).toString('hex'));
  }

  it.each(CASES)('reads back what it prints, as protobuf-es reads it: %s', (text) => {
    const bytes = schema.encode('j.Room', text);
    const json = toJsonString(decodeMessage(bytes, Room), { registry });
    expectSameBytes('j.Room', json);
    // And canonical bytes come back unchanged.
    expect(Buffer.from(encodeMessage(fromJson(json, Room, { registry }), new Uint8Array(0))).toString('hex')).toBe(
      Buffer.from(bytes).toString('hex'),
    );
  });

  it('accepts proto names, numbers as strings, exponents, url-safe base64, enum numbers, nulls', () => {
    expectSameBytes(
      'j.Room',
      '{"i32":"12","i64":1e3,"u64":"18446744073709551615","data":"_-8","mood":2,"host":null,"custom_named":"x","created_at":"2020-01-01T00:00:00Z","nums":[1,"2"]}',
    );
    expectSameBytes(
      'j.Room',
      '{"d":"NaN","f":"-Infinity","val":null,"wi64":"9","counts":{"k":"5"},"by_id":{"-1":{"identity":"z"}},"flags":{"true":"SAD"}}',
    );
  });

  it('keeps 64-bit numbers exact when parsing JSON text', () => {
    const root = fromJson('{"i64": 9007199254740993, "u64": 18446744073709551615}', Room);
    expect(root.fields.map((f) => (f.value.kind === 'scalar' ? f.value.value : null))).toEqual([9007199254740993n, 18446744073709551615n]);
  });

  it('names the JSON path and the problem', () => {
    const cases: [string, string][] = [
      ['{"participants":[{},{},{"joinedAt":true}]}', 'at $.participants[2].joinedAt: expected an int64 as a string or number, found true'],
      ['{"i32": 1.5}', 'at $.i32: expected an int32 as a number, found the number 1.5'],
      ['{"i32": 3000000000}', 'at $.i32: value 3000000000 is out of range for int32'],
      ['{"nope": 1}', 'at $.nope: j.Room has no field named "nope"'],
      ['{"mood": "ANGRY"}', 'at $.mood: "ANGRY" is not a value of enum j.Mood'],
      ['{"text": "a", "who": {}}', 'at $.who: oneof "choice" already has "text" set'],
      ['{"createdAt": "yesterday"}', 'at $.createdAt: expected a Timestamp like "1972-01-01T10:00:20.021Z", found "yesterday"'],
      ['{"counts": {"a": "x"}}', 'at $.counts["a"]: expected an int64 as a string or number, found the string "x"'],
      ['{"extra": {"@type": "type.googleapis.com/j.Nope"}}', 'at $.extra["@type"]: cannot resolve the type "type.googleapis.com/j.Nope"'],
      ['{"i32": 1, "i32": 2}', 'at $.i32: invalid JSON at line 1, column 12: duplicate key "i32"'],
      ['{"name": "a", "host": {"identity": 1', 'at $.host: invalid JSON at line 1, column 37: expected "," or "}"'],
      ['{"f": 1e39}', 'at $.f: value 1e39 is out of range for float'],
    ];
    for (const [json, message] of cases) {
      let got: unknown;
      try {
        fromJson(json, Room, { registry });
      } catch (e) {
        got = e;
      }
      expect(got, json).toBeInstanceOf(JsonFormatError);
      expect((got as Error).message).toBe(message);
    }
  });

  it('skips unknown fields when asked', () => {
    const root = fromJson({ nope: 1, i32: 2 }, Room, { ignoreUnknownFields: true });
    expect(root.fields.map((f) => f.fieldNumber)).toEqual([1]);
  });

  it('round-trips random messages through JSON', () => {
    const participant = fc.record(
      { identity: fc.string({ maxLength: 6 }), joinedAt: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String) },
      { requiredKeys: [] },
    );
    const room = fc.record(
      {
        i32: fc.integer({ min: -2147483648, max: 2147483647 }),
        i64: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
        u64: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String),
        d: fc.double({ noNaN: true, noDefaultInfinity: true }),
        f: fc.float({ noNaN: true, noDefaultInfinity: true }),
        name: fc.string({ maxLength: 8 }),
        data: fc.uint8Array({ maxLength: 8 }).map((b) => Buffer.from(b).toString('base64')),
        mood: fc.constantFrom('HAPPY', 'SAD', 'MOOD_UNSPECIFIED'),
        host: participant,
        participants: fc.array(participant, { maxLength: 3 }),
        nums: fc.array(fc.integer({ min: -2147483648, max: 2147483647 }), { maxLength: 4 }),
        counts: fc.dictionary(fc.string({ maxLength: 3 }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String), {
          maxKeys: 3,
        }),
        createdAt: fc
          .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
          .map((d) => d.toISOString()),
        ttl: fc.integer({ min: -1e9, max: 1e9 }).map((n) => `${n / 1000}s`),
        meta: fc.dictionary(
          fc.string({ maxLength: 3 }),
          fc.oneof(fc.constant(null), fc.boolean(), fc.string({ maxLength: 3 }), fc.integer()),
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(room, (obj) => {
        const first = encodeMessage(fromJson(obj, Room, { registry }), new Uint8Array(0)).slice();
        const printed = toJsonString(decodeMessage(first, Room), { registry });
        const second = encodeMessage(fromJson(printed, Room, { registry }), new Uint8Array(0));
        expect(Buffer.from(second).toString('hex')).toBe(Buffer.from(first).toString('hex'));
        // protobuf-es reads the same bytes to the same JSON (floats aside: it prints float32 values at double precision).
        const theirsJson = theirs('j.Room', first) as Record<string, unknown>;
        const oursJson = JSON.parse(printed) as Record<string, unknown>;
        if (typeof theirsJson['f'] === 'number') theirsJson['f'] = oursJson['f'];
        for (const k of ['d', 'f']) if (Object.is(oursJson[k], -0)) delete oursJson[k]; // protobuf-es drops -0.0 from proto3 floats and doubles
        expect(oursJson).toEqual(JSON.parse(JSON.stringify(theirsJson)));
      }),
      { numRuns: 200 },
    );
  });
});

describe('Any with a well-known payload the schema does not import', () => {
  const only = loadSchemaSources([
    {
      name: 'a.proto',
      contents: 'syntax = "proto3";\nimport "google/protobuf/any.proto";\nmessage Box { google.protobuf.Any any = 1; }\n',
    },
  ]);
  const Box = only.findMessage('Box')!;
  const url = new TextEncoder().encode('type.googleapis.com/google.protobuf.Timestamp');
  const anyBytes = new WireWriter()
    .tag(1, 2)
    .lengthDelimited(url)
    .tag(2, 2)
    .lengthDelimited(new Uint8Array([0x08, 0x01]))
    .finish(); // Any { type_url, value: Timestamp { seconds: 1 } }
  const bytes = new WireWriter().tag(1, 2).lengthDelimited(anyBytes).finish().slice(); // Box.any

  it('prints and reads it through the built-in well-known types', () => {
    expect(toJson(decodeMessage(bytes, Box), { registry: only })).toEqual({
      any: { '@type': 'type.googleapis.com/google.protobuf.Timestamp', value: '1970-01-01T00:00:01Z' },
    });
    const back = fromJson('{"any":{"@type":"type.googleapis.com/google.protobuf.Timestamp","value":"1970-01-01T00:00:01Z"}}', Box, {
      registry: only,
    });
    expect(encodeMessage(back, new Uint8Array(0))).toEqual(bytes);
  });
});

describe('toJson without a schema', () => {
  it('refuses a root decoded without a type', () => {
    expect(() => toJson(decodeMessage(new Uint8Array([0x08, 0x01]), null))).toThrowError(/without a schema/); // field 1 varint 1
    expect(Old.name).toBe('Old');
  });
});

describe('parseJson: numbers (scanned in place, at most 1000 characters)', () => {
  const texts = (json: string) => (parseJson(json) as JsonNumber[]).map((n) => n.text);

  it('reads every JSON number form, keeping its exact text', () => {
    expect(texts('[0, -0, 7, -12, 1.5, -0.25, 1e5, 2E-2, -1.5e+300, 18446744073709551615]')).toEqual([
      '0',
      '-0',
      '7',
      '-12',
      '1.5',
      '-0.25',
      '1e5',
      '2E-2',
      '-1.5e+300',
      '18446744073709551615',
    ]);
    expect(texts('[' + '9'.repeat(1000) + ']')).toEqual(['9'.repeat(1000)]);
  });

  it('rejects what JSON does not allow, with line and column', () => {
    expect(() => parseJson('[01]')).toThrow('invalid JSON at line 1, column 3: expected "," or "]"'); // a lone 0, then 1
    expect(() => parseJson('[1.]')).toThrow('line 1, column 3'); // "." needs a digit after it
    expect(() => parseJson('[1e]')).toThrow('line 1, column 3'); // so does "e"
    expect(() => parseJson('[-]')).toThrow('line 1, column 2: unexpected "-"');
    expect(() => parseJson('[.5]')).toThrow('line 1, column 2: unexpected "."');
    // As before: a number is read up to 1000 characters; the 1001st is left over.
    expect(() => parseJson('[' + '9'.repeat(1001) + ']')).toThrow('line 1, column 1002: expected "," or "]"');
  });

  it('a packed run of 100,000 numbers parses (the number scan does not copy the rest of the text)', () => {
    const json = `{"nums": [${Array.from({ length: 100_000 }, (_, i) => i).join(',')}]}`;
    const root = fromJson(json, Room);
    expect(root.fields[0].value.kind === 'packed' && root.fields[0].value.elements.length).toBe(100_000);
  });
});

describe('deep trees: JsonFormatError, never a stack overflow', () => {
  const deep = loadSchemaSources([
    { name: 'deep.proto', contents: 'syntax = "proto3"; package deep; message Node { Node child = 1; int32 v = 2; }' },
  ]);
  const Node = deep.findMessage('deep.Node')!;

  it('fromJson of an already-parsed value nested 100,000 levels deep', () => {
    let v: Record<string, unknown> = { v: 1 };
    for (let i = 0; i < 100_000; i++) v = { child: v };
    expect(() => fromJson(v, Node)).toThrow(JsonFormatError);
    expect(() => fromJson(v, Node)).toThrow(/^at \$: the value nests too deep/);
  });

  it('toJson and toJsonString of a tree 100,000 levels deep (a lazy decode with a raised depth limit)', () => {
    const w = new WireWriter();
    const lens: number[] = []; // bytes inside each level, innermost first
    for (let d = 0, n = 0; d < 100_000; d++, n += 1 + new WireWriter().uvarint(n).finish().length) lens.push(n);
    for (let d = lens.length - 1; d >= 0; d--) w.tag(1, WireType.LEN).uvarint(lens[d]); // tag 1 LEN: child, its length
    const root = decodeMessage(w.finish(), Node, { lazy: true, limits: { maxDepth: 10_000_000 } });
    expect(() => toJson(root)).toThrow(/^at \$: the message nests too deep to convert to JSON/);
    expect(() => toJsonString(root)).toThrow(JsonFormatError);
  });
});
