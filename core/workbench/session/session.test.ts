import { describe, expect, it } from 'vitest';
import type { AppEvent } from '../../api/contract';
import { boxBytes, fakeClock, manyItems, memoryFiles, schemaHost, session } from './test-session';
import { createCoreEngine } from '../core-engine';
import { createSession } from './session';

describe('session', () => {
  it('lists, summarises and closes documents, and says which are unsaved', async () => {
    const s = session();
    const a = await s.api.openBytes({ name: 'a.bin', bytes: boxBytes() });
    const b = await s.api.openBytes({ name: 'b.bin', bytes: boxBytes() });
    expect(a.docId).not.toBe(b.docId);
    expect((await s.api.listDocuments({})).map((d) => d.name)).toEqual(['a.bin', 'b.bin']);
    expect(await s.api.getSummary({ docId: b.docId })).toEqual(b);
    expect(s.dirtyDocuments()).toEqual([]);
    await s.api.edit({ docId: b.docId, message: 0, edit: { op: 'set', path: [1], value: 3 } });
    expect(s.dirtyDocuments().map((d) => d.name)).toEqual(['b.bin']);
    expect(await s.api.closeDocument({ docId: b.docId })).toEqual({ closed: true });
    expect(await s.api.closeDocument({ docId: b.docId })).toEqual({ closed: false });
    expect(s.dirtyDocuments()).toEqual([]);
    await expect(s.api.getSummary({ docId: b.docId })).rejects.toThrow(`no open document ${b.docId}`);
  });

  it('an "interpret as" choice is a view change, not an undo step; a tree edit is one', async () => {
    const s = session();
    const { docId, version } = await s.api.openBytes({ name: 'box.bin', bytes: boxBytes() });
    const seen = await s.api.edit({ docId, message: 0, edit: { op: 'interpret', path: [0], as: 'bytes' } });
    expect(seen).toMatchObject({ dirty: false, canUndo: false });
    expect(seen.version).toBeGreaterThan(version);
    expect(await s.api.edit({ docId, message: 0, edit: { op: 'set', path: [1], value: 3 } })).toMatchObject({ dirty: true, canUndo: true });
  });

  it('sends events to each listener until it unsubscribes; a listener that throws does not stop the others', async () => {
    const s = createSession({
      engine: createCoreEngine(),
      schemas: schemaHost,
      files: memoryFiles().host,
      scheduler: fakeClock().scheduler,
    });
    const got: AppEvent[] = [];
    s.onEvent(() => {
      throw new Error('a broken listener');
    });
    const off = s.onEvent((e) => got.push(e));
    await s.api.openBytes({ name: 'big.bin', bytes: manyItems(1000) });
    const seen = got.length;
    expect(seen).toBeGreaterThan(0);
    off();
    await s.api.openBytes({ name: 'big.bin', bytes: manyItems(1000) });
    expect(got).toHaveLength(seen);
    s.dispose();
  });
});
