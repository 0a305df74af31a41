import { describe, expect, it } from 'vitest';
import { errorCodeOf } from '../../api/api-error';
import { MAX_KEPT_DIFFS, encodingLabels } from './diffs';
import { boxBytes, memoryFiles, session, utf8 } from './test-session';

/** The t.Box of boxBytes with size = 2 written as an overlong varint: 0x8c 0x00 (12 in two bytes). */
function boxWithOverlongSize(): Uint8Array {
  const b = boxBytes();
  const at = 7; // after 0a 05 "crate": the tag of size (0x10) is at 7, its value at 8
  expect([b[at], b[at + 1]]).toEqual([0x10, 12]);
  return new Uint8Array([...b.subarray(0, at + 1), 0x8c, 0x00, ...b.subarray(at + 2)]);
}

describe('comparing messages in the session', () => {
  it('two open documents: the changed field with both values and where each is in its bytes', async () => {
    const s = session();
    const a = await s.api.openBytes({ name: 'a.bin', bytes: boxBytes() });
    const b = await s.api.openBytes({ name: 'b.bin', bytes: boxBytes() });
    await s.api.setType({ docId: a.docId, typeName: 't.Box' });
    await s.api.setType({ docId: b.docId, typeName: 't.Box' });
    await s.api.edit({ docId: b.docId, message: 0, edit: { op: 'set', path: [1], value: 13 } }); // size 12 -> 13

    const d = await s.api.compareMessages({ a: { docId: a.docId, message: 0 }, b: { docId: b.docId, message: 0 } });
    expect(d).toMatchObject({
      typeName: 't.Box',
      identical: false,
      sameValues: false,
      summary: '1 changed',
      a: { label: 'a.bin', size: boxBytes().length },
      b: { label: 'b.bin', size: boxBytes().length },
      nodeCount: 1,
    });
    const { total, rows } = await s.api.getDiffRows({ diffId: d.diffId, start: 0, count: 10 });
    expect(total).toBe(1);
    expect(rows[0]).toMatchObject({ id: 0, depth: 0, kind: 'changed', path: 'size', a: { text: '12' }, b: { text: '13' }, labels: [] });
    // The spans name the field's bytes in each side: tag 0x10, then the value.
    for (const [side, value] of [
      ['a', 12],
      ['b', 13],
    ] as const) {
      const span = rows[0][side]!.span;
      const { bytes } = await s.api.getDiffBytes({ diffId: d.diffId, side, start: span.start, end: span.end });
      expect([...bytes]).toEqual([0x10, value]);
    }
  });

  it('a message with its saved version: the file on disk against the edited document', async () => {
    const files = memoryFiles({ '/work/box.bin': boxBytes() });
    const s = session(files.host);
    const doc = await s.api.openPath({ path: '/work/box.bin' });
    await s.api.setType({ docId: doc.docId, typeName: 't.Box' });
    await s.api.edit({ docId: doc.docId, message: 0, edit: { op: 'set', path: [0], value: 'barrel' } });

    const d = await s.api.compareMessages({ a: { docId: doc.docId, message: 0, saved: true }, b: { docId: doc.docId, message: 0 } });
    expect(d.a.label).toBe('box.bin (saved)');
    expect(d.b.label).toBe('box.bin');
    const { rows } = await s.api.getDiffRows({ diffId: d.diffId, start: 0, count: 10 });
    expect(rows.map((r) => [r.kind, r.path, r.a?.text, r.b?.text])).toEqual([['changed', 'name', '"crate"', '"barrel"']]);

    // Saved: the two are the same again.
    await s.api.save({ docId: doc.docId });
    const after = await s.api.compareMessages({ a: { docId: doc.docId, message: 0, saved: true }, b: { docId: doc.docId, message: 0 } });
    expect(after).toMatchObject({ identical: true, summary: 'identical', nodeCount: 0 });
  });

  it('the saved version of pasted bytes is the bytes as pasted', async () => {
    const s = session();
    const doc = await s.api.openBytes({ name: 'pasted', bytes: boxBytes() });
    await s.api.setType({ docId: doc.docId, typeName: 't.Box' });
    await s.api.edit({ docId: doc.docId, message: 0, edit: { op: 'set', path: [1], value: 99 } });
    const d = await s.api.compareMessages({ a: { docId: doc.docId, message: 0, saved: true }, b: { docId: doc.docId, message: 0 } });
    const { rows } = await s.api.getDiffRows({ diffId: d.diffId, start: 0, count: 10 });
    expect(rows.map((r) => [r.path, r.a?.text, r.b?.text])).toEqual([['size', '12', '99']]);
  });

  it('two messages of a stream, by their numbers', async () => {
    const s = session();
    const one = utf8('\x0a\x03one'); // t.Item label = "one"
    const two = utf8('\x0a\x03two\x10\x05'); // t.Item label = "two", count = 5
    const stream = new Uint8Array([one.length, ...one, two.length, ...two]); // varint-delimited
    const doc = await s.api.openBytes({ name: 'items.bin', bytes: stream });
    expect(doc.messageCount).toBe(2);
    await s.api.setType({ docId: doc.docId, typeName: 't.Item' });
    const d = await s.api.compareMessages({ a: { docId: doc.docId, message: 0 }, b: { docId: doc.docId, message: 1 } });
    expect([d.a.label, d.b.label]).toEqual(['items.bin #0', 'items.bin #1']);
    const { rows } = await s.api.getDiffRows({ diffId: d.diffId, start: 0, count: 10 });
    expect(rows.map((r) => [r.kind, r.path, r.a?.text, r.b?.text])).toEqual([
      ['changed', 'label', '"one"', '"two"'],
      ['added', 'count', undefined, '5'],
    ]);
    await expect(s.api.compareMessages({ a: { docId: doc.docId, message: 0 }, b: { docId: doc.docId, message: 2 } })).rejects.toThrow(
      'items.bin has no message 2 (it has 2)',
    );
  });

  it('an equal value written in other bytes is an encoding difference, labelled as such', async () => {
    const s = session();
    const a = await s.api.openBytes({ name: 'a.bin', bytes: boxBytes() });
    const b = await s.api.openBytes({ name: 'b.bin', bytes: boxWithOverlongSize() });
    await s.api.setType({ docId: a.docId, typeName: 't.Box' });
    await s.api.setType({ docId: b.docId, typeName: 't.Box' });
    const d = await s.api.compareMessages({ a: { docId: a.docId, message: 0 }, b: { docId: b.docId, message: 0 } });
    expect(d).toMatchObject({ identical: false, sameValues: true, counts: { encoding: 1, changed: 0 } });
    const { rows } = await s.api.getDiffRows({ diffId: d.diffId, start: 0, count: 10 });
    expect(rows[0]).toMatchObject({ kind: 'encoding', path: 'size', labels: ['overlong varint'], a: { text: '12' }, b: { text: '12' } });
    expect(rows[0].b!.span).toEqual({ start: 7, valueStart: 8, end: 10 });
  });

  it('collapsed rows hide what is below them; pages are windows of the visible rows', async () => {
    const s = session();
    const a = await s.api.openBytes({ name: 'a.bin', bytes: boxBytes() });
    const b = await s.api.openBytes({ name: 'b.bin', bytes: boxBytes() });
    for (const doc of [a, b]) await s.api.setType({ docId: doc.docId, typeName: 't.Box' });
    await s.api.edit({ docId: b.docId, message: 0, edit: { op: 'set', path: [2, 0], value: 'plum' } }); // items[0].label
    await s.api.edit({ docId: b.docId, message: 0, edit: { op: 'set', path: [1], value: 1 } }); // size
    const d = await s.api.compareMessages({ a: { docId: a.docId, message: 0 }, b: { docId: b.docId, message: 0 } });
    const all = await s.api.getDiffRows({ diffId: d.diffId, start: 0, count: 100 });
    expect(all.rows.map((r) => `${'.'.repeat(r.depth)}${r.path}:${r.descendants}`)).toEqual([
      'size:0',
      'items:2',
      '.items[0]:1',
      '..items[0].label:0',
    ]);
    const folded = await s.api.getDiffRows({ diffId: d.diffId, start: 0, count: 100, collapsed: [1] });
    expect(folded.total).toBe(2);
    expect(folded.rows.map((r) => r.path)).toEqual(['size', 'items']);
    const page = await s.api.getDiffRows({ diffId: d.diffId, start: 2, count: 1 });
    expect(page).toEqual({ total: 4, rows: [expect.objectContaining({ id: 2, path: 'items[0]' })] });
  });

  it('a side that does not parse is refused as invalid input, naming it and where', async () => {
    const s = session();
    const a = await s.api.openBytes({ name: 'good.bin', bytes: boxBytes() });
    const b = await s.api.openBytes({ name: 'cut.bin', bytes: boxBytes().subarray(0, 4) }); // "crate" cut after "cr"
    const err = await s.api.compareMessages({ a: { docId: a.docId, message: 0 }, b: { docId: b.docId, message: 0 } }).catch((e) => e);
    expect(errorCodeOf(err)).toBe('invalid-input');
    expect(err.message).toMatch(/^cut\.bin .*\b2\b/);
  });

  it('documents read as different types are compared without a schema, and say so; an unknown type is refused', async () => {
    const s = session();
    const a = await s.api.openBytes({ name: 'a.bin', bytes: utf8('\x0a\x01x') });
    const b = await s.api.openBytes({ name: 'b.bin', bytes: utf8('\x0a\x01y') });
    await s.api.setType({ docId: a.docId, typeName: 't.Box' });
    await s.api.setType({ docId: b.docId, typeName: 't.Item' });
    const d = await s.api.compareMessages({ a: { docId: a.docId, message: 0 }, b: { docId: b.docId, message: 0 } });
    expect(d.typeName).toBeNull();
    expect(d.note).toBe('A is read as t.Box and B as t.Item: compared without a schema (choose a type to compare by)');
    const typed = await s.api.compareMessages({ a: { docId: a.docId, message: 0 }, b: { docId: b.docId, message: 0 }, typeName: 't.Item' });
    expect(typed.typeName).toBe('t.Item');
    const err = await s.api
      .compareMessages({ a: { docId: a.docId, message: 0 }, b: { docId: b.docId, message: 0 }, typeName: 't.Nope' })
      .catch((e) => e);
    expect(errorCodeOf(err)).toBe('not-found');
  });

  it('keeps the last few comparisons; closed or older ones are gone', async () => {
    const s = session();
    const a = await s.api.openBytes({ name: 'a.bin', bytes: boxBytes() });
    const ids: string[] = [];
    for (let i = 0; i <= MAX_KEPT_DIFFS; i++) {
      ids.push((await s.api.compareMessages({ a: { docId: a.docId, message: 0 }, b: { docId: a.docId, message: 0 } })).diffId);
    }
    const err = await s.api.getDiffRows({ diffId: ids[0], start: 0, count: 1 }).catch((e) => e);
    expect(errorCodeOf(err)).toBe('not-found');
    expect(await s.api.closeDiff({ diffId: ids[1] })).toEqual({ closed: true });
    expect(await s.api.closeDiff({ diffId: ids[1] })).toEqual({ closed: false });
    expect((await s.api.getDiffRows({ diffId: ids[2], start: 0, count: 1 })).total).toBe(0);
  });
});

describe('encodingLabels', () => {
  it('names each kind of encoding difference in a few words', () => {
    expect(
      encodingLabels([
        'varint written in 2 bytes in A and 1 byte in B',
        'fields in another order: 1, 2 in A, 2, 1 in B',
        'packed in A, unpacked in B',
        'length prefix written in 2 bytes in A and 1 byte in B',
        'the default value written explicitly in B (the same as absent)',
      ]),
    ).toEqual(['overlong varint', 'field order', 'packed vs unpacked', 'length prefix width', 'explicit default']);
  });
});
