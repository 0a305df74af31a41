import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createCoreEngine } from '../core-engine';
import type { RecoveryStore } from '../engine';
import { createSession } from './session';
import { boxBytes, memoryFiles, schemaHost } from './test-session';

const PATH = '/data/box.bin';

/** Joined bytes of parts. */
const join = (b: Uint8Array | readonly Uint8Array[]) => (b instanceof Uint8Array ? b.slice() : new Uint8Array(b.flatMap((p) => [...p])));

/**
 * A session over one file whose writes wait until the test releases them (a slow disk), and a
 * recovery journal in memory (what is journaled, by document).
 */
async function slowDisk() {
  const files = memoryFiles({ [PATH]: boxBytes() });
  const waiting: (() => void)[] = [];
  let mtime = 1;
  const mtimes = new Map<string, number>();
  files.host.writeAtomic = async (p, b) => {
    await new Promise<void>((release) => waiting.push(release));
    files.disk.set(p, join(b));
    mtimes.set(p, ++mtime);
  };
  files.host.stat = async (p) => {
    const b = files.disk.get(p);
    return b ? { size: b.length, mtimeMs: mtimes.get(p) ?? 1 } : null;
  };
  const journal = new Map<string, Uint8Array>();
  const recovery: RecoveryStore = {
    write: async (docId, _meta, bytes) => void journal.set(docId, join(bytes)),
    remove: async (docId) => void journal.delete(docId),
    list: async () => [],
    read: async () => {
      throw new Error('not used');
    },
    discard: async () => undefined,
  };
  const s = createSession({ engine: createCoreEngine(), schemas: schemaHost, files: files.host, recovery });
  const { docId } = await s.api.openPath({ path: PATH });
  await s.api.setType({ docId, typeName: 't.Box' });
  return { s, docId, files, waiting, journal };
}

/** Lets pending promise callbacks run (a released write completes its save: the hosts here are all promises). */
const settle = async () => {
  for (let i = 0; i < 200; i++) await Promise.resolve();
};

type Action = { kind: 'edit'; size: number } | { kind: 'undo' } | { kind: 'redo' } | { kind: 'save' } | { kind: 'write' };

const action: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('edit' as const), size: fc.integer({ min: 0, max: 400 }) }), weight: 4 },
  { arbitrary: fc.constant({ kind: 'undo' as const }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'redo' as const }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'save' as const }), weight: 2 },
  { arbitrary: fc.constant({ kind: 'write' as const }), weight: 3 },
);

describe('saves never lose an edit made while they run', () => {
  it('an edit during a save stays unsaved and journaled; the version saved is the one the save started with', async () => {
    const { s, docId, files, waiting, journal } = await slowDisk();
    await s.api.edit({ docId, message: 0, edit: { op: 'set', path: [1], value: 40 } });
    const first = (await s.api.getFileBytes({ docId })).bytes;
    const saving = s.api.save({ docId });
    await settle();
    await s.api.edit({ docId, message: 0, edit: { op: 'set', path: [1], value: 41 } }); // made while the save runs
    const second = (await s.api.getFileBytes({ docId })).bytes;
    waiting.shift()!();
    const after = await saving;
    expect(files.disk.get(PATH)).toEqual(first); // what was there when the save started
    expect(after.dirty).toBe(true); // the later edit is not saved
    await s.flushRecovery();
    expect(journal.get(docId)).toEqual(second); // and it is in the journal
    // Undo to the version saved: clean again; redo: unsaved again.
    expect(await s.api.undo({ docId })).toMatchObject({ dirty: false });
    expect(await s.api.redo({ docId })).toMatchObject({ dirty: true });
  });

  it('random edits, undos and saves, with writes completing in their own time: no edit is ever lost', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 30 }), async (actions) => {
        const { s, docId, files, waiting, journal } = await slowDisk();
        let running = 0;
        const doc = async () => (await s.api.getFileBytes({ docId })).bytes;
        const check = async () => {
          await s.flushRecovery();
          const now = await doc();
          const sum = await s.api.getSummary({ docId });
          const onDisk = files.disk.get(PATH)!;
          // While the file does not hold the document's bytes, the document is dirty and journaled.
          if (!sameBytes(onDisk, now)) {
            expect(sum.dirty).toBe(true);
            expect(journal.get(docId)).toEqual(now);
          }
        };
        for (const a of actions) {
          if (a.kind === 'edit') await s.api.edit({ docId, message: 0, edit: { op: 'set', path: [1], value: a.size } });
          else if (a.kind === 'undo') await s.api.undo({ docId });
          else if (a.kind === 'redo') await s.api.redo({ docId });
          else if (a.kind === 'save') {
            running++;
            void s.api.save({ docId }).finally(() => running--);
          } else waiting.shift()?.();
          await settle();
          await check();
        }
        // Every write lands; then, with no edit after it, a last save leaves the file equal to the document.
        while (running) {
          waiting.shift()?.();
          await settle();
        }
        await check();
        const last = s.api.save({ docId });
        await settle();
        waiting.shift()?.();
        expect(await last).toMatchObject({ dirty: false });
        expect(files.disk.get(PATH)).toEqual(await doc());
        await s.flushRecovery();
        expect(journal.has(docId)).toBe(false);
      }),
      { numRuns: 60 },
    );
  });
});

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
