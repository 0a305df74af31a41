import { describe, expect, it } from 'vitest';
import { WireWriter } from '../../wire/wire-writer';
import { WireType } from '../../wire/wire-types';
import { boxBytes, session, utf8 } from './test-session';

describe('session message views', () => {
  it('expands, collapses, filters and finds the row of a byte', async () => {
    const s = session();
    const { docId } = await s.api.openBytes({ name: 'box.bin', bytes: boxBytes() });
    await s.api.setExpanded({ docId, message: 0, path: [], expanded: false, all: true });
    expect((await s.api.getRows({ docId, message: 0, start: 0, count: 100 })).total).toBe(7);
    const hit = await s.api.rowAtOffset({ docId, message: 0, offset: 11 });
    expect(hit?.path).toEqual([2, 0]);
    expect((await s.api.getRows({ docId, message: 0, start: hit!.row, count: 1 })).rows[0].name).toBe('label');
    const f = await s.api.getRows({ docId, message: 0, start: 0, count: 100, filter: 'pear' });
    expect(f.rows.map((r) => r.name)).toEqual(['items', 'label']);
    const byPath = await s.api.getRows({ docId, message: 0, start: 0, count: 100, filter: 'items.count' });
    expect(byPath.rows.filter((r) => r.name === 'count')).toHaveLength(2);
  });

  it('expands and collapses every node below one (the rest of the tree stays as it was)', async () => {
    const s = session();
    const { docId } = await s.api.openBytes({ name: 'box.bin', bytes: boxBytes() });
    await s.api.setExpanded({ docId, message: 0, path: [], expanded: false, all: true });
    const shown = async () => (await s.api.getRows({ docId, message: 0, start: 0, count: 100 })).rows.map((r) => r.path.join('.'));
    await s.api.setExpanded({ docId, message: 0, path: [3], expanded: true, all: true }); // the second item only
    expect(await shown()).toEqual(['0', '1', '2', '3', '3.0', '3.1', '4', '5', '6']);
    await s.api.setExpanded({ docId, message: 0, path: [4], expanded: true, all: true }); // the packed codes
    expect(await shown()).toContain('4.1');
    await s.api.setExpanded({ docId, message: 0, path: [3], expanded: false, all: true });
    expect(await shown()).not.toContain('3.0');
    await expect(s.api.setExpanded({ docId, message: 0, path: [9], expanded: true, all: true })).rejects.toThrow(/no node at 9/);
  });

  it('finds a node in the JSON text (for revealing the selection there)', async () => {
    const s = session();
    const { docId } = await s.api.openBytes({ name: 'box.bin', bytes: boxBytes() });
    const lines = (await s.api.getText({ docId, message: 0, format: 'json' })).text.split('\n');
    const at = async (path: number[]) => {
      const p = await s.api.jsonPosition({ docId, message: 0, path });
      return p ? lines[p.line - 1].trim() : null;
    };
    expect(await at([3, 0])).toBe('"label": "pear",');
    expect(await at([1])).toBe('"size": 12,');
    expect(await at([4, 1])).toMatch(/^300/);
  });

  it('shows unknown fields with candidate readings and an interpretation', async () => {
    const s = session();
    const w = new WireWriter();
    w.tag(1, WireType.LEN).lengthDelimited(utf8('crate')); // string name = 1
    const inner = new WireWriter().tag(1, WireType.LEN).lengthDelimited(utf8('hi')).finish().slice();
    w.tag(40, WireType.LEN).uvarint(inner.length).raw(inner); // unknown field 40: a message
    const { docId } = await s.api.openBytes({ name: 'u.bin', bytes: w.finish().slice() });
    await s.api.setType({ docId, typeName: 't.Box' });
    let rows = (await s.api.getRows({ docId, message: 0, start: 0, count: 10 })).rows;
    expect(rows[1]).toMatchObject({ kind: 'unknown', number: 40 });
    expect(rows[1].readings?.map((r) => r.as)).toContain('message');
    await s.api.edit({ docId, message: 0, edit: { op: 'interpret', path: [1], as: 'message' } });
    rows = (await s.api.getRows({ docId, message: 0, start: 0, count: 10 })).rows;
    expect(rows[1]).toMatchObject({ interpretedAs: 'message', expandable: true, expanded: true });
    expect(rows[2]).toMatchObject({ depth: 1, kind: 'unknown', number: 1 });
  });

  it('answers byte ranges clamped to the message, and exports it as hex, JSON or text named after the file', async () => {
    const s = session();
    const src = boxBytes();
    const { docId } = await s.api.openBytes({ name: 'box.bin', bytes: src });
    expect(await s.api.getBytes({ docId, message: 0, start: -5, end: 3 })).toEqual({ total: src.length, bytes: src.subarray(0, 3) });
    expect((await s.api.getBytes({ docId, message: 0, start: src.length - 2, end: 1e9 })).bytes).toEqual(src.subarray(src.length - 2));
    const hex = await s.api.exportMessage({ docId, message: 0, format: 'hex' });
    expect(hex.name).toBe('box.hex');
    // Sixteen bytes a line: name "crate", size 12, then the start of items[0] (tag, length 9, its label tag).
    expect(hex.text?.split('\n')[0]).toBe('0a 05 63 72 61 74 65 10 0c 1a 09 0a 05 61 70 70');
    const json = await s.api.exportMessage({ docId, message: 0, format: 'json' });
    expect(json.name).toBe('box.json');
    expect(JSON.parse(json.text ?? '')).toMatchObject({ name: 'crate', size: 12 });
    expect((await s.api.exportMessage({ docId, message: 0, format: 'text' })).name).toBe('box.txtpb');
  });
});
