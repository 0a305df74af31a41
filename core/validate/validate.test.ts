import { describe, expect, it } from 'vitest';
import type { Type } from 'protobufjs';
import { loadSchemaSources } from '../schema/registry';
import { decodeMessage } from '../document/decode';
import { WireWriter } from '../wire/wire-writer';
import { WireType } from '../wire/wire-types';
import { formatViolation, validateMessage } from './validate';
import { compilePattern, hasValidationRules, type Violation } from './validation-rules';

// The option definitions, as in schemas/kik-video/protobuf_validation.proto (trimmed).
const VALIDATION_PROTO = `
syntax = "proto2";
package kik.validation;
import "google/protobuf/descriptor.proto";
extend google.protobuf.FieldOptions {
  optional FieldValidation field_validation = 76249;
  optional FieldValidation map_key = 76250;
}
message FieldValidation {
  optional bool mandatory = 1 [default = false];
  optional string regex = 2;
  optional int32 min_codepoints = 3;
  optional int32 max_codepoints = 4;
  optional int32 min_byte_length = 5;
  optional int32 max_byte_length = 6;
  optional sfixed64 min_val = 7;
  optional sfixed64 max_val = 8;
  optional double min_double_val = 11;
  optional double max_double_val = 12;
  optional uint32 min_repetitions = 15;
  optional uint32 max_repetitions = 16;
  optional Order ordered = 17;
  enum Order { ASC = 0; DESC = 1; }
}
`;

const TEST_PROTO = `
syntax = "proto3";
package t;
import "protobuf_validation.proto";
import "google/protobuf/any.proto";

message Sub {
  string id = 1 [(kik.validation.field_validation) = { regex: "^(?i)[a-z]+$" }];
}

message M {
  string name = 1 [(kik.validation.field_validation) = {
    mandatory: true min_byte_length: 2 max_byte_length: 6 min_codepoints: 2 max_codepoints: 4 }];
  repeated int32 nums = 2 [(kik.validation.field_validation) = {
    min_repetitions: 1 max_repetitions: 3 ordered: ASC min_val: 0 max_val: 10 }];
  repeated Sub subs = 3 [(kik.validation.field_validation) = { ordered: DESC max_repetitions: 5 }];
  double ratio = 4 [(kik.validation.field_validation) = { min_double_val: 0.0 max_double_val: 1.0 }];
  map<string, int64> counts = 5 [(kik.validation.map_key) = { max_byte_length: 3 },
                                 (kik.validation.field_validation) = { max_val: 100 max_repetitions: 2 }];
  Sub child = 6 [(kik.validation.field_validation) = { mandatory: true }];
  bytes blob = 7 [(kik.validation.field_validation) = { min_byte_length: 1 max_byte_length: 4 }];
  sint64 big = 8 [(kik.validation.field_validation) = { min_val: -9000000000000000000 }];
  repeated string tags = 9 [(kik.validation.field_validation) = { mandatory: true }];
}

message Plain {
  string s = 1;
}

message Holder {
  google.protobuf.Any payload = 1;
}
`;

const PROTO2 = `
syntax = "proto2";
package t2;
message R {
  required string id = 1;
  optional Inner inner = 2;
}
message Inner {
  required int32 n = 1;
}
`;

const registry = loadSchemaSources([
  { name: 'protobuf_validation.proto', contents: VALIDATION_PROTO },
  { name: 't.proto', contents: TEST_PROTO },
  { name: 't2.proto', contents: PROTO2 },
]);
const M = registry.findMessage('t.M') as Type;

function check(type: Type, obj: Record<string, unknown>): Violation[] {
  const bytes = type.encode(type.fromObject(obj)).finish();
  return validateMessage(decodeMessage(bytes, type));
}

function rules(vs: Violation[]): string[] {
  return vs.map((v) => `${v.path} ${v.rule}`);
}

const VALID = {
  name: 'abc',
  nums: [1, 2, 2],
  subs: [{ id: 'b' }, { id: 'a' }],
  ratio: 0.5,
  counts: { a: 1 },
  child: { id: 'x' },
  blob: new Uint8Array([1]),
  tags: ['t'],
};

