import { describe, expect, it } from 'vitest';
import { runProtoc } from '../../testing/protoc';
import { testRoot } from '../../testing/field-shapes-schema';
import { decodeMessage } from './decode';
import { applyEncodingEdit, type EncodingEdit, type EncodingTarget } from './encoding-edits';
import { EditError } from './edits';
import type { MessageRoot } from './model';
import { childrenAtPath, nodeAtPath } from './tree';
import { scanAnomalies } from './encoding-scan';

const Outer = testRoot().lookupType('test.Outer');
const bytes = (...b: number[]) => new Uint8Array(b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

// Grp { a = 5 }, color = BLUE, child { name = "ab" nums: [1, 300] }
const SAMPLE = bytes(
  0x3b,
  0x40,
  0x05,
  0x3c, //         [0..4)   tag 7 SGROUP, tag 8 VARINT a = 5, tag 7 EGROUP
  0x68,
  0x02, //                     [4..6)   tag 13 VARINT: color = BLUE
  0x72,
  0x09, //                     [6..17)  tag 14 LEN 9: child
  0x0a,
  0x02,
  ...ascii('ab'), //     [8..12)    tag 1 LEN 2: name = "ab"
  0x1a,
  0x03,
  0x01,
  0xac,
  0x02, //   [12..17)   tag 3 LEN 3: nums packed [1, 300] (300 at 15)
);

/** The target at a path of the decode of `buf` (a last index into a packed run names an element). */
function target(buf: Uint8Array, path: number[], root: MessageRoot = decodeMessage(buf, Outer, { partial: true })): EncodingTarget {
  const ancestors = [];
  for (let i = 1; i < path.length; i++) ancestors.push(nodeAtPath(root, path.slice(0, i))!);
  const parent = ancestors[ancestors.length - 1];
  if (parent?.value.kind === 'packed') {
    const el = parent.value.elements[path[path.length - 1]];
    return { ancestors: ancestors.slice(0, -1), node: parent, siblings: [], index: 0, element: el.span };
  }
  const siblings = childrenAtPath(root, path.slice(0, -1))!;
  return { ancestors, node: siblings[path[path.length - 1]], siblings, index: path[path.length - 1] };
}

const edit = (buf: Uint8Array, path: number[], e: EncodingEdit) => applyEncodingEdit(buf, target(buf, path), e);
const raw = (buf: Uint8Array) => runProtoc(['--decode_raw'], buf).toString('latin1');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('encoding edits', () => {
  it('writes a varint overlong and fixes the enclosing length prefixes; protoc reads the same values', () => {
    const out = edit(SAMPLE, [2, 1, 1], { kind: 'varint-width', part: 'value', width: 4 }); // nums[1] = 300 in 4 bytes
    expect(hex(out.subarray(6, 8))).toBe('720b'); // child grew by 2
    expect(hex(out.subarray(12, 19))).toBe('1a0501ac828000');
    expect(raw(out)).toBe(raw(SAMPLE).replace('\\001\\254\\002', '\\001\\254\\202\\200\\000'));
    const anomalies = scanAnomalies(decodeMessage(out, Outer), out);
    expect(anomalies.map((a) => [a.kind, a.offset])).toEqual([['overlong-value', 15]]);
    expect(anomalies[0].message).toContain('4 bytes where 2 hold 300');
  });

  it('writes tags and length prefixes overlong', () => {
    const tag = edit(SAMPLE, [1], { kind: 'varint-width', part: 'tag', width: 3 });
    expect(hex(tag.subarray(4, 8))).toBe('e8800002');
    expect(scanAnomalies(decodeMessage(tag, Outer), tag)[0]).toMatchObject({ kind: 'overlong-tag', offset: 4 });
    const len = edit(SAMPLE, [2], { kind: 'varint-width', part: 'length', width: 2 });
    expect(hex(len.subarray(6, 9))).toBe('728900');
    expect(raw(len)).toBe(raw(SAMPLE));
    expect(() => edit(SAMPLE, [1], { kind: 'varint-width', part: 'length', width: 2 })).toThrow(EditError);
  });

  it('sets a length prefix that lies: too long runs past the message, too short cuts the field', () => {
    const long = edit(SAMPLE, [2, 0], { kind: 'set-length', length: 50 });
    expect(hex(long.subarray(6, 10))).toBe('72090a32'); // the enclosing prefix is left alone
    const root = decodeMessage(long, Outer, { partial: true });
    expect(root.error?.message).toMatch(/at byte 9 .*50 bytes, but only \d+ remain/);
    expect(raw(long)).not.toContain('14 {'); // protoc no longer reads the child as a message
    const short = edit(SAMPLE, [2, 0], { kind: 'set-length', length: 1 });
    expect(hex(short.subarray(8, 10))).toBe('0a01');
    expect(decodeMessage(short, Outer, { partial: true }).error).toBeDefined();
  });

  it('changes the wire type and the field number, 0 and out of range included', () => {
    const wt = edit(SAMPLE, [1], { kind: 'set-wire-type', wireType: 5 }); // color read as i32: 02 3b 40 05
    expect(wt[4]).toBe(0x6d);
    const asI32 = decodeMessage(wt, Outer, { partial: true });
    expect(asI32.fields[1].value.kind).toBe('unknown');
    expect(scanAnomalies(asI32, wt).map((a) => a.kind)).toContain('wire-type');
    const zero = edit(SAMPLE, [1], { kind: 'set-field-number', fieldNumber: 0 });
    expect(zero[4]).toBe(0x00);
    expect(decodeMessage(zero, Outer, { partial: true }).error?.message).toContain('at byte 4');
    const big = edit(SAMPLE, [1], { kind: 'set-field-number', fieldNumber: 2 ** 29 });
    expect(hex(big.subarray(4, 9))).toBe('8080808010');
    expect(() => raw(big)).toThrow(/Failed to parse/);
  });

  it('truncates, duplicates, moves and inserts bytes; the prefixes around them follow', () => {
    expect(hex(edit(SAMPLE, [2, 0], { kind: 'truncate', keep: 3 }))).toBe('3b40053c680272090a0261');
    const dup = edit(SAMPLE, [2, 0], { kind: 'duplicate' });
    expect(raw(dup)).toContain('1: "ab"\n  1: "ab"');
    expect(scanAnomalies(decodeMessage(dup, Outer), dup).map((a) => a.kind)).toEqual(['duplicate']);
    const moved = edit(SAMPLE, [1], { kind: 'move', delta: 1 });
    expect(hex(moved.subarray(4))).toBe('72090a0261621a0301ac02' + '6802');
    expect(scanAnomalies(decodeMessage(moved, Outer), moved).map((a) => a.kind)).toEqual(['out-of-order']);
    const ins = edit(SAMPLE, [2, 0], { kind: 'insert-bytes', bytes: bytes(0x10, 0x07) }); // field 2 varint 7
    expect(hex(ins.subarray(6, 8))).toBe('720b');
    expect(raw(ins)).toContain('2: 7');
  });

  it('unterminates a group and splits a packed run, at an element and inside one', () => {
    const open = edit(SAMPLE, [0], { kind: 'unterminate-group' });
    expect(hex(open.subarray(0, 5))).toBe('3b40056802');
    const opened = decodeMessage(open, Outer, { partial: true });
    expect(scanAnomalies(opened, open).map((a) => a.kind)).toContain('unterminated-group');
    const split = edit(SAMPLE, [2, 1], { kind: 'split', at: 1 });
    expect(hex(split.subarray(6))).toBe('720b0a0261621a01011a02ac02');
    expect(scanAnomalies(decodeMessage(split, Outer), split).map((a) => a.kind)).toEqual(['split-packed']);
    const partial = edit(SAMPLE, [2, 1], { kind: 'split', at: 2 }); // 300's two bytes end up in two runs
    expect(decodeMessage(partial, Outer, { partial: true }).error?.message).toContain('varint');
    expect(raw(partial)).toContain('3: "\\001\\254"');
  });

  it('refuses what does not fit the node, saying why', () => {
    expect(() => edit(SAMPLE, [1], { kind: 'set-length', length: 3 })).toThrow(/length-delimited/);
    expect(() => edit(SAMPLE, [1], { kind: 'unterminate-group' })).toThrow(/group/);
    expect(() => edit(SAMPLE, [2], { kind: 'move', delta: 1 })).toThrow(/last field/);
    expect(() => edit(SAMPLE, [1], { kind: 'varint-width', part: 'value', width: 11 })).toThrow(/1 to 10 bytes, not 11/);
    expect(() => edit(SAMPLE, [1], { kind: 'truncate', keep: 2 })).toThrow(/keep 0 to 1/);
  });
});
