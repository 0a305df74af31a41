import { describe, expect, it } from 'vitest';
import { decodeMessage, decodeMessageSteps } from './decode';
import { encodeMessage, writeFields } from './encode';
import { applyEdit } from './edits';
import type { FieldNode, MessageNodeValue, MessageRoot, ScalarNodeValue, UnknownNodeValue } from './model';
import { testRoot } from '../../testing/field-shapes-schema';
import { oneofCase, childrenOf, walk } from './tree';
import { DecodeError } from '../wire/decode-error';
import { WireWriter } from '../wire/wire-writer';

const root = testRoot();
const Outer = root.lookupType('test.Outer');
const Scalars = root.lookupType('test.Scalars');
const Deep = root.lookupType('test.Deep');
const P3 = root.lookupType('test3.P3');

const bytes = (...b: number[]) => new Uint8Array(b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

function scalar(n: FieldNode): ScalarNodeValue {
  if (n.value.kind !== 'scalar') throw new Error(`not scalar: ${n.value.kind}`);
  return n.value;
}
function msg(n: FieldNode): MessageNodeValue {
  if (n.value.kind !== 'message') throw new Error(`not message: ${n.value.kind}`);
  return n.value;
}
function unknown(n: FieldNode): UnknownNodeValue {
  if (n.value.kind !== 'unknown') throw new Error(`not unknown: ${n.value.kind}`);
  return n.value;
}
/** Decodes and checks that encode gives the same bytes back. */
function roundTrip(buf: Uint8Array, type = Outer): MessageRoot {
  const doc = decodeMessage(buf, type);
  expect(encodeMessage(doc, buf)).toEqual(buf);
  return doc;
}
function decodeError(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
    return e as DecodeError;
  }
  throw new Error('expected a DecodeError');
}

