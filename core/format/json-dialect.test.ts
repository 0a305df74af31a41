import { describe, expect, it } from 'vitest';
import { esReferee } from '../../conformance/referees/protobuf-es';
import { protocSchema } from '../../testing/protoc';
import { decodeMessage } from '../document/decode';
import { encodeMessage } from '../document/encode';
import { loadSchemaSources } from '../schema/registry';
import { WireWriter } from '../wire/wire-writer';
import { fromJson } from './json-parse';
import { toJson } from './json-print';
import { JsonFormatError, JsonPrintError } from './json-text';

/** JSON cases where the product read or wrote differently from protobuf-es v2 (the JSON referee) and the ProtoJSON spec. */
const FILES = {
  'jd.proto': `syntax = "proto3";
package jd;
import "google/protobuf/any.proto";
import "google/protobuf/empty.proto";
import "google/protobuf/field_mask.proto";
import "google/protobuf/struct.proto";
import "google/protobuf/timestamp.proto";
enum Mood { MOOD_UNSPECIFIED = 0; HAPPY = 1; }
message M {
  repeated google.protobuf.Value values = 1;
  repeated google.protobuf.NullValue nulls = 2;
  google.protobuf.Any any = 3;
  google.protobuf.Timestamp ts = 4;
  int64 i64 = 5;
  uint64 u64 = 6;
  int32 i32 = 7;
  string s = 8;
  M child = 9;
  google.protobuf.FieldMask mask = 10;
  Mood mood = 11;
  repeated Mood moods = 12;
  map<string, Mood> mood_map = 13;
  map<string, google.protobuf.Value> vmap = 14;
  google.protobuf.NullValue nul = 15;
  google.protobuf.Empty empty = 16;
}
`,
  'jd2.proto': `syntax = "proto2";
package jd2;
enum Closed { ZERO = 0; ONE = 1; TWO = 2; }
message C { optional Closed c = 1; repeated Closed rc = 2; map<string, Closed> mc = 3; }
message Req { required int32 a = 1; optional int32 b = 2; }
`,
};
const protoc = protocSchema(FILES);
const es = esReferee(protoc.descriptorSet());
const registry = loadSchemaSources(Object.entries(FILES).map(([name, contents]) => ({ name, contents })));
const M = registry.findMessage('jd.M')!;
const C = registry.findMessage('jd2.C')!;

/** Our JSON → binary, read and written again by protobuf-es, as hex. */
function ours(json: string, type = M, ignoreUnknownFields = false): string {
  const bytes = encodeMessage(fromJson(json, type, { registry, ignoreUnknownFields }), new Uint8Array(0));
  return Buffer.from(es.reserialize(type.fullName.slice(1), bytes)).toString('hex');
}

/** protobuf-es's JSON → binary, as hex. */
function theirs(json: string, type = M, ignoreUnknown = false): string {
  return Buffer.from(es.fromJson(type.fullName.slice(1), json, { ignoreUnknown })).toString('hex');
}

function refusedByBoth(json: string, type = M): void {
  expect(() => es.fromJson(type.fullName.slice(1), json), json).toThrow();
  expect(() => fromJson(json, type, { registry }), json).toThrow(JsonFormatError);
}

