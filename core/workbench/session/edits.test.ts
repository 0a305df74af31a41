import { describe, expect, it } from 'vitest';
import { WireWriter } from '../../wire/wire-writer';
import { WireType } from '../../wire/wire-types';
import { boxBytes, session } from './test-session';

describe('session edits, undo and redo', () => {
  it('edits, undoes and redoes; the bytes follow and unmodified documents stay byte-exact', async () => {
    const s = session();
    const src = boxBytes();
    const { docId } = await s.api.openBytes({ name: 'box.bin', bytes: src });
    let sum = await s.api.edit({ docId, message: 0, edit: { op: 'set', path: [0], value: 'bigger crate' } });
    expect(sum).toMatchObject({ dirty: true, canUndo: true, canRedo: false });
    const edited = await s.api.getBytes({ docId, message: 0, start: 0, end: 1 << 20 });
    expect(edited.total).toBe(src.length + 7);
    const rows = await s.api.getRows({ docId, message: 0, start: 0, count: 2 });
    expect(rows.rows[0]).toMatchObject({ preview: '"bigger crate"', modified: true, span: { start: 0, valueStart: 2, end: 14 } });
    expect(rows.rows[1]).toMatchObject({ modified: false, span: { start: 14 } });
    sum = await s.api.undo({ docId });
    expect(sum).toMatchObject({ dirty: false, canUndo: false, canRedo: true });
    expect((await s.api.getBytes({ docId, message: 0, start: 0, end: 1 << 20 })).bytes).toEqual(src);
    sum = await s.api.redo({ docId });
    expect(sum.dirty).toBe(true);
    expect((await s.api.getRows({ docId, message: 0, start: 0, count: 1 })).rows[0].preview).toBe('"bigger crate"');
  });

  it('keeps the last 1,000 undo steps, and undo stops where the document history does', async () => {
    const s = session();
    const { docId } = await s.api.openBytes({ name: 'box.bin', bytes: boxBytes() });
    const sizeShown = async () => (await s.api.getRows({ docId, message: 0, start: 1, count: 1 })).rows[0].value;
    // 1,005 edits of `size` (to 1 … 1005): the first five can no longer be undone.
    for (let i = 1; i <= 1005; i++) await s.api.edit({ docId, message: 0, edit: { op: 'set', path: [1], value: i } });
    let undone = 0;
    let sum = await s.api.getSummary({ docId });
    while (sum.canUndo) {
      sum = await s.api.undo({ docId });
      undone++;
    }
    expect(undone).toBe(1000);
    // Back to the state after the fifth edit, which differs from the file: still unsaved.
    expect(await sizeShown()).toBe(5);
    expect(sum.dirty).toBe(true);
    // Redo goes forward through all of them.
    for (let i = 0; i < 1000; i++) sum = await s.api.redo({ docId });
    expect(await sizeShown()).toBe(1005);
    expect(sum.canRedo).toBe(false);
  });

  it('adds, moves and removes repeated elements and switches oneofs', async () => {
    const s = session();
    const { docId } = await s.api.openBytes({ name: 'box.bin', bytes: boxBytes() });
    await s.api.edit({ docId, message: 0, edit: { op: 'move', path: [3], delta: -1 } });
    let rows = (await s.api.getRows({ docId, message: 0, start: 0, count: 100 })).rows;
    expect(rows.filter((r) => r.name === 'label').map((r) => r.preview)).toEqual(['"pear"', '"apple"']);
    await s.api.edit({ docId, message: 0, edit: { op: 'add-element', path: [4, 1] } });
    await s.api.edit({ docId, message: 0, edit: { op: 'set', path: [4, 2], value: 7 } });
    rows = (await s.api.getRows({ docId, message: 0, start: 0, count: 100 })).rows;
    expect(rows.filter((r) => r.kind === 'element').map((r) => r.value)).toEqual([1, 300, 7]);
    await s.api.edit({ docId, message: 0, edit: { op: 'add-field', parent: [], fieldNumber: 7 } });
    await s.api.edit({ docId, message: 0, edit: { op: 'add-field', parent: [], fieldNumber: 8 } });
    rows = (await s.api.getRows({ docId, message: 0, start: 0, count: 100 })).rows;
    expect(rows.filter((r) => r.oneof === 'pick').map((r) => r.name)).toEqual(['b']);
    await s.api.edit({ docId, message: 0, edit: { op: 'remove', path: [0] } });
    rows = (await s.api.getRows({ docId, message: 0, start: 0, count: 1 })).rows;
    expect(rows[0].name).toBe('size');
    await expect(s.api.edit({ docId, message: 0, edit: { op: 'set', path: [0], value: 2n ** 40n } })).rejects.toThrow();
  });

  it('reads and applies JSON, with positioned errors', async () => {
    const s = session();
    const { docId } = await s.api.openBytes({ name: 'box.bin', bytes: boxBytes() });
    const { text } = await s.api.getText({ docId, message: 0, format: 'json' });
    const json = JSON.parse(text) as Record<string, unknown>;
    expect(json).toMatchObject({ name: 'crate', size: 12, kind: 'LARGE' });
    const bad = await s.api.setText({ docId, message: 0, format: 'json', text: text.replace('"size": 12', '"size": "x"') });
    expect(bad.ok).toBe(false);
    expect(bad.errors[0]).toMatchObject({ line: 3 });
    const ok = await s.api.setText({ docId, message: 0, format: 'json', text: JSON.stringify({ ...json, name: 'from json' }) });
    expect(ok.ok).toBe(true);
    expect((await s.api.getRows({ docId, message: 0, start: 0, count: 1 })).rows[0].preview).toBe('"from json"');
    await s.api.undo({ docId });
    expect((await s.api.getRows({ docId, message: 0, start: 0, count: 1 })).rows[0].preview).toBe('"crate"');
  });

  it('undoes and redoes across the messages of a stream in the order the edits were made', async () => {
    const s = session();
    const one = boxBytes();
    const w = new WireWriter();
    for (let i = 0; i < 5; i++) w.uvarint(one.length).raw(one); // varint length prefix, then a t.Box
    const file = w.finish().slice();
    const { docId } = await s.api.openBytes({ name: 'boxes.delimited', bytes: file });
    const previews = async () => {
      const out: string[] = [];
      for (let i = 0; i < 5; i++) out.push((await s.api.getRows({ docId, message: i, start: 0, count: 1 })).rows[0].preview);
      return out.join(' ');
    };
    await s.api.edit({ docId, message: 3, edit: { op: 'set', path: [0], value: 'x' } });
    await s.api.edit({ docId, message: 1, edit: { op: 'set', path: [0], value: 'y' } });
    expect((await s.api.getStream({ docId, start: 0, count: 5 })).items.map((i) => i.preview.endsWith('(edited)'))).toEqual([
      false,
      true,
      false,
      true,
      false,
    ]);
    const { text } = await s.api.getText({ docId, message: 3, format: 'json' });
    expect((await s.api.setText({ docId, message: 3, format: 'json', text: text.replace('"x"', '"z"') })).ok).toBe(true);
    expect(await previews()).toBe('"crate" "y" "crate" "z" "crate"');
    await s.api.undo({ docId });
    expect(await previews()).toBe('"crate" "y" "crate" "x" "crate"');
    await s.api.undo({ docId });
    expect(await previews()).toBe('"crate" "crate" "crate" "x" "crate"');
    const back = await s.api.undo({ docId });
    expect(back).toMatchObject({ dirty: false, canUndo: false, canRedo: true });
    expect((await s.api.getFileBytes({ docId })).bytes).toEqual(file);
    await s.api.redo({ docId });
    await s.api.redo({ docId });
    expect(await previews()).toBe('"crate" "y" "crate" "x" "crate"');
    const again = await s.api.redo({ docId });
    expect(again).toMatchObject({ dirty: true, canRedo: false });
    expect(await previews()).toBe('"crate" "y" "crate" "z" "crate"');
  });
});

