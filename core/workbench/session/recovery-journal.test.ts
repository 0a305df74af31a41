import { describe, expect, it } from 'vitest';
import type { AppEvent } from '../../api/contract';
import type { RecoveryStore, Scheduler } from '../engine';
import { createCoreEngine } from '../core-engine';
import { createSession } from './session';
import { boxBytes, marks, memoryFiles, memoryJournal, schemaHost } from './test-session';

/** A scheduler whose one-shot timers run when the test says so. */
function manualTimers() {
  const due: (() => void)[] = [];
  const scheduler: Scheduler = {
    after: (_ms, fn) => {
      due.push(fn);
      return () => void due.splice(due.indexOf(fn), 1);
    },
    every: () => () => undefined,
  };
  return { scheduler, due, fire: () => due.splice(0).forEach((fn) => fn()) };
}

/** Lets the journal's writes (a promise chain) finish. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('session recovery journal', () => {
  it('after many edits keeps the marks, not every edit: the journal does not grow with the history', async () => {
    const journal = memoryJournal();
    const s1 = journal.session();
    const { docId } = await s1.api.openBytes({ name: 'box.bin', bytes: boxBytes() });
    await s1.api.edit({ docId, message: 0, edit: { op: 'set', path: [3, 0], value: 'plum' } }); // items[1].label
    const sizes: number[] = [];
    for (let i = 1; i <= 10_000; i++) {
      await s1.api.edit({ docId, message: 0, edit: { op: 'set', path: [1], value: i } });
      if (i % 2500 === 0) {
        await s1.flushRecovery();
        sizes.push(journal.entries.get(`s1-${docId}`)!.text.length);
      }
    }
    const edited = (await s1.api.getFileBytes({ docId })).bytes;
    s1.dispose();
    // The same small entry at 2,500 edits and at 10,000 (the paths of the marks, not the edits).
    expect(new Set(sizes).size).toBe(1);
    expect(sizes[0]).toBeLessThan(1000);

    const s2 = journal.session();
    const sum = await s2.api.recover({ id: (await s2.api.listRecoverable({}))[0].id });
    expect(sum).toMatchObject({ dirty: true, canUndo: false });
    expect((await s2.api.getFileBytes({ docId: sum.docId })).bytes).toEqual(edited);
    expect(await marks(s2, sum.docId)).toEqual(['size', 'items[1]', 'label']);
  });

  it('writes a dirty document when its timer fires, and removes the entry once it is clean, saved or closed', async () => {
    const journal = memoryJournal();
    const timers = manualTimers();
    const s = journal.session({ scheduler: timers.scheduler, journalDelayMs: 1000 });
    const { docId } = await s.api.openBytes({ name: 'box.bin', bytes: boxBytes() });
    const other = await s.api.openBytes({ name: 'other.bin', bytes: boxBytes() });
    expect(timers.due).toHaveLength(0);
    await s.api.edit({ docId, message: 0, edit: { op: 'set', path: [1], value: 5 } });
    await s.api.edit({ docId: other.docId, message: 0, edit: { op: 'set', path: [1], value: 6 } });
    // One timer for both changes; nothing written before it fires.
    expect(timers.due).toHaveLength(1);
    expect(journal.entries.size).toBe(0);
    timers.fire();
    await settle();
    expect([...journal.entries.keys()].sort()).toEqual([`s1-${docId}`, `s1-${other.docId}`]);
    // Undone back to the file: clean again, the entry goes.
    await s.api.undo({ docId });
    timers.fire();
    await settle();
    expect([...journal.entries.keys()]).toEqual([`s1-${other.docId}`]);
    // Closing writes at once.
    await s.api.closeDocument({ docId: other.docId });
    expect(journal.entries.size).toBe(0);
    s.dispose();
  });

  it("keeps a document's undo steps while there are at most 64, then only its marks", async () => {
    for (const [edits, canUndo] of [
      [64, true],
      [65, false],
    ] as const) {
      const journal = memoryJournal();
      const s1 = journal.session();
      const { docId } = await s1.api.openBytes({ name: 'box.bin', bytes: boxBytes() });
      for (let i = 1; i <= edits; i++) await s1.api.edit({ docId, message: 0, edit: { op: 'set', path: [1], value: i } });
      await s1.flushRecovery();
      const s2 = journal.session();
      const sum = await s2.api.recover({ id: (await s2.api.listRecoverable({}))[0].id });
      expect(sum).toMatchObject({ dirty: true, canUndo });
      expect((await s2.api.getRows({ docId: sum.docId, message: 0, start: 1, count: 1 })).rows[0].value).toBe(edits);
    }
  });

  it('does not journal a document over maxJournalBytes, and discards its own entries on request', async () => {
    const journal = memoryJournal();
    const small = journal.session({ maxJournalBytes: 10 });
    const big = await small.api.openBytes({ name: 'box.bin', bytes: boxBytes() }); // more than 10 bytes
    await small.api.edit({ docId: big.docId, message: 0, edit: { op: 'set', path: [1], value: 5 } });
    await small.flushRecovery();
    expect(journal.entries.size).toBe(0);
    expect(small.dirtyDocuments().map((d) => d.docId)).toEqual([big.docId]);

    const s = journal.session();
    const { docId } = await s.api.openBytes({ name: 'box.bin', bytes: boxBytes() });
    await s.api.edit({ docId, message: 0, edit: { op: 'set', path: [1], value: 5 } });
    await s.flushRecovery();
    expect(journal.entries.size).toBe(1);
    await s.discardOwnRecovery();
    expect(journal.entries.size).toBe(0);
  });

  it('a journal write that fails (disk full) warns that unsaved work is not protected, is logged, is tried again, and clears once it works (it was silent)', async () => {
    const files = memoryFiles();
    const entries = new Map<string, Uint8Array>();
    let full = true;
    const recovery: RecoveryStore = {
      write: async (docId, _meta, bytes) => {
        if (full)
          throw Object.assign(new Error('Could not save /home/u/.config/protodesk/recovery/x.pdrec: the disk is full.'), {
            code: 'ENOSPC',
          });
        entries.set(docId, bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes.flatMap((b) => [...b])));
      },
      remove: async (docId) => void entries.delete(docId),
      list: async () => [],
      read: async () => {
        throw new Error('not used');
      },
      discard: async () => undefined,
    };
    const logged: string[] = [];
    const s = createSession({ engine: createCoreEngine(), schemas: schemaHost, files: files.host, recovery, log: (m) => logged.push(m) });
    const events: AppEvent[] = [];
    s.onEvent((e) => events.push(e));
    const { docId } = await s.api.openBytes({ name: 'box.bin', bytes: boxBytes() });
    await s.api.edit({ docId, message: 0, edit: { op: 'set', path: [1], value: 1 } });
    await s.flushRecovery();
    await s.api.edit({ docId, message: 0, edit: { op: 'set', path: [1], value: 2 } });
    await s.flushRecovery(); // fails again: the same warning is not sent twice
    expect(events).toEqual([
      {
        kind: 'warning',
        key: 'recovery-journal',
        docId: null,
        message:
          'Unsaved changes to box.bin could not be written to the recovery journal (the disk is full): your unsaved work is not protected against a crash. Save it, and free disk space or fix the recovery folder.',
      },
    ]);
    expect(logged).toEqual(['recovery journal: box.bin: the disk is full']);
    full = false;
    await s.flushRecovery(); // no new edit: the failed write is tried again
    expect(entries.get(docId)).toEqual((await s.api.getFileBytes({ docId })).bytes);
    expect(events.at(-1)).toEqual({ kind: 'warning', key: 'recovery-journal', docId: null, message: null });
    expect(events).toHaveLength(2);
  });
});
