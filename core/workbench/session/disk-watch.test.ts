import { describe, expect, it } from 'vitest';
import type { AppEvent } from '../../api/contract';
import type { Scheduler } from '../engine';
import { createCoreEngine } from '../core-engine';
import { createSession } from './session';
import { boxBytes, memoryFiles, schemaHost } from './test-session';

/** In-memory files with stamps: each write (the session's or another program's) moves the file's mtime on. */
function stampedFiles(initial: Record<string, Uint8Array>) {
  const f = memoryFiles(initial);
  const mtimes = new Map<string, number>();
  let clock = 1;
  const write = f.host.writeAtomic;
  f.host.writeAtomic = async (p, b) => {
    await write(p, b);
    mtimes.set(p, clock++);
  };
  f.host.stat = async (p) => {
    const b = f.disk.get(p);
    return b ? { size: b.length, mtimeMs: mtimes.get(p) ?? 0 } : null;
  };
  /** Another program writes (or, with null, deletes) the file. */
  const byOther = (p: string, bytes: Uint8Array | null) => {
    if (bytes) f.disk.set(p, bytes);
    else f.disk.delete(p);
    mtimes.set(p, clock++);
  };
  return { ...f, byOther };
}

/** A t.Box whose name field says `name`. */
function named(name: string): Uint8Array {
  const b = boxBytes();
  const label = new TextEncoder().encode(name);
  return new Uint8Array([0x0a, label.length, ...label, ...b.subarray(7)]); // string name = 1, then the rest of the box after "crate"
}