describe('JSON input read as protobuf-es reads it', () => {
  it('null inside a repeated google.protobuf.Value, a repeated NullValue and a Value map is a null value', () => {
    for (const json of ['{"values":[null,1,"x",null]}', '{"nulls":[null,"NULL_VALUE",0]}', '{"vmap":{"a":null}}', '{"nul":null}']) {
      expect(ours(json), json).toBe(theirs(json));
    }
    // What the product prints reads back.
    const bytes = protoc.encode('jd.M', 'values { null_value: NULL_VALUE } values { number_value: 1 } nulls: NULL_VALUE');
    const printed = JSON.stringify(toJson(decodeMessage(bytes, M), { registry }));
    expect(printed).toBe('{"values":[null,1],"nulls":[null]}');
    expect(Buffer.from(encodeMessage(fromJson(printed, M, { registry }), new Uint8Array(0)))).toEqual(Buffer.from(bytes));
  });

  it('refuses lower-case "t" and "z" in a Timestamp', () => {
    refusedByBoth('{"ts":"1972-01-01t10:00:20Z"}');
    refusedByBoth('{"ts":"1972-01-01T10:00:20z"}');
    expect(ours('{"ts":"1972-01-01T10:00:20.5+01:00"}')).toBe(theirs('{"ts":"1972-01-01T10:00:20.5+01:00"}'));
  });

  it('refuses 64-bit integers written as "1e3" or "1.0" in strings; numbers may use them', () => {
    for (const json of ['{"i64":"1e3"}', '{"u64":"1.0"}', '{"i64":"1.5"}']) refusedByBoth(json);
    for (const json of ['{"i64":1e3}', '{"u64":"18446744073709551615"}', '{"i64":"-9223372036854775808"}', '{"i32":1.0}', '{"i32":"7"}'])
      expect(ours(json), json).toBe(theirs(json));
  });

  it('refuses a number a closed enum does not declare, which would be written to the wire', () => {
    for (const json of ['{"c":9}', '{"rc":[1,9]}', '{"mc":{"a":9}}']) refusedByBoth(json, C);
    expect(ours('{"c":2,"rc":[1,"TWO"]}', C)).toBe(theirs('{"c":2,"rc":[1,"TWO"]}', C));
  });

  it('refuses a lone UTF-16 surrogate, which has no UTF-8 form', () => {
    refusedByBoth('{"s":"\\ud83d"}');
    refusedByBoth('{"s":"x\\udE00"}');
    expect(() => fromJson({ s: '\ud83d' }, M)).toThrow(/lone UTF-16 surrogate/);
    expect(ours('{"s":"\\ud83d\\ude00"}')).toBe(theirs('{"s":"\\ud83d\\ude00"}'));
  });

  it('refuses messages nested 110 deep (both stop at 100)', () => {
    const nested = (n: number) => '{"child":'.repeat(n - 1) + '{"i32":1}' + '}'.repeat(n - 1);
    refusedByBoth(nested(110));
    expect(ours(nested(100))).toBe(theirs(nested(100)));
  });

  it('with ignore-unknown-fields drops unknown enum value names (singular, in lists, in maps), as protobuf-es, C++ and Go', () => {
    const json = '{"mood":"SAD","moods":["HAPPY","SAD"],"moodMap":{"a":"SAD","b":"HAPPY"},"nope":1}';
    expect(ours(json, M, true)).toBe(theirs(json, M, true));
    expect(() => fromJson('{"mood":"SAD"}', M, { registry })).toThrow(/"SAD" is not a value of enum jd.Mood/);
    // A closed enum's undeclared number is dropped the same way.
    expect(ours('{"c":9,"rc":[9,1]}', C, true)).toBe(
      Buffer.from(encodeMessage(fromJson('{"rc":[1]}', C), new Uint8Array(0))).toString('hex'),
    );
  });

  it('refuses an "@type" without a "/" (protobuf-es takes the whole string as the type name; the spec and C++ do not)', () => {
    expect(() => fromJson('{"any":{"@type":"jd.M","i32":1}}', M, { registry })).toThrow(/has no "\/"/);
    expect(ours('{"any":{"@type":"type.googleapis.com/jd.M","i32":1}}')).toBe(
      theirs('{"any":{"@type":"type.googleapis.com/jd.M","i32":1}}'),
    );
  });
});

describe('Any holding google.protobuf.Empty', () => {
  const url = 'type.googleapis.com/google.protobuf.Empty';
  const bytes = protoc.encode('jd.M', `any { type_url: "${url}" }`); // an Empty payload has no bytes

  it('prints as {"@type": url}, as C++ JsonFormat and protobuf-es print it', () => {
    expect(toJson(decodeMessage(bytes, M), { registry })).toEqual({ any: { '@type': url } });
    expect(toJson(decodeMessage(bytes, M), { registry })).toEqual(es.toJson('jd.M', bytes));
  });

  it('reads both {"@type": url} and Go\'s {"@type": url, "value": {}}', () => {
    for (const json of [`{"any":{"@type":"${url}"}}`, `{"any":{"@type":"${url}","value":{}}}`]) {
      expect(Buffer.from(encodeMessage(fromJson(json, M, { registry }), new Uint8Array(0)))).toEqual(Buffer.from(bytes));
    }
    expect(ours(`{"any":{"@type":"${url}"}}`)).toBe(theirs(`{"any":{"@type":"${url}"}}`));
  });
});