describe('validateMessage', () => {
  it('accepts a message that keeps every rule', () => {
    expect(check(M, VALID)).toEqual([]);
  });

  it('reports mandatory fields that are missing or default', () => {
    const vs = check(M, { ...VALID, name: '', child: undefined, tags: [] });
    expect(rules(vs)).toEqual(['name mandatory', 'child mandatory', 'tags mandatory']);
    expect(vs[0].message).toMatch(/missing/);
  });

  it('checks byte length and code points separately', () => {
    // "ééé" is 3 code points, 6 bytes; "éééé" 4 code points, 8 bytes.
    expect(rules(check(M, { ...VALID, name: 'éééé' }))).toEqual(['name max_byte_length']);
    const vs = check(M, { ...VALID, name: 'abcde' });
    expect(vs).toMatchObject([{ path: 'name', rule: 'max_codepoints', limit: 4, actual: 5 }]);
    expect(rules(check(M, { ...VALID, name: 'é' }))).toEqual(['name min_codepoints']);
    expect(rules(check(M, { ...VALID, blob: new Uint8Array(5) }))).toEqual(['blob max_byte_length']);
  });

  it('checks value ranges, repetitions and order of repeated (packed) fields', () => {
    const vs = check(M, { ...VALID, nums: [5, 3, 11, -1] });
    expect(vs).toMatchObject([
      { path: 'nums', rule: 'max_repetitions', limit: 3, actual: 4 },
      { path: 'nums[1]', rule: 'ordered', limit: 'ASC' },
      { path: 'nums[3]', rule: 'ordered', limit: 'ASC' },
      { path: 'nums[2]', rule: 'max_val', limit: 10, actual: 11 },
      { path: 'nums[3]', rule: 'min_val', limit: 0, actual: -1 },
    ]);
  });

  it('does not apply repetition rules to an absent repeated field', () => {
    expect(rules(check(M, { ...VALID, nums: [] }))).toEqual([]);
  });

  it('orders message elements by their fields, and recurses into them', () => {
    const vs = check(M, { ...VALID, subs: [{ id: 'a' }, { id: 'b' }, { id: 'b2' }] });
    expect(rules(vs)).toEqual(['subs[1] ordered', 'subs[2] ordered', 'subs[2].id regex']);
    expect(vs[2]).toMatchObject({ actual: 'b2', limit: '^(?i)[a-z]+$' });
    expect(rules(check(M, { ...VALID, subs: [{ id: 'B' }] }))).toEqual([]); // (?i) honoured
  });

  it('checks doubles and 64-bit limits', () => {
    expect(rules(check(M, { ...VALID, ratio: 1.5 }))).toEqual(['ratio max_double_val']);
    expect(rules(check(M, { ...VALID, ratio: -0.1 }))).toEqual(['ratio min_double_val']);
    const vs = check(M, { ...VALID, big: '-9000000000000000001' });
    expect(vs).toMatchObject([{ path: 'big', rule: 'min_val', limit: -9000000000000000000n, actual: -9000000000000000001n }]);
  });

  it('checks map keys (map_key), values and entry counts', () => {
    const vs = check(M, { ...VALID, counts: { a: 1, long: 200, b: 3 } });
    expect(vs).toMatchObject([
      { path: 'counts', rule: 'max_repetitions', actual: 3 },
      { path: 'counts["long"]', rule: 'max_byte_length', target: 'map-key', actual: 4 },
      { path: 'counts["long"]', rule: 'max_val', actual: 200n },
    ]);
  });

  it('validates a singular message written twice as the merge of both', () => {
    const w = new WireWriter();
    const sub = (id: string) => new WireWriter().tag(1, WireType.LEN).lengthDelimited(new TextEncoder().encode(id)).finish();
    w.tag(1, WireType.LEN).lengthDelimited(new TextEncoder().encode('abc')); // name
    w.tag(6, WireType.LEN).lengthDelimited(sub('x')); // child { id: "x" }
    w.tag(6, WireType.LEN).lengthDelimited(sub('9')); // child { id: "9" } (merged: last wins)
    w.tag(9, WireType.LEN).lengthDelimited(new TextEncoder().encode('t')); // tags
    const vs = validateMessage(decodeMessage(w.finish(), M));
    expect(rules(vs)).toEqual(['child.id regex']);
  });

  it('ignores unknown fields and reports proto2 required fields, nested too', () => {
    const R = registry.findMessage('t2.R') as Type;
    const w = new WireWriter();
    w.tag(2, WireType.LEN).lengthDelimited(new Uint8Array(0)); // inner {} without its required n
    w.tag(99, WireType.VARINT).uvarint(1); // unknown
    const vs = validateMessage(decodeMessage(w.finish(), R));
    expect(vs).toMatchObject([
      { path: 'id', rule: 'required', message: 'required field is missing' },
      { path: 'inner.n', rule: 'required' },
    ]);
    expect(formatViolation(vs[0])).toBe('id: required field is missing (required)');
  });

  it('has nothing to say about types without rules', () => {
    const P = registry.findMessage('t.Plain') as Type;
    expect(hasValidationRules(P)).toBe(false);
    expect(hasValidationRules(M)).toBe(true);
    expect(check(P, { s: '' })).toEqual([]);
  });

  it('validates the payload of a google.protobuf.Any as its named type', () => {
    const H = registry.findMessage('t.Holder') as Type;
    const sub = registry.findMessage('t.Sub') as Type;
    const value = sub.encode(sub.fromObject({ id: 'no digits 1' })).finish();
    const w = new WireWriter();
    const any = new WireWriter()
      .tag(1, WireType.LEN)
      .lengthDelimited(new TextEncoder().encode('type.googleapis.com/t.Sub')) // type_url
      .tag(2, WireType.LEN)
      .lengthDelimited(value) // value
      .finish();
    w.tag(1, WireType.LEN).lengthDelimited(any); // payload
    expect(rules(validateMessage(decodeMessage(w.finish(), H)))).toEqual(['payload.value.id regex']);
  });

  it('stops at maxViolations', () => {
    const bytes = M.encode(M.fromObject({ nums: [20, 19, 18, 17, 16, 15] })).finish();
    expect(validateMessage(decodeMessage(bytes, M), { maxViolations: 3 })).toHaveLength(3);
  });
});

describe('compilePattern', () => {
  it('turns a leading Java inline flag into a JS flag', () => {
    expect(compilePattern('^(?i)[a-z]{2,8}(?:_([a-z]{2}|[0-9]{2,3}))?$').test('EN_ca')).toBe(true);
    expect(compilePattern('(?i)abc').flags).toContain('i');
    expect(compilePattern('^\\d{13}_g$').test('1234567890123_g')).toBe(true);
  });
});
