import { createRegistryFromDescriptors } from '@bufbuild/protobuf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JSON_CASES as CASES, JSON_FORMAT_FILES } from '../../testing/json-format-fixtures';
import { protocSchema } from '../../testing/protoc';
import { decodeMessage } from '../document/decode';
import { encodeMessage } from '../document/encode';
import { loadSchemaSources } from '../schema/registry';
import { WireWriter } from '../wire/wire-writer';
import { fromJson } from './json-parse';
import { toJson, toJsonString } from './json-print';
import { JsonFormatError, parseJson, type JsonNumber } from './json-text';

const files = JSON_FORMAT_FILES;
const schema = protocSchema(files);
const registry = loadSchemaSources(Object.entries(files).map(([name, contents]) => ({ name, contents })));
const Room = registry.findMessage('j.Room')!;
const es = createRegistryFromDescriptors(schema.descriptorSet());

/** protobuf-es's JSON for bytes of a type. */
function theirs(typeName: string, bytes: Uint8Array): unknown {
  return es.findMessage(typeName)!.fromBinary(bytes).toJson({ typeRegistry: es });
}

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

describe('a deep value reads as a JsonFormatError, never a stack overflow', () => {
  const deep = loadSchemaSources([
    { name: 'deep.proto', contents: 'syntax = "proto3"; package deep; message Node { Node child = 1; int32 v = 2; }' },
  ]);
  const Node = deep.findMessage('deep.Node')!;

  it('fromJson of an already-parsed value nested 100,000 levels deep stops at 100 levels, as protobuf-es and C++ do', () => {
    let v: Record<string, unknown> = { v: 1 };
    for (let i = 0; i < 100_000; i++) v = { child: v };
    expect(() => fromJson(v, Node)).toThrow(JsonFormatError);
    expect(() => fromJson(v, Node)).toThrow(`at $${'.child'.repeat(100)}: messages nest deeper than 100 levels`);
  });

  it('reads 100 levels (the top message and 99 below it) and refuses 101, as protobuf-es', () => {
    const nested = (n: number) => '{"child":'.repeat(n - 1) + '{"v":1}' + '}'.repeat(n - 1);
    expect(() => fromJson(nested(100), Node)).not.toThrow();
    expect(() => fromJson(nested(101), Node)).toThrow(/messages nest deeper than 100 levels/);
    expect(() => fromJson(nested(110), Node)).toThrow(/messages nest deeper than 100 levels/);
  });
});