describe('session disk watch', () => {
  it('reports each change once, refuses to save over it until Keep mine, and reloads on request', async () => {
    const files = stampedFiles({ '/d/box.bin': boxBytes() });
    const s = createSession({ engine: createCoreEngine(), schemas: schemaHost, files: files.host });
    const events: AppEvent[] = [];
    s.onEvent((e) => events.push(e));
    const { docId } = await s.api.openPath({ path: '/d/box.bin' });
    expect(await s.api.checkDisk({})).toEqual([]);
    await s.api.edit({ docId, message: 0, edit: { op: 'set', path: [0], value: 'mine' } });
    files.byOther('/d/box.bin', named('theirs'));
    expect(await s.api.checkDisk({})).toEqual([{ docId, path: '/d/box.bin', deleted: false }]);
    expect(await s.api.checkDisk({ docId })).toHaveLength(1);
    expect(events).toEqual([{ kind: 'file-changed', docId, path: '/d/box.bin', deleted: false }]);
    await expect(s.api.save({ docId })).rejects.toThrow(/changed on disk since it was opened/);
    expect(files.disk.get('/d/box.bin')).toEqual(named('theirs'));
    expect((await s.api.keepMine({ docId })).dirty).toBe(true);
    expect(await s.api.checkDisk({})).toEqual([]);
    await s.api.save({ docId });
    expect(files.disk.get('/d/box.bin')).toEqual(named('mine'));
    expect(await s.api.checkDisk({})).toEqual([]);
    files.byOther('/d/box.bin', named('again'));
    await s.api.checkDisk({});
    expect(events).toHaveLength(2);
    expect(await s.api.reloadFromDisk({ docId })).toMatchObject({ dirty: false, canUndo: false });
    expect((await s.api.getRows({ docId, message: 0, start: 0, count: 1 })).rows[0].value).toBe('again');
  });

  it('keep mine on an unmodified document makes it unsaved; a deleted file is reported once', async () => {
    const files = stampedFiles({ '/d/box.bin': boxBytes() });
    const s = createSession({ engine: createCoreEngine(), schemas: schemaHost, files: files.host });
    const events: AppEvent[] = [];
    s.onEvent((e) => events.push(e));
    const { docId } = await s.api.openPath({ path: '/d/box.bin' });
    files.byOther('/d/box.bin', named('other'));
    expect((await s.api.keepMine({ docId })).dirty).toBe(true);
    files.byOther('/d/box.bin', null);
    expect(await s.api.checkDisk({})).toEqual([{ docId, path: '/d/box.bin', deleted: true }]);
    expect(await s.api.checkDisk({})).toEqual([{ docId, path: '/d/box.bin', deleted: true }]);
    expect(events).toEqual([{ kind: 'file-changed', docId, path: '/d/box.bin', deleted: true }]);
    await s.api.save({ docId });
    expect(files.disk.get('/d/box.bin')).toEqual(boxBytes());
  });

  it("polls on the scheduler's timer and stops when the session is disposed", async () => {
    const files = stampedFiles({ '/d/box.bin': boxBytes() });
    const ticks: { ms: number; fn: () => void; stopped: boolean }[] = [];
    const scheduler: Scheduler = {
      after: () => () => undefined,
      every: (ms, fn) => {
        const t = { ms, fn, stopped: false };
        ticks.push(t);
        return () => void (t.stopped = true);
      },
    };
    const s = createSession({ engine: createCoreEngine(), schemas: schemaHost, files: files.host, scheduler, diskPollMs: 500 });
    expect(ticks.map((t) => t.ms)).toEqual([500]);
    const events: AppEvent[] = [];
    s.onEvent((e) => events.push(e));
    const { docId } = await s.api.openPath({ path: '/d/box.bin' });
    files.byOther('/d/box.bin', named('polled'));
    ticks[0].fn();
    for (let i = 0; i < 20 && !events.length; i++) await new Promise((resolve) => setTimeout(resolve, 0));
    expect(events).toEqual([{ kind: 'file-changed', docId, path: '/d/box.bin', deleted: false }]);
    s.dispose();
    expect(ticks[0].stopped).toBe(true);
    // No poll without a timer interval, or without a stat to compare.
    const none = createSession({ engine: createCoreEngine(), schemas: schemaHost, files: files.host, scheduler, diskPollMs: 0 });
    const noStat = createSession({ engine: createCoreEngine(), schemas: schemaHost, files: memoryFiles().host, scheduler });
    expect(ticks).toHaveLength(1);
    none.dispose();
    noStat.dispose();
  });

  it('never reports bytes that were not opened from a file, and names a document that is not open', async () => {
    const files = stampedFiles({});
    const s = createSession({ engine: createCoreEngine(), schemas: schemaHost, files: files.host });
    const { docId } = await s.api.openBytes({ name: 'dropped.bin', bytes: boxBytes() });
    expect(await s.api.checkDisk({ docId })).toEqual([]);
    await expect(s.api.checkDisk({ docId: 'd99' })).rejects.toThrow('no open document d99');
    await expect(s.api.reloadFromDisk({ docId })).rejects.toThrow('dropped.bin was not opened from a file');
    expect(await s.api.keepMine({ docId })).toMatchObject({ dirty: false });
  });

  it('a stamp too coarse to tell (whole seconds, taken in the same tick) is checked by content until it settles', async () => {
    const files = memoryFiles({ '/d/box.bin': boxBytes() });
    let clock = 10_000;
    // A file system with whole-second times: a write in the same second leaves the same stamp.
    files.host.stat = async (p) => (files.disk.has(p) ? { size: files.disk.get(p)!.length, mtimeMs: 10_000, checkedAtMs: clock } : null);
    const s = createSession({ engine: createCoreEngine(), schemas: schemaHost, files: files.host });
    const { docId } = await s.api.openPath({ path: '/d/box.bin' });
    expect(await s.api.checkDisk({})).toEqual([]);
    files.disk.set('/d/box.bin', named('CRATE')); // the same size, within the same second
    expect(await s.api.checkDisk({})).toEqual([{ docId, path: '/d/box.bin', deleted: false }]);
    expect(await s.api.reloadFromDisk({ docId })).toMatchObject({ dirty: false });
    clock = 20_000; // taken long after its mtime: the stamp settles, and is trusted without reading the file
    let reads = 0;
    const hashFile = files.host.hashFile!;
    files.host.hashFile = async (p) => {
      reads++;
      return hashFile(p);
    };
    expect(await s.api.checkDisk({})).toEqual([]); // compared by content once more (the stamp it had was not settled)
    expect(await s.api.checkDisk({})).toEqual([]);
    expect(reads).toBe(1);
  });
});
