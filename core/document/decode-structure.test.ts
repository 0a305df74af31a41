import { describe, expect, it } from 'vitest';
import { ascii, bytes, msg, Outer, P3, roundTrip, scalar, unknown } from '../../testing/decode-test-helpers';
import { decodeMessage } from './decode';
import { encodeMessage } from './encode';
import type { FieldNode } from './model';
import { oneofCase, childrenOf, walk } from './tree';

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

  it("gives node ids unique within a document: the offset of the node's first byte plus one, the same at every read", () => {
    const buf = bytes(0x12, 0x02, 0x10, 0x01, 0x1a, 0x02, 0x01, 0x02, 0x08, 0x01); // participants { id = 1 }, nums [1, 2], unknown-typed name
    const doc = decodeMessage(buf, Outer);
    const ids: number[] = [];
    walk(doc, (n) => void ids.push(n.id));
    expect(new Set(ids).size).toBe(ids.length);
    // participants at 0, its id at 2, nums at 4, the unknown-typed name at 8
    expect(ids).toEqual([1, 3, 5, 9]);
    expect(doc.nextId).toBeGreaterThan(Math.max(...ids));
    // A transient tree builds its nodes again at each read: new objects, the same ids.
    const again = decodeMessage(buf, Outer, { transient: true });
    const first = again.fields;
    expect(again.fields).not.toBe(first);
    expect(again.fields.map((n) => n.id)).toEqual(first.map((n) => n.id));
  });

  it('decodes without a schema: everything unknown', () => {
    const buf = bytes(0x0a, 0x01, 0x41, 0x10, 0x01); // tag 1 LEN "A", tag 2 VARINT 1
    const doc = decodeMessage(buf, null);
    expect(doc.fields.map((f) => f.value.kind)).toEqual(['unknown', 'unknown']);
    expect(encodeMessage(doc, buf)).toEqual(buf);
  });
});
