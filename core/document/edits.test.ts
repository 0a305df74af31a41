import { describe, expect, it } from 'vitest';
import { decodeMessage } from './decode';
import { encodeMessage } from './encode';
import { applyEdit, EditError, type Edit } from './edits';
import type { FieldNode, MessageRoot } from './model';
import { testRoot } from '../../testing/field-shapes-schema';
import { nodeAtPath } from './tree';
import { WireType } from '../wire/wire-types';

const root = testRoot();
const Outer = root.lookupType('test.Outer');
const P3 = root.lookupType('test3.P3');

const bytes = (...b: number[]) => new Uint8Array(b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** Applies edits to the decoded bytes and returns the re-encoded bytes. */
function edited(buf: Uint8Array, edits: Edit[], type = Outer): { out: Uint8Array; doc: MessageRoot } {
  let doc = decodeMessage(buf, type);
  for (const e of edits) doc = applyEdit(doc, e);
  return { out: encodeMessage(doc, buf), doc };
}

/** protobufjs's reading of the bytes, as plain JSON-ish values (referee for semantics). */
function pj(buf: Uint8Array, type = Outer): Record<string, unknown> {
  return type.toObject(type.decode(buf), { longs: String, bytes: String, defaults: false }) as Record<string, unknown>;
}

// participants[0] { name = "ann" }, participants[1] { name = "bob", id = 5 }, then unknown field 99, then color.
const SAMPLE = bytes(
  0x12,
  0x05,
  0x0a,
  0x03,
  ...ascii('ann'), //            [0..6]   tag 2 LEN 5: participants[0] { tag 1 LEN 3: name = "ann" }
  0x12,
  0x07,
  0x0a,
  0x03,
  ...ascii('bob'),
  0x10,
  0x05, // [7..15]  tag 2 LEN 7: participants[1] { name = "bob", tag 2: id = 5 }
  0x98,
  0x06,
  0x81,
  0x00, //                             [16..19] tag 99 VARINT: unknown, 1 as a 2-byte varint
  0x68,
  0x01, //                                         [20..21] tag 13: color = GREEN
);

describe('applyEdit: only the edited path changes', () => {
  it('set-value re-encodes the edited field and its ancestors only', () => {
    const { out, doc } = edited(SAMPLE, [{ op: 'set-value', path: [1, 0], value: 'robert' }]);
    // participants[0] untouched, participants[1] grows by 3 bytes, the rest is copied.
    expect(out.subarray(0, 7)).toEqual(SAMPLE.subarray(0, 7));
    expect([...out.subarray(7, 19)]).toEqual([0x12, 0x0a, 0x0a, 0x06, ...ascii('robert'), 0x10, 0x05]);
    expect(out.subarray(19)).toEqual(SAMPLE.subarray(16));
    expect(doc.modified).toBe(true);
    expect(doc.fields[0].modified).toBe(false);
    expect(doc.fields[1].modified).toBe(true);
    expect(doc.fields[2].modified).toBe(false);
    expect(pj(out).participants).toEqual([{ name: 'ann' }, { name: 'robert', id: 5 }]);
  });

  it('reuses original tag and length-prefix bytes when they still fit', () => {
    const buf = bytes(
      0x8a,
      0x00,
      0x83,
      0x80,
      0x00,
      ...ascii('abc'), // tag 1 LEN as a 2-byte tag, length 3 as a 3-byte varint: name = "abc"
      0x20,
      0x85,
      0x80,
      0x00, //                      tag 4: unpacked = 5 as a 3-byte varint
    );
    // Same length: the tag and the 3-byte length prefix are kept.
    const same = edited(buf, [{ op: 'set-value', path: [0], value: 'xyz' }]).out;
    expect([...same]).toEqual([0x8a, 0x00, 0x83, 0x80, 0x00, ...ascii('xyz'), 0x20, 0x85, 0x80, 0x00]);
    // Different length: the tag is kept, the length prefix becomes minimal.
    const longer = edited(buf, [{ op: 'set-value', path: [0], value: 'abcd' }]).out;
    expect([...longer]).toEqual([0x8a, 0x00, 0x04, ...ascii('abcd'), 0x20, 0x85, 0x80, 0x00]);
    // A re-encoded varint value is minimal; its tag bytes are kept.
    const v = edited(buf, [{ op: 'set-value', path: [1], value: 6 }]).out;
    expect([...v.subarray(8)]).toEqual([0x20, 0x06]);
  });

  it('writes negative int32 as 10 bytes and keeps 64-bit values exact', () => {
    const { out } = edited(bytes(0x20, 0x01), [
      { op: 'set-value', path: [0], value: -1 }, // tag 4: unpacked = -1
      { op: 'add-field', path: [], fieldNumber: 11, value: '-9223372036854775808' }, // oneof number = min int64
    ]);
    expect([...out.subarray(0, 11)]).toEqual([0x20, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect(pj(out)).toEqual({ unpacked: [-1], number: '-9223372036854775808' });
  });

  it('set-value on a string with invalid UTF-8 writes the new valid string', () => {
    const buf = bytes(0x0a, 0x02, 0xc3, 0x28); // tag 1 LEN 2: name = invalid UTF-8
    const { out } = edited(buf, [{ op: 'set-value', path: [0], value: 'ok' }]);
    expect([...out]).toEqual([0x0a, 0x02, ...ascii('ok')]);
  });

  it('set-value accepts enum names and numbers outside the enum; rejects out-of-range values', () => {
    expect([...edited(SAMPLE, [{ op: 'set-value', path: [3], value: 'BLUE' }]).out.subarray(20)]).toEqual([0x68, 0x02]);
    expect([...edited(SAMPLE, [{ op: 'set-value', path: [3], value: 77 }]).out.subarray(20)]).toEqual([0x68, 0x4d]);
    expect(() => edited(SAMPLE, [{ op: 'set-value', path: [1, 1], value: 2 ** 31 }])).toThrow(/value 2147483648 is out of range for int32/);
    expect(() => edited(SAMPLE, [{ op: 'set-value', path: [2], value: 1 }])).toThrow(EditError); // an unknown field
    expect(() => edited(SAMPLE, [{ op: 'set-value', path: [9], value: 1 }])).toThrow(/leads nowhere/);
  });

  it('remove and move repeated elements', () => {
    const removed = edited(SAMPLE, [{ op: 'remove', path: [0] }]).out;
    expect(removed).toEqual(SAMPLE.subarray(7));
    const moved = edited(SAMPLE, [{ op: 'move', path: [1], to: 0 }]).out;
    expect(moved).toEqual(bytes(...SAMPLE.subarray(7, 16), ...SAMPLE.subarray(0, 7), ...SAMPLE.subarray(16)));
    expect(pj(moved).participants).toEqual([{ name: 'bob', id: 5 }, { name: 'ann' }]);
  });

  it('add-field adds defaults, empty messages, repeated elements in field order', () => {
    const { out, doc } = edited(SAMPLE, [
      { op: 'add-field', path: [], fieldNumber: 2 }, //             a third participant (empty message)
      { op: 'add-field', path: [], fieldNumber: 1, value: 'n' }, // name, before participants (field order)
      { op: 'add-field', path: [3], fieldNumber: 3, value: 'e@x' }, // participants[2].emails += "e@x"
      { op: 'add-field', path: [], fieldNumber: 14 }, //            child = empty Outer
      { op: 'add-field', path: [], fieldNumber: 7 }, //             group Grp, empty
    ]);
    expect(doc.fields.map((f) => f.fieldNumber)).toEqual([1, 2, 2, 2, 7, 14, 99, 13]); // new fields go before the first larger field number
    expect(pj(out)).toEqual({
      name: 'n',
      participants: [{ name: 'ann' }, { name: 'bob', id: 5 }, { emails: ['e@x'] }],
      grp: {},
      color: 1,
      child: {},
    });
    // The empty group is its start tag then its end tag; then child (tag 14 LEN 0), then unknown field 99.
    expect(Buffer.from(out).includes(Buffer.from([0x3b, 0x3c, 0x72, 0x00, 0x98, 0x06, 0x81, 0x00]))).toBe(true);
    expect(() => edited(SAMPLE, [{ op: 'add-field', path: [], fieldNumber: 500 }])).toThrow(/no field 500/);
  });

  it('add-field on a map adds an entry; on a proto3 packable field makes a packed run, then appends to it', () => {
    const { out } = edited(bytes(), [
      { op: 'add-field', path: [], fieldNumber: 5, key: 'k', value: 3 }, // counts["k"] = 3
      { op: 'add-field', path: [], fieldNumber: 6, key: 9 }, //           people[9] = {}
    ]);
    expect([...out]).toEqual([
      0x2a,
      0x05,
      0x0a,
      0x01,
      ...ascii('k'),
      0x10,
      0x03, // tag 5 LEN 5: { key = "k", value = 3 }
      0x32,
      0x04,
      0x08,
      0x09,
      0x12,
      0x00, //               tag 6 LEN 4: { key = 9, value = {} }
    ]);
    const p = edited(
      bytes(),
      [
        { op: 'add-field', path: [], fieldNumber: 2, value: 1 },
        { op: 'add-field', path: [], fieldNumber: 2, value: 300 },
        { op: 'add-field', path: [], fieldNumber: 8, value: 4 }, // [packed=false]: one scalar
      ],
      P3,
    ).out;
    expect([...p]).toEqual([0x12, 0x03, 0x01, 0xac, 0x02, 0x40, 0x04]); // tag 2 LEN 3: [1, 300]; tag 8: 4
  });

  it("packed element edits keep untouched elements' bytes (even non-minimal)", () => {
    const buf = bytes(0x1a, 0x04, 0x81, 0x00, 0x02, 0x03); // tag 3 LEN 4: nums [1 (2-byte varint), 2, 3]
    const set = edited(buf, [{ op: 'set-packed-element', path: [0], index: 2, value: 300 }]).out;
    expect([...set]).toEqual([0x1a, 0x05, 0x81, 0x00, 0x02, 0xac, 0x02]);
    const ins = edited(buf, [{ op: 'insert-packed-element', path: [0], index: 0, value: 7 }]).out;
    expect([...ins]).toEqual([0x1a, 0x05, 0x07, 0x81, 0x00, 0x02, 0x03]);
    const rem = edited(buf, [{ op: 'remove-packed-element', path: [0], index: 1 }]).out;
    expect([...rem]).toEqual([0x1a, 0x03, 0x81, 0x00, 0x03]);
    const mov = edited(buf, [{ op: 'move-packed-element', path: [0], from: 0, to: 2 }]).out;
    expect([...mov]).toEqual([0x1a, 0x04, 0x02, 0x03, 0x81, 0x00]); // same length: length prefix reused
    const app = edited(buf, [{ op: 'add-field', path: [], fieldNumber: 3, value: 4 }]).out;
    expect([...app]).toEqual([0x1a, 0x05, 0x81, 0x00, 0x02, 0x03, 0x04]);
  });

  it('clear-field removes every occurrence, known or not', () => {
    const buf = bytes(0x20, 0x01, 0x22, 0x01, 0x02, 0x25, 0, 0, 0, 0, 0x68, 0x01); // unpacked 1, packed [2], wrong-wire-type i32 of field 4, color
    const { out } = edited(buf, [{ op: 'clear-field', path: [], fieldNumber: 4 }]);
    expect([...out]).toEqual([0x68, 0x01]);
  });

  it('set-oneof clears the other members and sets the chosen one', () => {
    const buf = bytes(0x52, 0x01, ...ascii('t'), 0x68, 0x01); // text = "t", color = GREEN
    const a = edited(buf, [{ op: 'set-oneof', path: [], oneof: 'choice', fieldNumber: 11, value: 42 }]).out;
    expect([...a]).toEqual([0x58, 0x2a, 0x68, 0x01]); // number = 42 where text was
    const b = edited(buf, [{ op: 'set-oneof', path: [], oneof: 'choice', fieldNumber: 12 }]).out;
    expect(pj(b)).toEqual({ who: {}, color: 1 });
    // add-field on a oneof member behaves the same
    expect(pj(edited(buf, [{ op: 'add-field', path: [], fieldNumber: 10, value: 'u' }]).out)).toEqual({ text: 'u', color: 1 });
    expect(() => edited(buf, [{ op: 'set-oneof', path: [], oneof: 'choice', fieldNumber: 13 }])).toThrow(/not a member/);
  });

  it('add, edit and remove unknown fields of every wire type, including groups', () => {
    const { out, doc } = edited(SAMPLE, [
      { op: 'add-unknown', path: [], field: { fieldNumber: 1000, wireType: WireType.VARINT, raw: -1 } },
      { op: 'add-unknown', path: [], field: { fieldNumber: 1001, wireType: WireType.I64, raw: '18446744073709551615' } },
      { op: 'add-unknown', path: [], field: { fieldNumber: 1002, wireType: WireType.I32, raw: 7 } },
      { op: 'add-unknown', path: [], field: { fieldNumber: 1003, wireType: WireType.LEN, raw: bytes(1, 2) } },
      {
        op: 'add-unknown',
        path: [],
        field: {
          fieldNumber: 1004,
          wireType: WireType.SGROUP,
          raw: [
            { fieldNumber: 1, wireType: WireType.VARINT, raw: 5 },
            { fieldNumber: 2, wireType: WireType.SGROUP, raw: [] },
          ],
        },
      },
      { op: 'set-unknown', path: [2], field: { fieldNumber: 99, wireType: WireType.VARINT, raw: 2 } },
    ]);
    expect(out.subarray(0, 16)).toEqual(SAMPLE.subarray(0, 16));
    expect([...out.subarray(16)]).toEqual([
      0x98,
      0x06,
      0x02, //                                               tag 99 VARINT: 2 (tag bytes reused)
      0x68,
      0x01, //                                                     color
      0xc0,
      0x3e,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0x01, // tag 1000 VARINT: 2^64-1
      0xc9,
      0x3e,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff, //     tag 1001 I64
      0xd5,
      0x3e,
      0x07,
      0,
      0,
      0, //                                      tag 1002 I32: 7
      0xda,
      0x3e,
      0x02,
      0x01,
      0x02, //                                   tag 1003 LEN 2
      0xe3,
      0x3e,
      0x08,
      0x05,
      0x13,
      0x14,
      0xe4,
      0x3e, //                 tag 1004 SGROUP { 1: 5, group 2 {} } EGROUP
    ]);
    const removed = encodeMessage(applyEdit(doc, { op: 'remove', path: [8] }), SAMPLE);
    expect(removed.subarray(removed.length - 5)).toEqual(bytes(0xda, 0x3e, 0x02, 0x01, 0x02));
  });

  it('edits inside an unknown group re-encode it, keeping its end tag bytes', () => {
    const buf = bytes(0xeb, 0x3e, 0x08, 0x01, 0xec, 0x3e); // tag 1005 SGROUP { tag 1 VARINT: 1 } EGROUP
    const { out } = edited(buf, [{ op: 'set-unknown', path: [0, 0], field: { fieldNumber: 1, wireType: WireType.VARINT, raw: 300 } }]);
    expect([...out]).toEqual([0xeb, 0x3e, 0x08, 0xac, 0x02, 0xec, 0x3e]);
  });

  it('insert-raw writes bytes as they are, for deliberately invalid encodings', () => {
    const { out } = edited(SAMPLE, [{ op: 'insert-raw', path: [], at: 0, bytes: bytes(0xff, 0xff) }]);
    expect(out).toEqual(bytes(0xff, 0xff, ...SAMPLE));
  });

  it('edits inside a group keep its original start and end tags', () => {
    const buf = bytes(0x3b, 0x40, 0x03, 0x3c, 0x68, 0x01); // group Grp { a = 3 } ; color
    const { out } = edited(buf, [{ op: 'set-value', path: [0, 0], value: 300 }]);
    expect([...out]).toEqual([0x3b, 0x40, 0xac, 0x02, 0x3c, 0x68, 0x01]);
  });

  it('edits inside an Any payload re-encode its value bytes', () => {
    const person = [0x0a, 0x01, ...ascii('z')]; // Person { name = "z" }
    const url = ascii('type.googleapis.com/test.Person');
    const any = [0x0a, url.length, ...url, 0x12, person.length, ...person];
    const buf = bytes(0x7a, any.length, ...any, 0x68, 0x01); // tag 15 LEN: any; color
    const { out, doc } = edited(buf, [{ op: 'set-value', path: [0, 1, 0], value: 'zed' }]);
    const valueNode = nodeAtPath(doc, [0, 1]) as FieldNode;
    expect(valueNode.modified).toBe(true);
    const Person = root.lookupType('test.Person');
    const decoded = Outer.decode(out) as unknown as { any: { type_url: string; value: Uint8Array }; color: number };
    expect(decoded.any.type_url).toBe('type.googleapis.com/test.Person');
    expect(Person.toObject(Person.decode(decoded.any.value))).toEqual({ name: 'zed' });
    expect(decoded.color).toBe(1);
    // Setting the bytes directly drops the decoded view.
    const direct = edited(buf, [{ op: 'set-value', path: [0, 1], value: bytes(0x10, 0x01) }]);
    expect((nodeAtPath(direct.doc, [0, 1])!.value as { embedded?: unknown }).embedded).toBeUndefined();
    expect(Person.toObject(Person.decode((Outer.decode(direct.out) as unknown as { any: { value: Uint8Array } }).any.value))).toEqual({
      id: 1,
    });
  });

  it('does not change the root it is given', () => {
    const doc = decodeMessage(SAMPLE, Outer);
    const next = applyEdit(doc, { op: 'remove', path: [0] });
    expect(doc.fields.length).toBe(4);
    expect(doc.modified).toBe(false);
    expect(encodeMessage(doc, SAMPLE)).toEqual(SAMPLE);
    expect(next.fields[0]).toBe(doc.fields[1]); // untouched nodes are shared
  });

  it('works on lazily decoded documents: only the touched message is decoded and re-encoded', () => {
    const lazy = decodeMessage(SAMPLE, Outer, { lazy: true });
    const next = applyEdit(lazy, { op: 'set-value', path: [1, 1], value: 6 });
    const out = encodeMessage(next, SAMPLE);
    expect(out.subarray(0, 14)).toEqual(SAMPLE.subarray(0, 14));
    expect([...out.subarray(14, 16)]).toEqual([0x10, 0x06]);
    expect(out.subarray(16)).toEqual(SAMPLE.subarray(16));
    expect(encodeMessage(lazy, SAMPLE)).toEqual(SAMPLE);
  });

  it('edits map keys and values through the entry children', () => {
    const buf = bytes(0x2a, 0x05, 0x0a, 0x01, ...ascii('a'), 0x10, 0x01); // counts { key = "a", value = 1 }
    const { out } = edited(buf, [
      { op: 'set-value', path: [0, 0], value: 'bb' },
      { op: 'set-value', path: [0, 1], value: 2 },
    ]);
    expect(pj(out)).toEqual({ counts: { bb: 2 } });
  });
});