describe('decodeMessage: scalars', () => {
  it('reads every scalar type with its JS form', () => {
    const buf = bytes(
      0x09,
      0,
      0,
      0,
      0,
      0,
      0,
      0xf8,
      0x3f, //          tag 1 I64: double d = 1.5
      0x15,
      0,
      0,
      0xc0,
      0xbf, //                       tag 2 I32: float f = -1.5
      0x18,
      0x96,
      0x01, //                             tag 3 VARINT: int32 i32 = 150
      0x20,
      0xfe,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0x01, // tag 4: int64 i64 = -2
      0x28,
      0xff,
      0xff,
      0xff,
      0xff,
      0x0f, //           tag 5: uint32 u32 = 4294967295
      0x30,
      0x80,
      0x80,
      0x80,
      0x80,
      0x10, //           tag 6: uint64 u64 = 2^32
      0x38,
      0x03, //                                   tag 7: sint32 s32 = -2 (zigzag 3)
      0x40,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0x01, // tag 8: sint64 s64 = min int64 (zigzag 2^64-1)
      0x4d,
      0xef,
      0xbe,
      0xad,
      0xde, //                 tag 9 I32: fixed32 fx32 = 0xdeadbeef
      0x51,
      1,
      0,
      0,
      0,
      0,
      0,
      0,
      0x80, //              tag 10 I64: fixed64 fx64 = 2^63 + 1
      0x5d,
      0xff,
      0xff,
      0xff,
      0xff, //                 tag 11 I32: sfixed32 sf32 = -1
      0x61,
      0xfe,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff, // tag 12 I64: sfixed64 sf64 = -2
      0x68,
      0x01, //                                   tag 13: bool b = true
      0x72,
      0x02,
      ...ascii('hA'), //         tag 14 LEN 2: string s = "hA"
      0x7a,
      0x02,
      0x00,
      0xff, //                       tag 15 LEN 2: bytes by = 00 ff
      0x80,
      0x01,
      0x02, //                             tag 16 (2-byte tag): Color color = BLUE
    );
    const doc = roundTrip(buf, Scalars);
    const values = Object.fromEntries(doc.fields.map((f) => [f.field!.name, scalar(f).value]));
    expect(values).toEqual({
      d: 1.5,
      f: -1.5,
      i32: 150,
      i64: -2n,
      u32: 4294967295,
      u64: 4294967296n,
      s32: -2,
      s64: -(2n ** 63n),
      fx32: 0xdeadbeef,
      fx64: 2n ** 63n + 1n,
      sf32: -1,
      sf64: -2n,
      b: true,
      s: 'hA',
      by: bytes(0x00, 0xff),
      color: 2,
    });
    expect(doc.fields.map((f) => scalar(f).type)).toEqual([
      'double',
      'float',
      'int32',
      'int64',
      'uint32',
      'uint64',
      'sint32',
      'sint64',
      'fixed32',
      'fixed64',
      'sfixed32',
      'sfixed64',
      'bool',
      'string',
      'bytes',
      'enum',
    ]);
  });

  it('reads a negative int32 written as a 10-byte varint', () => {
    const buf = bytes(0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01); // tag 3: int32 i32 = -1 (10 bytes)
    const doc = roundTrip(buf, Scalars);
    expect(scalar(doc.fields[0]).value).toBe(-1);
    expect(doc.fields[0].span).toEqual({ tagStart: 0, valueStart: 1, end: 11 });
  });

  it('reads max uint64 and min int64 as BigInt', () => {
    const buf = bytes(
      0x30,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0x01, // tag 6: uint64 u64 = 2^64-1
      0x20,
      0x80,
      0x80,
      0x80,
      0x80,
      0x80,
      0x80,
      0x80,
      0x80,
      0x80,
      0x01, // tag 4: int64 i64 = -2^63
    );
    const doc = roundTrip(buf, Scalars);
    expect(scalar(doc.fields[0]).value).toBe(18446744073709551615n);
    expect(scalar(doc.fields[1]).value).toBe(-(2n ** 63n));
  });

  it('keeps NaN (with its payload bytes) and -0.0 exactly', () => {
    const buf = bytes(
      0x09,
      0x01,
      0,
      0,
      0,
      0,
      0,
      0xf8,
      0x7f, // tag 1 I64: double d = NaN with payload 1
      0x15,
      0,
      0,
      0,
      0x80, //                  tag 2 I32: float f = -0.0
      0x15,
      0x01,
      0,
      0xc0,
      0x7f, //            tag 2 I32: float f = NaN with payload
    );
    const doc = roundTrip(buf, Scalars);
    expect(Number.isNaN(scalar(doc.fields[0]).value)).toBe(true);
    expect(Object.is(scalar(doc.fields[1]).value, -0)).toBe(true);
    expect(Number.isNaN(scalar(doc.fields[2]).value)).toBe(true);
  });

  it('reads bool from any varint, keeping its exact bytes', () => {
    const buf = bytes(
      0x68,
      0x02, //                         tag 13: bool b = 2 (non-canonical true)
      0x68,
      0x80,
      0x80,
      0x80,
      0x80,
      0x10, // tag 13: bool b = 2^32 (low 32 bits zero: still true)
      0x68,
      0x80,
      0x00, //                   tag 13: bool b = 0 in two bytes
    );
    const doc = roundTrip(buf, Scalars);
    expect(doc.fields.map((f) => scalar(f).value)).toEqual([true, true, false]);
  });

  it('keeps invalid UTF-8 bytes of a string beside a lossy value', () => {
    const buf = bytes(0x72, 0x03, 0x61, 0xc3, 0x28); // tag 14 LEN 3: string s = "a" + invalid sequence C3 28
    const doc = roundTrip(buf, Scalars);
    const v = scalar(doc.fields[0]);
    expect(v.invalidUtf8).toEqual(bytes(0x61, 0xc3, 0x28));
    expect(v.value).toBe('a\ufffd(');
  });

  it('decodes multi-byte UTF-8 strings', () => {
    const text = 'héllo wörld — ünïcode ✓ 😀 and a longer tail to skip the ASCII fast path';
    const enc = new TextEncoder().encode(text);
    const buf = new WireWriter().tag(14, 2).lengthDelimited(enc).finish(); // tag 14 LEN: string s
    expect(scalar(roundTrip(buf, Scalars).fields[0]).value).toBe(text);
  });

  it('keeps enum numbers outside the enum', () => {
    const buf = bytes(0x68, 0x07, 0x68, 0x7f); // tag 13: Color color = 7, then 127 (neither is a Color)
    const doc = roundTrip(buf);
    expect(doc.fields.map((f) => [f.field?.name, scalar(f).type, scalar(f).value])).toEqual([
      ['color', 'enum', 7],
      ['color', 'enum', 127],
    ]);
  });

  it('decodes an extension field declared with extend', () => {
    const buf = bytes(0xa0, 0x06, 0x2a); // tag 100 VARINT (2-byte tag): ext_num = 42
    const doc = roundTrip(buf);
    expect(doc.fields[0].field?.name).toContain('ext_num');
    expect(scalar(doc.fields[0]).value).toBe(42);
  });
});

