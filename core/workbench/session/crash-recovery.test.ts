import { describe, expect, it } from 'vitest';
import { boxBytes, marks, memoryJournal, schemaHost, schemas, session } from './test-session';

describe('session crash recovery', () => {
  it('brings back a document with its edit marks and its undo and redo history', async () => {
    const journal = memoryJournal();
    const s1 = journal.session();
    const { docId } = await s1.api.openBytes({ name: 'box.bin', bytes: boxBytes() });
    const json =
      '{"name": "crate", "size": 99, "items": [{"label": "apple", "count": "3"}, {"label": "pear", "count": "9"}], "codes": [1, 300], "open": true, "kind": "LARGE"}';
    expect((await s1.api.setText({ docId, message: 0, format: 'json', text: json })).ok).toBe(true);
    await s1.api.edit({ docId, message: 0, edit: { op: 'set', path: [0], value: 'bin' } });
    await s1.api.edit({ docId, message: 0, edit: { op: 'set', path: [3, 1], value: 2n ** 60n } }); // items[1].count, a BigInt
    await s1.api.edit({ docId, message: 0, edit: { op: 'set', path: [0], value: 'tin' } });
    await s1.api.undo({ docId }); // "tin" is undone: redo brings it back
    const edited = (await s1.api.getFileBytes({ docId })).bytes;
    // The JSON Apply marks what it changed (size), as a tree edit would.
    expect(await marks(s1, docId)).toEqual(['name', 'size', 'items[1]', 'count']);
    await s1.flushRecovery();
    s1.dispose();

    const s2 = journal.session();
    const [entry] = await s2.api.listRecoverable({});
    const sum = await s2.api.recover({ id: entry.id });
    expect(sum).toMatchObject({ dirty: true, canUndo: true, canRedo: true });
    expect((await s2.api.getFileBytes({ docId: sum.docId })).bytes).toEqual(edited);
    expect(await marks(s2, sum.docId)).toEqual(['name', 'size', 'items[1]', 'count']);
    expect((await s2.api.getRows({ docId: sum.docId, message: 0, start: 0, count: 100 })).rows.find((r) => r.name === 'size')?.value).toBe(
      99,
    );
    await s2.api.redo({ docId: sum.docId });
    expect((await s2.api.getRows({ docId: sum.docId, message: 0, start: 0, count: 1 })).rows[0]).toMatchObject({
      preview: '"tin"',
      modified: true,
    });
    // Undo all the way: the bytes first opened, the edit marks gone, nothing unsaved.
    for (let i = 0; i < 4; i++) await s2.api.undo({ docId: sum.docId });
    expect((await s2.api.getFileBytes({ docId: sum.docId })).bytes).toEqual(boxBytes());
    expect(await marks(s2, sum.docId)).toEqual([]);
    expect(await s2.api.getSummary({ docId: sum.docId })).toMatchObject({ dirty: false, canUndo: false });
  });

  it('recovers the journaled bytes even when the history no longer gives them (then without it)', async () => {
    const journal = memoryJournal();
    const s1 = journal.session();
    const { docId } = await s1.api.openBytes({ name: 'box.bin', bytes: boxBytes() });
    await s1.api.edit({ docId, message: 0, edit: { op: 'set', path: [0], value: 'bin' } });
    const edited = (await s1.api.getFileBytes({ docId })).bytes;
    await s1.flushRecovery();
    // The recorded edit no longer matches the bytes (as when the schema changed between the sessions).
    const key = `s1-${docId}`;
    const e = journal.entries.get(key)!;
    journal.entries.set(key, { ...e, text: e.text.replace('"value":"bin"', '"value":"tin"') });

    const s2 = journal.session();
    const sum = await s2.api.recover({ id: (await s2.api.listRecoverable({}))[0].id });
    expect((await s2.api.getFileBytes({ docId: sum.docId })).bytes).toEqual(edited);
    expect(sum).toMatchObject({ dirty: true, canUndo: false });
    expect(await marks(s2, sum.docId)).toEqual(['name']);
  });

  it('a recovered document names its type, and says so when no loaded schema has it (it opened as raw without a word)', async () => {
    const journal = memoryJournal();
    const s1 = journal.session();
    const { docId } = await s1.api.openBytes({ name: 'box.bin', bytes: boxBytes() });
    await s1.api.edit({ docId, message: 0, edit: { op: 'set', path: [0], value: 'bin' } });
    await s1.flushRecovery();
    const s2 = journal.session({ schemas: { ...schemaHost, current: () => ({ ...schemas, find: () => null }) } });
    const [entry] = await s2.api.listRecoverable({});
    expect(entry.typeName).toBe('t.Box');
    const sum = await s2.api.recover({ id: entry.id });
    expect(sum).toMatchObject({ typeName: null, missingType: 't.Box', dirty: true });
    const s3 = journal.session();
    const back = await s3.api.recover({ id: (await s3.api.listRecoverable({}))[0].id });
    expect(back).toMatchObject({ typeName: 't.Box', typeSource: 'recovered' });
    expect(back.missingType).toBeUndefined();
  });

  it('with recovery off there is nothing to list or discard, and recover says it is off', async () => {
    const s = session();
    expect(await s.api.listRecoverable({})).toEqual([]);
    expect(await s.api.discardRecoverable({})).toEqual({ discarded: 0 });
    await expect(s.api.recover({ id: 'x' })).rejects.toThrow('crash recovery is off in this session');
  });

  it('discards one entry or all of them, and checks the id it is given', async () => {
    const journal = memoryJournal();
    const s1 = journal.session();
    for (const name of ['a.bin', 'b.bin', 'c.bin']) {
      const { docId } = await s1.api.openBytes({ name, bytes: boxBytes() });
      await s1.api.edit({ docId, message: 0, edit: { op: 'set', path: [1], value: 1 } });
    }
    await s1.flushRecovery();
    const s2 = journal.session();
    const listed = await s2.api.listRecoverable({});
    expect(listed.map((e) => e.name).sort()).toEqual(['a.bin', 'b.bin', 'c.bin']);
    expect(await s2.api.discardRecoverable({ id: listed[0].id })).toEqual({ discarded: 1 });
    await expect(s2.api.discardRecoverable({ id: 3 as unknown as string })).rejects.toThrow(
      'discardRecoverable: field "id" must be string',
    );
    await expect(s2.api.recover({ id: 3 as unknown as string })).rejects.toThrow('recover: field "id" must be string');
    expect(await s2.api.discardRecoverable({})).toEqual({ discarded: 2 });
    expect(await s2.api.listRecoverable({})).toEqual([]);
  });
});
