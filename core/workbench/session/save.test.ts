import { describe, expect, it } from 'vitest';
import type { AppEvent } from '../../api/contract';
import { boxBytes, contentHash, memoryFiles, session } from './test-session';

describe('session save', () => {
  it('saves in place and with Save As, and remembers the chosen type per file', async () => {
    const files = memoryFiles({ '/data/box.bin': boxBytes() });
    const s = session(files.host);
    const { docId } = await s.api.openPath({ path: '/data/box.bin' });
    await s.api.setType({ docId, typeName: null });
    expect(files.state.get('type:/data/box.bin')).toEqual({ typeName: null, hash: contentHash(boxBytes()) });
    await s.api.setType({ docId, typeName: 't.Box' });
    await s.api.edit({ docId, message: 0, edit: { op: 'set', path: [1], value: 99 } });
    const saved = await s.api.save({ docId });
    expect(saved.dirty).toBe(false);
    expect(files.disk.get('/data/box.bin')![8]).toBe(99);
    const dropped = await s.api.openBytes({ name: 'dropped.bin', bytes: boxBytes() });
    await expect(s.api.save({ docId: dropped.docId })).rejects.toThrow(/Save As/);
    const as = await s.api.saveAs({ docId: dropped.docId, path: '/work/out/copy.bin' });
    expect(as).toMatchObject({ path: '/work/out/copy.bin', name: 'copy.bin', dirty: false });
    expect(await s.api.recentFiles({})).toEqual(['/work/out/copy.bin', '/data/box.bin']);
    // Opened again: the type remembered for this path and content wins over detection.
    const onDisk = files.disk.get('/data/box.bin')!;
    files.state.set('type:/data/box.bin', { typeName: 't.Item', hash: contentHash(onDisk) });
    expect(await s.api.openPath({ path: '/data/box.bin' })).toMatchObject({ typeName: 't.Item', typeSource: 'remembered' });
  });

  it('Save As without a path writes nothing; a save writes the parts as they are, sharing the unchanged bytes', async () => {
    const files = memoryFiles({ '/data/box.bin': boxBytes() });
    const written: (Uint8Array | readonly Uint8Array[])[] = [];
    const write = files.host.writeAtomic;
    files.host.writeAtomic = async (p, b) => {
      written.push(b);
      await write(p, b);
    };
    const opened = files.disk.get('/data/box.bin')!;
    const s = session(files.host);
    const { docId } = await s.api.openPath({ path: '/data/box.bin' });
    await s.api.edit({ docId, message: 0, edit: { op: 'set', path: [1], value: 99 } });
    expect(await s.api.saveAs({ docId, path: '' })).toBeNull();
    expect(written).toEqual([]);
    expect((await s.api.getSummary({ docId })).dirty).toBe(true);
    await s.api.save({ docId });
    const parts = written[0] as readonly Uint8Array[];
    expect(Array.isArray(parts)).toBe(true);
    // The unchanged name field ("crate") is a view of the bytes as opened, not a copy.
    expect(parts[0].buffer).toBe(opened.buffer);
    expect(parts.length).toBeGreaterThan(1);
    expect(files.disk.get('/data/box.bin')).toEqual((await s.api.getFileBytes({ docId })).bytes);
  });

  it('Save As asks before replacing a file, puts a bare name in the document folder, and refuses one it has no folder for', async () => {
    const files = memoryFiles({ '/data/box.bin': boxBytes(), '/data/taken.bin': new Uint8Array([1]) });
    files.host.stat = async (p) => (files.disk.has(p) ? { size: files.disk.get(p)!.length, mtimeMs: 1 } : null);
    const s = session(files.host);
    const { docId } = await s.api.openPath({ path: '/data/box.bin' });
    await s.api.edit({ docId, message: 0, edit: { op: 'set', path: [1], value: 99 } });
    const refused = await s.api.saveAs({ docId, path: '/data/taken.bin' }).catch((e: Error) => e);
    expect(refused).toMatchObject({
      name: 'FileExistsError',
      message: '/data/taken.bin already exists: it was not replaced. Choose another name, or confirm to replace it.',
    });
    expect([...files.disk.get('/data/taken.bin')!]).toEqual([1]);
    expect(await s.api.saveAs({ docId, path: '/data/taken.bin', overwrite: true })).toMatchObject({
      path: '/data/taken.bin',
      dirty: false,
    });
    // A bare name goes beside the document, not into the host's working directory.
    expect(await s.api.saveAs({ docId, path: 'copy.bin' })).toMatchObject({ path: '/data/copy.bin' });
    // Its own path again is a save, not a replace to ask about.
    expect(await s.api.saveAs({ docId, path: '/data/copy.bin' })).toMatchObject({ path: '/data/copy.bin' });
    const dropped = await s.api.openBytes({ name: 'dropped.bin', bytes: boxBytes() });
    await expect(s.api.saveAs({ docId: dropped.docId, path: 'out.bin' })).rejects.toThrow(
      'Save As needs a full path for dropped.bin: it was not opened from a file, so there is no folder to put "out.bin" in.',
    );
    expect(files.disk.has('/work/out.bin')).toBe(false);
  });

  it('a save whose file lost its owner says so in a warning, cleared by the next save without one', async () => {
    const files = memoryFiles({ '/data/box.bin': boxBytes() });
    const write = files.host.writeAtomic;
    let warnings: string[] = ['the owner changed.'];
    files.host.writeAtomic = async (p, b, o) => {
      await write(p, b, o);
      return { warnings };
    };
    const s = session(files.host);
    const events: AppEvent[] = [];
    s.onEvent((e) => events.push(e));
    const { docId } = await s.api.openPath({ path: '/data/box.bin' });
    await s.api.save({ docId });
    warnings = [];
    await s.api.save({ docId });
    await s.api.save({ docId });
    expect(events.filter((e) => e.kind === 'warning')).toEqual([
      { kind: 'warning', key: `save:${docId}`, docId, message: 'Saved /data/box.bin, but: the owner changed.' },
      { kind: 'warning', key: `save:${docId}`, docId, message: null },
    ]);
  });
});
