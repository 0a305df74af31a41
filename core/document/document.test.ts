import { describe, expect, it } from 'vitest';
import { ProtoDocument } from './document';
import { History } from './history';
import { testRoot } from '../../testing/field-shapes-schema';
import { scalarNode } from './build';
import type { FieldNode } from './model';

const root = testRoot();
const Outer = root.lookupType('test.Outer');
const bytes = (...b: number[]) => new Uint8Array(b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

const SAMPLE = bytes(
  0x68,
  0x01, //                                  tag 13: color = GREEN (out of field order)
  0x12,
  0x05,
  0x0a,
  0x03,
  ...ascii('ann'), //     tag 2 LEN 5: participants[0] { name = "ann" }
  0x98,
  0x06,
  0x81,
  0x00, //                      tag 99 VARINT: unknown, 1 as a 2-byte varint
  0x3b,
  0x40,
  0x83,
  0x00,
  0x3c, //                group Grp { a = 3 as a 2-byte varint }
);

describe('ProtoDocument', () => {
  it('encodes an unmodified document to the exact source bytes', () => {
    const doc = ProtoDocument.decode(SAMPLE, Outer);
    expect(doc.modified).toBe(false);
    expect(doc.encode()).toEqual(SAMPLE);
    expect(doc.canUndo).toBe(false);
  });

  it('undo and redo restore bytes exactly', () => {
    const doc = ProtoDocument.decode(SAMPLE, Outer);
    const r0 = doc.root;
    doc.apply({ op: 'set-value', path: [1, 0], value: 'annabel' });
    const b1 = doc.encode();
    doc.apply({ op: 'remove', path: [2] });
    const b2 = doc.encode();
    expect(b2.length).toBe(b1.length - 4);
    expect(doc.canUndo).toBe(true);
    doc.undo();
    expect(doc.encode()).toEqual(b1);
    doc.undo();
    expect(doc.root).toBe(r0);
    expect(doc.encode()).toEqual(SAMPLE);
    expect(doc.modified).toBe(false);
    expect(doc.canUndo).toBe(false);
    expect(doc.canRedo).toBe(true);
    doc.redo();
    doc.redo();
    expect(doc.encode()).toEqual(b2);
    expect(doc.canRedo).toBe(false);
    // A new edit after undo clears the redo stack.
    doc.undo();
    doc.apply({ op: 'set-value', path: [0], value: 2 });
    expect(doc.canRedo).toBe(false);
  });

  it('a failing edit leaves the document unchanged', () => {
    const doc = ProtoDocument.decode(SAMPLE, Outer);
    expect(() => doc.apply({ op: 'set-value', path: [0], value: 'not a number' })).toThrow(/not a valid enum|not a value of enum/);
    expect(doc.canUndo).toBe(false);
    expect(doc.encode()).toEqual(SAMPLE);
  });

  it('applyAll is one undo step', () => {
    const doc = ProtoDocument.decode(SAMPLE, Outer);
    doc.applyAll([
      { op: 'set-value', path: [0], value: 2 },
      { op: 'add-field', path: [], fieldNumber: 1, value: 'x' },
    ]);
    expect(doc.encode()).not.toEqual(SAMPLE);
    doc.undo();
    expect(doc.encode()).toEqual(SAMPLE);
  });

  it('looks up nodes by id, path and parent; ids survive edits elsewhere', () => {
    const doc = ProtoDocument.decode(SAMPLE, Outer);
    const name = doc.nodeAt([1, 0]) as FieldNode;
    expect(doc.pathOf(name.id)).toEqual([1, 0]);
    expect(doc.nodeById(name.id)).toBe(name);
    expect(doc.parentOf(name.id)).toBe(doc.nodeAt([1]));
    expect(doc.parentOf(doc.nodeAt([0])!.id)).toBeNull();
    expect(doc.parentOf(123456)).toBeUndefined();
    doc.apply({ op: 'remove', path: [0] });
    expect(doc.pathOf(name.id)).toEqual([0, 0]);
    doc.apply({ op: 'set-value', path: [0, 0], value: 'b' });
    expect(doc.pathOf(name.id)).toEqual([0, 0]); // same id after a value edit
    // Built nodes get negative ids that never collide with decoded ones.
    expect(scalarNode(Outer.fields.name, 'x').id).toBeLessThan(0);
  });
});

describe('History', () => {
  it('keeps at most maxSteps undo steps', () => {
    const h = new History(0, 2);
    h.push(1);
    h.push(2);
    h.push(3);
    expect(h.depth).toEqual({ undo: 2, redo: 0 });
    expect(h.undo()).toBe(2);
    expect(h.undo()).toBe(1);
    expect(h.undo()).toBe(1);
    expect(h.redo()).toBe(2);
  });
});