describe('decodeMessage: structure', () => {
  it('reads an empty message', () => {
    const doc = roundTrip(bytes());
    expect(doc.fields).toEqual([]);
  });

  it('keeps non-canonical field order, non-minimal varints, tags and length prefixes byte-exact', () => {
    const buf = bytes(
      0x68,
      0x01, //                  tag 13: color = GREEN (before name: out of order)
      0x8a,
      0x00,
      0x83,
      0x80,
      0x00, //  tag 1 LEN as a 2-byte tag, length 3 as a 3-byte varint
      ...ascii('abc'), //               string name = "abc"
      0x20,
      0x85,
      0x80,
      0x00, //      tag 4: unpacked int32 = 5 as a 3-byte varint
      0x0a,
      0x01,
      ...ascii('z'), //   tag 1 LEN 1: name = "z" again (last one wins in protoc)
    );
    const doc = roundTrip(buf);
    expect(doc.fields.map((f) => f.fieldNumber)).toEqual([13, 1, 4, 1]);
    expect(doc.fields[1].span).toEqual({ tagStart: 2, valueStart: 7, end: 10 });
    expect(scalar(doc.fields[1]).value).toBe('abc');
    expect(scalar(doc.fields[2]).value).toBe(5);
  });

  it('keeps unknown fields of every wire type in wire order', () => {
    const buf = bytes(
      0xc8,
      0x3e,
      0x96,
      0x01, //                         tag 1001 VARINT: 150
      0x0a,
      0x01,
      ...ascii('n'), //                      tag 1 LEN: name = "n" (known, between unknowns)
      0xd1,
      0x3e,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      8, //             tag 1002 I64: 0x0807060504030201
      0xdd,
      0x3e,
      0xff,
      0xff,
      0xff,
      0xff, //             tag 1003 I32: 0xffffffff
      0xe2,
      0x3e,
      0x02,
      0xab,
      0xcd, //                   tag 1004 LEN 2: ab cd
      0xeb,
      0x3e, //                                     tag 1005 SGROUP
      0x08,
      0x01, //                                       tag 1 VARINT: 1
      0x13,
      0x18,
      0x02,
      0x14, //                           tag 2 SGROUP { tag 3 VARINT: 2 } tag 2 EGROUP
      0xec,
      0x3e, //                                     tag 1005 EGROUP
    );
    const doc = roundTrip(buf);
    expect(doc.fields.map((f) => [f.fieldNumber, f.field === null, f.wireType])).toEqual([
      [1001, true, 0],
      [1, false, 2],
      [1002, true, 1],
      [1003, true, 5],
      [1004, true, 2],
      [1005, true, 3],
    ]);
    expect(unknown(doc.fields[0]).raw).toBe(150n);
    expect(unknown(doc.fields[2]).raw).toBe(0x0807060504030201n);
    expect(unknown(doc.fields[3]).raw).toBe(0xffffffff);
    expect(unknown(doc.fields[4]).raw).toEqual(bytes(0xab, 0xcd));
    const group = unknown(doc.fields[5]).raw as FieldNode[];
    expect(group.map((f) => f.fieldNumber)).toEqual([1, 2]);
    expect((unknown(group[1]).raw as FieldNode[]).map((f) => unknown(f).raw)).toEqual([2n]);
    expect(doc.fields[5].span).toEqual({ tagStart: 28, valueStart: 30, end: 38 });
  });

  it('turns a field with the wrong wire type into an unknown node', () => {
    const buf = bytes(0x08, 0x05, 0x15, 1, 2, 3, 4); // tag 1 VARINT: 5 (name is a string); tag 2 I32 (participants is a message)
    const doc = roundTrip(buf);
    expect(doc.fields.map((f) => [f.field, f.value.kind])).toEqual([
      [null, 'unknown'],
      [null, 'unknown'],
    ]);
  });

  it('accepts packed and unpacked repeated fields whatever the schema says', () => {
    const buf = bytes(
      0x18,
      0x01, //                 tag 3 VARINT: nums = 1 ([packed=true] field, sent unpacked)
      0x1a,
      0x03,
      0x02,
      0xac,
      0x02, // tag 3 LEN 3: nums packed [2, 300]
      0x22,
      0x02,
      0x07,
      0x08, //     tag 4 LEN 2: unpacked packed [7, 8] (an unpacked field, sent packed)
      0x20,
      0x09, //                 tag 4 VARINT: unpacked = 9
      0x82,
      0x01,
      0x02,
      0x01,
      0x02, // tag 16 LEN 2: colors packed [GREEN, BLUE]
    );
    const doc = roundTrip(buf);
    expect(doc.fields.map((f) => f.value.kind)).toEqual(['scalar', 'packed', 'packed', 'scalar', 'packed']);
    const p = doc.fields[1].value;
    expect(p.kind === 'packed' && p.elements.map((e) => [e.value, e.span])).toEqual([
      [2, { tagStart: 4, valueStart: 4, end: 5 }],
      [300, { tagStart: 5, valueStart: 5, end: 7 }],
    ]);
  });

  it('proto3: repeated scalars packed by default, still accepted unpacked', () => {
    const buf = bytes(
      0x12,
      0x02,
      0x01,
      0x02, // tag 2 LEN 2: packed_default [1, 2]
      0x10,
      0x03, //           tag 2 VARINT: packed_default = 3 (unpacked)
      0x42,
      0x01,
      0x04, //     tag 8 LEN 1: not_packed [4] ([packed=false], sent packed)
      0x3a,
      0x0a,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0x01, // tag 7 LEN 10: u64s [2^64-1]
    );
    const doc = roundTrip(buf, P3);
    expect(doc.fields.map((f) => f.value.kind)).toEqual(['packed', 'scalar', 'packed', 'packed']);
    const u = doc.fields[3].value;
    expect(u.kind === 'packed' && u.elements[0].value).toBe(2n ** 64n - 1n);
  });

  it('decodes nested messages with spans', () => {
    const buf = bytes(
      0x12,
      0x07, //                 tag 2 LEN 7: participants[0]
      0x0a,
      0x03,
      ...ascii('ann'), //   tag 1 LEN 3: name = "ann"
      0x10,
      0x07, //                    tag 2: id = 7
      0x12,
      0x00, //                 tag 2 LEN 0: participants[1] (empty)
    );
    const doc = roundTrip(buf);
    const p0 = msg(doc.fields[0]);
    expect(p0.typeName).toBe('test.Person');
    expect(p0.fields.map((f) => scalar(f).value)).toEqual(['ann', 7]);
    expect(p0.fields[0].span).toEqual({ tagStart: 2, valueStart: 4, end: 7 });
    expect(msg(doc.fields[1]).fields).toEqual([]);
  });

  it('decodes a proto2 group as a message node with group: true', () => {
    const buf = bytes(
      0x3b, //                   tag 7 SGROUP: group Grp
      0x40,
      0x03, //               tag 8: a = 3
      0x4a,
      0x01,
      ...ascii('x'), // tag 9 LEN 1: b = "x"
      0x3c, //                   tag 7 EGROUP
      0x0a,
      0x00, //             tag 1 LEN 0: name = ""
    );
    const doc = roundTrip(buf);
    const g = msg(doc.fields[0]);
    expect(g.group).toBe(true);
    expect(g.typeName).toBe('test.Outer.Grp');
    expect(g.endTagStart).toBe(6);
    expect(g.fields.map((f) => scalar(f).value)).toEqual([3, 'x']);
    expect(doc.fields[0].span).toEqual({ tagStart: 0, valueStart: 1, end: 7 });
  });

  it('decodes map entries as message nodes with key and value, in any order', () => {
    const buf = bytes(
      0x2a,
      0x05,
      0x0a,
      0x01,
      ...ascii('a'),
      0x10,
      0x01, //       tag 5 LEN 5: counts entry { key = "a", value = 1 }
      0x2a,
      0x05,
      0x10,
      0x02,
      0x0a,
      0x01,
      ...ascii('b'), //       tag 5 LEN 5: counts entry { value = 2, key = "b" } (reversed)
      0x32,
      0x07,
      0x08,
      0x07,
      0x12,
      0x03,
      0x0a,
      0x01,
      ...ascii('p'), // tag 6 LEN 7: people entry { key = 7, value = Person { name = "p" } }
    );
    const doc = roundTrip(buf);
    const e0 = msg(doc.fields[0]);
    expect(e0.mapEntry).toBe(true);
    expect(e0.fields.map((f) => [f.field?.name, scalar(f).value])).toEqual([
      ['key', 'a'],
      ['value', 1],
    ]);
    expect(msg(doc.fields[1]).fields.map((f) => f.field?.name)).toEqual(['value', 'key']);
    const e2 = msg(doc.fields[2]);
    expect(scalar(e2.fields[0]).value).toBe(7);
    expect(msg(e2.fields[1]).fields.map((f) => scalar(f).value)).toEqual(['p']);
  });

  it('finds the set member of a oneof (last one on the wire wins)', () => {
    const buf = bytes(
      0x52,
      0x01,
      ...ascii('t'), // tag 10 LEN 1: text = "t"
      0x58,
      0x05, //              tag 11: number = 5
    );
    const doc = roundTrip(buf);
    const choice = Outer.oneofs.choice;
    expect(oneofCase(doc.fields, choice)?.field?.name).toBe('number');
    expect(oneofCase([], choice)).toBeNull();
  });

  it('decodes google.protobuf.Any payloads into embedded, byte-exact', () => {
    const person = bytes(0x0a, 0x01, ...ascii('z'), 0x10, 0x2a); // Person { name = "z", id = 42 }
    const url = ascii('type.googleapis.com/test.Person');
    const any = [0x0a, url.length, ...url, 0x12, person.length, ...person]; // Any { type_url, value }
    const buf = bytes(0x7a, any.length, ...any); // tag 15 LEN: Outer.any
    const doc = roundTrip(buf);
    const valueNode = msg(doc.fields[0]).fields[1];
    const v = scalar(valueNode);
    expect(v.value).toEqual(person);
    expect(v.embedded?.typeName).toBe('test.Person');
    expect(v.embedded?.fields.map((f) => scalar(f).value)).toEqual(['z', 42]);
    expect(childrenOf(valueNode)).toBe(v.embedded?.fields);
    // Unresolvable type: bytes stay bytes.
    const url2 = ascii('x/no.Such');
    const any2 = [0x0a, url2.length, ...url2, 0x12, 0x01, 0xff];
    const doc2 = roundTrip(bytes(0x7a, any2.length, ...any2));
    expect(scalar(msg(doc2.fields[0]).fields[1]).embedded).toBeUndefined();
    // Resolvable type but invalid payload: bytes stay bytes, no error.
    const any3 = [0x0a, url.length, ...url, 0x12, 0x02, 0x0a, 0x05];
    const doc3 = roundTrip(bytes(0x7a, any3.length, ...any3));
    expect(scalar(msg(doc3.fields[0]).fields[1]).embedded).toBeUndefined();
    // An empty type_url names no type (protobufjs would answer its root namespace): bytes stay bytes.
    const doc5 = roundTrip(bytes(0x7a, 0x04, 0x0a, 0x00, 0x12, 0x00)); // Outer.any { type_url: "", value: "" }
    expect(scalar(msg(doc5.fields[0]).fields[1]).embedded).toBeUndefined();
    // resolveType option is used when given.
    const doc4 = decodeMessage(buf, Outer, { resolveType: () => null });
    expect(scalar(msg(doc4.fields[0]).fields[1]).embedded).toBeUndefined();
  });

  it('gives node ids unique within a document, counting from 1', () => {
    const buf = bytes(0x12, 0x02, 0x10, 0x01, 0x1a, 0x02, 0x01, 0x02, 0x08, 0x01); // participants { id = 1 }, nums [1, 2], unknown-typed name
    const doc = decodeMessage(buf, Outer);
    const ids: number[] = [];
    walk(doc, (n) => void ids.push(n.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(Math.min(...ids)).toBe(1);
    expect(doc.nextId).toBe(Math.max(...ids) + 1);
  });

  it('decodes without a schema: everything unknown', () => {
    const buf = bytes(0x0a, 0x01, 0x41, 0x10, 0x01); // tag 1 LEN "A", tag 2 VARINT 1
    const doc = decodeMessage(buf, null);
    expect(doc.fields.map((f) => f.value.kind)).toEqual(['unknown', 'unknown']);
    expect(encodeMessage(doc, buf)).toEqual(buf);
  });
});

describe('decodeMessage: errors and limits', () => {
  it('names the offset and path of a truncated length-delimited value', () => {
    const buf = bytes(
      0x12,
      0x00, //             tag 2 LEN 0: participants[0]
      0x12,
      0x00, //             tag 2 LEN 0: participants[1]
      0x12,
      0x05, //             tag 2 LEN 5: participants[2]
      0x0a,
      0xac,
      0x02,
      0x61,
      0x62, // tag 1 LEN 300: name, but only 2 bytes remain in participants[2]
    );
    const e = decodeError(() => decodeMessage(buf, Outer));
    expect(e.offset).toBe(7);
    expect(e.path).toBe('participants[2].name');
    expect(e.message).toBe('at byte 7 (participants[2].name): a length-delimited value of 300 bytes, but only 2 remain');
  });

  it('reports input that ends inside a value', () => {
    const e = decodeError(() => decodeMessage(bytes(0x09, 0x00, 0x00), Scalars)); // tag 1 I64, only 2 of 8 bytes
    expect(e.offset).toBe(1);
    expect(e.path).toBe('d');
    expect(e.expected).toMatch(/8-byte double/);
    const e2 = decodeError(() => decodeMessage(bytes(0x18, 0x96), Scalars)); // tag 3 VARINT, varint cut off
    expect(e2.offset).toBe(2);
  });

  it('rejects field number 0 and wire types 6 and 7, naming the offset', () => {
    expect(decodeError(() => decodeMessage(bytes(0x08, 0x01, 0x00), Outer)).offset).toBe(2); // tag 1 VARINT 1, then tag 0
    const e6 = decodeError(() => decodeMessage(bytes(0x0e), Outer)); // field 1, wire type 6
    expect(e6.message).toMatch(/at byte 0.*wire type 6/);
    const e7 = decodeError(() => decodeMessage(bytes(0x12, 0x01, 0x0f), Outer)); // participants[0] { field 1, wire type 7 }
    expect(e7.message).toMatch(/at byte 2 \(participants\[0\]\).*wire type 7/);
  });

  it('rejects an overlong (11-byte) varint', () => {
    const buf = bytes(0x18, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00); // tag 3, 11 varint bytes
    const e = decodeError(() => decodeMessage(buf, Scalars));
    expect(e.message).toBe('at byte 1 (i32): a varint of at most 10 bytes');
    const e64 = decodeError(() => decodeMessage(bytes(0x20, ...Array(10).fill(0xff), 0x01), Scalars)); // tag 4: int64, 11 bytes
    expect(e64.offset).toBe(1);
  });

  it('rejects an end-group tag that matches no open group', () => {
    expect(decodeError(() => decodeMessage(bytes(0x0c), Outer)).message).toMatch(/at byte 0: a field, not an end-group tag for field 1/);
    // group 7 closed by an end tag for field 8
    expect(decodeError(() => decodeMessage(bytes(0x3b, 0x44), Outer)).message).toMatch(
      /at byte 1 \(grp\): an end-group tag for field 7 \(found one for field 8\)/,
    );
    // group 7 never closed
    expect(decodeError(() => decodeMessage(bytes(0x3b, 0x40, 0x01), Outer)).message).toMatch(
      /at byte 3 \(grp\): an end-group tag for field 7/,
    );
  });

  it('limits nesting depth (default 100), naming the offset; a higher limit decodes 200 levels', () => {
    // Deep { next = Deep { next = ... { v = 1 } } }, 200 levels, built inside out.
    let inner: Uint8Array = bytes(0x10, 0x01); // tag 2: v = 1
    for (let i = 0; i < 200; i++) inner = new WireWriter().tag(1, 2).lengthDelimited(inner).finish().slice(); // tag 1 LEN: next
    const e = decodeError(() => decodeMessage(inner, Deep));
    expect(e.expected).toMatch(/nested at most 100 deep/);
    const r = decodeMessage(inner, Deep, { limits: { maxDepth: 250 } });
    let node = r.fields[0];
    for (let depth = 1; depth < 100; depth++) node = msg(node).fields[0];
    const offset = node.span!.valueStart; // where level 100's fields start: the tag that goes one level too deep
    expect(e.offset).toBe(offset);
    expect(e.path).toMatch(/^next(\.next){100}$/); // 100 levels, then the field that would open level 101
    expect(encodeMessage(r, inner)).toEqual(inner);
    // Groups count towards depth too.
    const groups = bytes(...Array(101).fill(0x0b), ...Array(101).fill(0x0c)); // 101 nested unknown groups of field 1
    expect(decodeError(() => decodeMessage(groups, null)).expected).toMatch(/nested at most 100 deep/);
  });

  it('limits input size and node count', () => {
    expect(decodeError(() => decodeMessage(bytes(0x08, 0x01), Outer, { limits: { maxBytes: 1 } })).expected).toMatch(/at most 1 bytes/);
    const buf = bytes(0x20, 0x01, 0x20, 0x02, 0x20, 0x03); // three unpacked ints
    const e = decodeError(() => decodeMessage(buf, Outer, { limits: { maxNodes: 2 } }));
    expect(e.offset).toBe(4);
    expect(e.expected).toMatch(/at most 2 nodes/);
    // The path names the field where the limit was reached (the third `unpacked` value).
    expect(e.path).toBe('unpacked[2]');
  });

  it('partial mode returns what parsed, the error, and keeps the rest as raw bytes', () => {
    const buf = bytes(
      0x0a,
      0x01,
      ...ascii('a'), //    tag 1 LEN 1: name = "a"
      0x12,
      0x04, //                   tag 2 LEN 4: participants[0]
      0x10,
      0x01, //                     tag 2: id = 1
      0x0a,
      0x09, //                     tag 1 LEN 9: name, but only 0 bytes remain
      0x68,
      0x01, //                   tag 13: color = GREEN (still read: the bad message is bounded)
      0x18, //                         tag 3 VARINT, value missing
    );
    const doc = decodeMessage(buf, Outer, { partial: true });
    expect(doc.error).toBeInstanceOf(DecodeError);
    expect(doc.error?.message).toBe('at byte 8 (participants[0].name): a length-delimited value of 9 bytes, but only 0 remain');
    expect(doc.fields.map((f) => f.value.kind)).toEqual(['scalar', 'message', 'scalar', 'raw-bytes']);
    expect(msg(doc.fields[1]).fields.map((f) => f.value.kind)).toEqual(['scalar', 'raw-bytes']);
    expect(encodeMessage(doc, buf)).toEqual(buf);
    expect(() => decodeMessage(buf, Outer)).toThrow(DecodeError);
  });
});

describe('decodeMessage: lazy nested messages', () => {
  const buf = bytes(
    0x12,
    0x05,
    0x0a,
    0x03,
    ...ascii('ann'), // tag 2 LEN 5: participants[0] { name = "ann" }
    0x72,
    0x04,
    0x72,
    0x02,
    0x08,
    0x01, //     tag 14 LEN 4: child { tag 14 LEN 2: child { tag 1 VARINT: 1 (wrong wire type for name) } }
    0x68,
    0x01, //                             tag 13: color = GREEN
  );

  it('decodes nested messages on first access, with the same result as an eager decode', () => {
    const lazy = decodeMessage(buf, Outer, { lazy: true });
    const eager = decodeMessage(buf, Outer);
    expect(encodeMessage(lazy, buf)).toEqual(buf);
    const shape = (fields: readonly FieldNode[]): unknown[] =>
      fields.map((f) => [
        f.fieldNumber,
        f.field?.name ?? null,
        f.span,
        f.value.kind,
        f.value.kind === 'message' ? shape(f.value.fields) : f.value.kind === 'scalar' ? f.value.value : null,
      ]);
    expect(shape(lazy.fields)).toEqual(shape(eager.fields));
    const first = msg(lazy.fields[0]).fields;
    expect(msg(lazy.fields[0]).fields).toBe(first); // memoized
    const ids: number[] = [];
    walk(lazy, (n) => void ids.push(n.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('reports errors inside a lazy message on access (partial: kept on the value)', () => {
    const bad = bytes(0x12, 0x02, 0x0a, 0x05, 0x68, 0x01); // participants[0] { name: length 5 but 0 remain }; color
    const lazy = decodeMessage(bad, Outer, { lazy: true });
    expect(lazy.fields.length).toBe(2);
    const e = decodeError(() => msg(lazy.fields[0]).fields);
    expect(e.message).toBe('at byte 3 (name): a length-delimited value of 5 bytes, but only 0 remain');
    const tolerant = decodeMessage(bad, Outer, { lazy: true, partial: true });
    const v = msg(tolerant.fields[0]);
    expect(v.fields.map((f) => f.value.kind)).toEqual(['raw-bytes']);
    expect(v.error?.offset).toBe(3);
    expect(encodeMessage(tolerant, bad)).toEqual(bad);
  });
});

describe('decodeMessage: a tolerant decode keeps every byte (fuzz corpus regressions)', () => {
  /** A copy with every message and group marked modified: encode rebuilds them from their fields. */
  function allModified(fields: readonly FieldNode[]): FieldNode[] {
    return fields.map((n) => {
      const v = n.value;
      if (v.kind === 'message') return { ...n, modified: true, value: { ...v, fields: allModified(v.fields) } };
      if (v.kind === 'unknown' && Array.isArray(v.raw))
        return { ...n, modified: true, value: { ...v, raw: allModified(v.raw as FieldNode[]) } };
      return n;
    });
  }
  /** Varint bytes of n. */
  function varint(n: number): number[] {
    const out: number[] = [];
    for (; n >= 0x80; n = Math.floor(n / 128)) out.push((n & 0x7f) | 0x80);
    out.push(n);
    return out;
  }
  /** `depth` levels of test.Deep `next`, each wrapping the rest: tag 1 LEN (0x0a), length, then the next level. */
  function nextChain(depth: number): Uint8Array {
    const inner: number[] = []; // bytes inside each level, innermost first
    for (let d = 0, n = 0; d < depth; d++, n += 1 + varint(n).length) inner.push(n);
    const out: number[] = [];
    for (let d = depth - 1; d >= 0; d--) out.push(0x0a, ...varint(inner[d])); // tag 1 LEN: next, its length
    return Uint8Array.from(out);
  }
  function writeAll(fields: readonly FieldNode[], src: Uint8Array): Uint8Array {
    const w = new WireWriter(64);
    writeFields(w, fields, src);
    return w.finish().slice();
  }

  it('a malformed element in a packed run keeps the rest of the enclosing message, up to its end, as raw bytes', () => {
    // fuzz/corpus/encode-755484bd352d.bin, encode-06039eeeb77e.bin: packed() left the reader's
    // limit at the end of the run, so the raw rest stopped there and the bytes after it were lost.
    const buf = bytes(
      0x72,
      0x06, //     tag 14 LEN 6: child (test.Outer)
      0x1a,
      0x02, //       tag 3 LEN 2: nums, a packed run of 2 bytes
      0x01, //               nums[0] = 1
      0x80, //               nums[1]: a varint whose next byte is past the run's end
      0x68,
      0x01, //       tag 13 VARINT: color = GREEN (after the broken run)
      0x68,
      0x02, //     tag 13 VARINT: color = BLUE
    );
    const doc = decodeMessage(buf, Outer, { partial: true });
    expect(doc.error?.offset).toBe(6);
    expect(doc.error?.message).toMatch(/^at byte 6 \(child\.nums\[0\]\): the rest of a varint that starts at byte 5/);
    const child = msg(doc.fields[0]);
    expect(child.fields.map((f) => f.value.kind)).toEqual(['raw-bytes']);
    expect(child.fields[0].span).toEqual({ tagStart: 2, valueStart: 2, end: 8 }); // to the end of child, not of the run
    expect(scalar(doc.fields[1]).value).toBe(2); // the top level goes on after child
    expect(writeAll(doc.fields, buf)).toEqual(buf); // the spans tile the input
    expect(writeAll(allModified(doc.fields), buf)).toEqual(buf); // and child re-encodes byte-exact
  });

  it('a group a tolerant decode stopped inside is marked unterminated, and re-encodes without an end tag', () => {
    // fuzz/corpus/encode-1afd316953ac.bin: encode added an end-group tag the source never had.
    const buf = bytes(
      0x3b, //             tag 7 SGROUP: group Grp
      0x40,
      0x03, //         tag 8 VARINT: a = 3
      0x4a,
      0x05,
      0x78, //   tag 9 LEN 5: b, but only 1 byte remains (and no end-group tag follows)
    );
    const doc = decodeMessage(buf, Outer, { partial: true });
    expect(doc.error?.offset).toBe(4); // the length prefix
    const g = msg(doc.fields[0]);
    expect(g.unterminated).toBe(true);
    expect(g.endTagStart).toBeUndefined();
    expect(g.fields.map((f) => f.value.kind)).toEqual(['scalar', 'raw-bytes']);
    expect(writeAll(allModified(doc.fields), buf)).toEqual(buf);
    // An edit inside the group: only `a` changes; still no end tag.
    const edited = applyEdit(doc, { op: 'set-value', path: [0, 0], value: 4 });
    expect(encodeMessage(edited, buf)).toEqual(bytes(0x3b, 0x40, 0x04, 0x4a, 0x05, 0x78));
    // A whole, strictly decoded group is not marked, and keeps its end tag.
    const whole = bytes(0x3b, 0x40, 0x03, 0x3c); // tag 7 SGROUP; tag 8 VARINT: a = 3; tag 7 EGROUP
    expect(msg(decodeMessage(whole, Outer).fields[0]).unterminated).toBeUndefined();
  });

  it('the same for an unknown group', () => {
    const buf = bytes(
      0xa3,
      0x01, //   tag 20 SGROUP: an unknown group (test.Outer has no field 20)
      0x08,
      0x01, //     tag 1 VARINT: 1
      0x10, //           tag 2 VARINT, its value missing (and no end-group tag)
    );
    const doc = decodeMessage(buf, Outer, { partial: true });
    expect(doc.error?.offset).toBe(5);
    const u = unknown(doc.fields[0]);
    expect(u.unterminated).toBe(true);
    expect(writeAll(allModified(doc.fields), buf)).toEqual(buf);
  });

  it('nesting deeper than the call stack (a raised maxDepth) is a DecodeError, not a stack overflow; partial keeps the bytes', () => {
    const buf = nextChain(100_000); // next { next { ... } }, 100,000 levels
    const limits = { maxDepth: 10_000_000 };
    const e = decodeError(() => decodeMessage(buf, Deep, { limits }));
    expect(e.message).toMatch(/^at byte \d+ .*the call stack ran out at depth \d+; lower limits\.maxDepth\)$/);
    const doc = decodeMessage(buf, Deep, { limits, partial: true });
    expect(doc.error?.message).toMatch(/call stack ran out/);
    expect(writeAll(doc.fields, buf)).toEqual(buf);
  });
});

describe('decodeMessageSteps', () => {
  // Outer with an empty participant, 24 `unpacked` values (field 4), then a participant whose name is cut short.
  const w = new WireWriter();
  w.tag(2, 2).uvarint(0);
  for (let i = 1; i < 25; i++) w.tag(4, 0).uvarint(i);
  const whole = w.finish().slice();
  const broken = new Uint8Array([...whole, 0x12, 0x05, 0x0a, 0x09, ...ascii('Al')]);

  const run = (buf: Uint8Array, options: Parameters<typeof decodeMessageSteps>[2], perStep: number) => {
    const steps = decodeMessageSteps(buf, Outer, options, perStep);
    const yielded: number[] = [];
    let next = steps.next();
    while (!next.done) {
      yielded.push(next.value);
      next = steps.next();
    }
    return { yielded, root: next.value };
  };

  it('reads the top level a few fields at a time, saying how far it got, to the tree decodeMessage builds', () => {
    const { yielded, root: stepped } = run(whole, {}, 10);
    // 25 fields, 10 per step: it stops after the 10th and the 20th (each field here takes 2 bytes).
    expect(yielded).toEqual([20, 40]);
    expect(stepped).toEqual(decodeMessage(whole, Outer));
    expect(stepped.fields.slice(1).map((f) => scalar(f).value)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
  });

  it('names the field path across steps where the bytes break, as decodeMessage does', () => {
    const { root: stepped } = run(broken, { partial: true }, 10);
    const once = decodeMessage(broken, Outer, { partial: true });
    expect(stepped).toEqual(once);
    expect(stepped.error?.message).toBe(once.error?.message);
    // The second participant, counted across steps (the first was read two steps earlier).
    expect(stepped.error?.path).toBe('participants[1]');
    // The unread rest is kept as raw bytes after the 25 fields.
    expect(stepped.fields.length).toBe(26);
    expect(stepped.fields[25].value.kind).toBe('raw-bytes');
    expect(() => run(broken, {}, 10)).toThrow(DecodeError);
  });
});