describe('JSON print errors name the field path and the rule', () => {
  function printError(bytes: Uint8Array): JsonPrintError {
    try {
      toJson(decodeMessage(bytes, M), { registry });
    } catch (e) {
      expect(e).toBeInstanceOf(JsonPrintError);
      return e as JsonPrintError;
    }
    throw new Error('toJson did not fail');
  }

  it('a FieldMask path that does not survive lowerCamelCase is refused, as protobuf-es refuses it', () => {
    for (const path of ['a_1b', 'foo__bar', 'fooBar', 'x_']) {
      const bytes = protoc.encode('jd.M', `mask { paths: "${path}" }`);
      expect(() => es.toJson('jd.M', bytes), path).toThrow();
      expect(printError(bytes), path).toMatchObject({ path: '$.mask', rule: 'field-mask-path' });
    }
    const ok = protoc.encode('jd.M', 'mask { paths: "a.b_c" paths: "d1_e" }');
    expect(toJson(decodeMessage(ok, M), { registry })).toEqual(es.toJson('jd.M', ok));
  });

  it('an Any of a type no schema has, an Any without "/", a Value with no kind or NaN', () => {
    const any = (url: string) =>
      new WireWriter()
        .tag(3, 2)
        .lengthDelimited(new WireWriter().tag(1, 2).lengthDelimited(new TextEncoder().encode(url)).finish())
        .finish();
    expect(printError(any('type.googleapis.com/x.Nope'))).toMatchObject({ path: '$.any', rule: 'any-unknown-type' });
    expect(printError(any('jd.M'))).toMatchObject({ path: '$.any', rule: 'any-type-url' });
    const values = (inner: Uint8Array) => new WireWriter().tag(1, 2).lengthDelimited(inner).finish();
    expect(printError(values(new Uint8Array()))).toMatchObject({ path: '$.values[0]', rule: 'value-kind' });
    expect(printError(values(new WireWriter().tag(2, 1).double(NaN).finish()))).toMatchObject({
      path: '$.values[0]',
      rule: 'value-number',
    });
    expect(printError(values(new Uint8Array())).message).toBe(
      'at $.values[0]: cannot be written as JSON: google.protobuf.Value has none of its kinds set (null, number, string, bool, struct or list)',
    );
  });
});

describe('a closed enum number the enum lacks, inside a map entry', () => {
  // mc { key: "a" value: 9 } mc { key: "b" value: TWO }: field 3 LEN { 1: "a", 2: 9 } and { 1: "b", 2: 2 }
  const entry = (key: string, value: number) =>
    new WireWriter().tag(1, 2).lengthDelimited(new TextEncoder().encode(key)).tag(2, 0).uvarint(value).finish();
  const bytes = new WireWriter().tag(3, 2).lengthDelimited(entry('a', 9)).tag(3, 2).lengthDelimited(entry('b', 2)).finish().slice();

  it('leaves the entry out of JSON: protoc 36 parses it into unknown fields (protobuf-es prints 9; docs/format-choices.md)', () => {
    expect(toJson(decodeMessage(bytes, C), { registry })).toEqual({ mc: { b: 'TWO' } });
    expect(protoc.decode('jd2.C', bytes)).toBe('mc {\n  key: "b"\n  value: TWO\n}\n3 {\n  1: "a"\n  2: 9\n}\n');
    expect(es.toJson('jd2.C', bytes)).toEqual({ mc: { a: 9, b: 'TWO' } });
  });
});

describe('a message missing a required field', () => {
  const Req = () => registry.findMessage('jd2.Req')!;
  const bytes = Uint8Array.of(0x10, 0x02); // b: 2, a missing

  it('prints as JSON without it, as protoc prints its text (protobuf-es refuses; docs/format-choices.md)', () => {
    expect(protoc.decode('jd2.Req', bytes)).toBe('b: 2\n');
    expect(() => es.toJson('jd2.Req', bytes)).toThrow(/required field not set/);
    expect(toJson(decodeMessage(bytes, Req()), { registry })).toEqual({ b: 2 });
  });

  it('reads from JSON without it, so what it prints reads back to the same bytes', () => {
    expect(Buffer.from(encodeMessage(fromJson('{"b":2}', Req(), { registry }), new Uint8Array(0)))).toEqual(Buffer.from(bytes));
  });
});