describe('session JSON/text Apply', () => {
  /** A t.Box with an unknown field 99 (varint 7) after `size`, and `size` written twice (5, then 12). */
  function boxWithExtras(): Uint8Array {
    const box = boxBytes();
    const w = new WireWriter();
    w.tag(2, WireType.VARINT).uvarint(5); // uint32 size = 2: 5, shadowed by the size = 12 inside the box bytes
    w.raw(box.subarray(0, 9)); // string name = 1 "crate", uint32 size = 2: 12
    w.tag(99, WireType.VARINT).uvarint(7); // unknown field 99: varint 7
    w.raw(box.subarray(9));
    return w.finish().slice();
  }

  it('applies only the field the JSON changes: unknown fields and a repeated singular field keep their bytes (no longer a whole-message replace)', async () => {
    const s = session();
    const src = boxWithExtras();
    const { docId } = await s.api.openBytes({ name: 'box.bin', bytes: src });
    await s.api.setType({ docId, typeName: 't.Box' });
    const { text } = await s.api.getText({ docId, message: 0, format: 'json' });
    const r = await s.api.setText({ docId, message: 0, format: 'json', text: text.replace('"crate"', '"box"') });
    expect(r).toMatchObject({ ok: true, changes: [{ path: 'name', kind: 'set', before: '"crate"', after: '"box"' }] });
    expect(r.warnings).toEqual([expect.objectContaining({ kind: 'unknown-kept', confirm: false })]);
    const bytes = (await s.api.getFileBytes({ docId })).bytes;
    expect(bytes.length).toBe(src.length - 2); // "crate" became "box": nothing else changed size
    expect(bytes.subarray(7)).toEqual(src.subarray(9)); // every byte after the name as it was, unknown field 99 included
    expect(r.summary).toMatchObject({ dirty: true, canUndo: true });
    // One Apply is one undo step.
    expect(await s.api.undo({ docId })).toMatchObject({ dirty: false, canUndo: false });
    expect((await s.api.getFileBytes({ docId })).bytes).toEqual(src);
  });

  it('reports first (dryRun) and applies what the text cannot show only once confirmed', async () => {
    const s = session();
    const w = new WireWriter();
    w.tag(2, WireType.VARINT).raw(new Uint8Array([0x8c, 0x00])); // uint32 size = 2: 12 as an overlong 2-byte varint
    const src = w.finish().slice();
    const { docId } = await s.api.openBytes({ name: 'box.bin', bytes: src });
    await s.api.setType({ docId, typeName: 't.Box' });
    const text = '{"size": 13}';
    const dry = await s.api.setText({ docId, message: 0, format: 'json', text, dryRun: true });
    expect(dry).toMatchObject({ ok: true, changes: [{ path: 'size', kind: 'set', before: '12', after: '13' }] });
    expect(dry.warnings).toEqual([expect.objectContaining({ kind: 'reencoded', path: 'size', confirm: true })]);
    expect(dry.summary.dirty).toBe(false);
    const asked = await s.api.setText({ docId, message: 0, format: 'json', text });
    expect(asked).toMatchObject({ ok: false, needsConfirmation: true, errors: [] });
    expect((await s.api.getFileBytes({ docId })).bytes).toEqual(src);
    const done = await s.api.setText({ docId, message: 0, format: 'json', text, confirmed: true });
    expect(done).toMatchObject({ ok: true, summary: { dirty: true } });
    expect([...(await s.api.getFileBytes({ docId })).bytes]).toEqual([0x10, 0x0d]); // size = 13, canonical
  });

  it('sets a string field to exact bytes: invalid UTF-8 kept as it is, a leading BOM and newlines too', async () => {
    const s = session();
    const src = boxBytes();
    const { docId } = await s.api.openBytes({ name: 'box.bin', bytes: src });
    const nameBytes = async () => {
      const all = (await s.api.getBytes({ docId, message: 0, start: 0, end: 1 << 20 })).bytes;
      return [...all.subarray(2, 2 + all[1])]; // string name = 1: tag 0a, length, bytes
    };
    // "a", an invalid byte, a newline
    await s.api.edit({ docId, message: 0, edit: { op: 'set', path: [0], value: new Uint8Array([0x61, 0xff, 0x0a]) } });
    expect(await nameBytes()).toEqual([0x61, 0xff, 0x0a]);
    const row = (await s.api.getRows({ docId, message: 0, start: 0, count: 1 })).rows[0];
    expect(row.invalidUtf8 && [...row.invalidUtf8]).toEqual([0x61, 0xff, 0x0a]);
    // A BOM, then "x": valid UTF-8, so the string itself
    await s.api.edit({ docId, message: 0, edit: { op: 'set', path: [0], value: new Uint8Array([0xef, 0xbb, 0xbf, 0x78]) } });
    expect(await nameBytes()).toEqual([0xef, 0xbb, 0xbf, 0x78]);
    const valid = (await s.api.getRows({ docId, message: 0, start: 0, count: 1 })).rows[0];
    expect(valid.value).toBe('\ufeffx');
    expect(valid.invalidUtf8).toBeUndefined();
    await s.api.undo({ docId });
    await s.api.undo({ docId });
    expect((await s.api.getFileBytes({ docId })).bytes).toEqual(src);
  });

  it('refuses a text read at an older version (code conflict), and applies one read at the current version', async () => {
    const s = session();
    const { docId } = await s.api.openBytes({ name: 'box.bin', bytes: boxBytes() });
    const read = await s.api.setType({ docId, typeName: 't.Box' });
    const { text } = await s.api.getText({ docId, message: 0, format: 'json' });
    const edited = await s.api.edit({ docId, message: 0, edit: { op: 'set', path: [1], value: 99 } });
    const stale = s.api.setText({ docId, message: 0, format: 'json', text: text.replace('"crate"', '"box"'), baseVersion: read.version });
    await expect(stale).rejects.toMatchObject({ code: 'conflict' });
    expect((await s.api.getRows({ docId, message: 0, start: 1, count: 1 })).rows[0].value).toBe(99);
    const fresh = (await s.api.getText({ docId, message: 0, format: 'json' })).text.replace('"crate"', '"box"');
    const ok = await s.api.setText({ docId, message: 0, format: 'json', text: fresh, baseVersion: edited.version });
    expect(ok).toMatchObject({ ok: true, changes: [{ path: 'name', kind: 'set' }] });
    expect((await s.api.getRows({ docId, message: 0, start: 1, count: 1 })).rows[0].value).toBe(99);
  });
});
