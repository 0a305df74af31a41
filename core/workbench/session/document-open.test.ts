import { describe, expect, it } from 'vitest';
import type { AppEvent } from '../../api/contract';
import { createCoreEngine } from '../core-engine';
import { HASH_DELAY_MS } from './document-open';
import { createSession } from './session';
import { boxBytes, contentHash, fakeClock, manyItems, memoryFiles, schemaHost, session } from './test-session';

describe('session opening documents', () => {
  it('opens bytes, detects the type and shows rows with spans', async () => {
    const s = session();
    const sum = await s.api.openBytes({ name: 'box.bin', bytes: boxBytes() });
    expect(sum.typeName).toBe('t.Box');
    expect(sum.candidates[0].typeName).toBe('t.Box');
    const page = await s.api.getRows({ docId: sum.docId, message: 0, start: 0, count: 100 });
    const names = page.rows.map((r) => `${'.'.repeat(r.depth)}${r.name}`);
    expect(names).toEqual([
      'name',
      'size',
      'items',
      '.label',
      '.count',
      'items',
      '.label',
      '.count',
      'codes',
      '.[0]',
      '.[1]',
      'open',
      'kind',
    ]);
    expect(page.rows[0]).toMatchObject({ preview: '"crate"', span: { start: 0, valueStart: 2, end: 7 }, editor: { kind: 'string' } });
    expect(page.rows[7].value).toBe(9007199254740993n);
    expect(page.rows[7].editor).toMatchObject({ kind: 'int', min: -(2n ** 63n), max: 2n ** 63n - 1n });
    expect(page.rows[12].editor.kind).toBe('enum');
    expect(page.rootMissing.map((f) => f.name)).toEqual(['items', 'codes', 'a', 'b']);
  });

  it('opens an empty file without a type: every type reads it, so no type is offered as detected', async () => {
    const s = session();
    const sum = await s.api.openBytes({ name: 'empty.bin', bytes: new Uint8Array(0) });
    expect(sum.typeName).toBeNull();
    expect(sum.candidates).toEqual([]);
    expect(sum.size).toBe(0);
  });

  it('detects a stream by its non-empty messages: an empty one among them does not pull the choice', async () => {
    const s = session();
    const box = boxBytes();
    const stream = new Uint8Array([box.length, ...box, 0, box.length, ...box]);
    const sum = await s.api.openBytes({ name: 'boxes.delimited', bytes: stream });
    expect(sum.messageCount).toBe(3);
    expect(sum.typeName).toBe('t.Box');
    expect(sum.candidates[0]).toMatchObject({ typeName: 't.Box', score: expect.any(Number) });
    expect(sum.candidates[0].score).toBeGreaterThan(0.9);
  });

  it('opens a big message in steps that yield, with progress that only moves forward, and can cancel the open', async () => {
    const clock = fakeClock();
    const s = createSession({
      engine: createCoreEngine(),
      schemas: schemaHost,
      files: memoryFiles().host,
      scheduler: clock.scheduler,
      lazyAboveBytes: 0,
    });
    const events: AppEvent[] = [];
    s.onEvent((e) => events.push(e));
    const bytes = manyItems(60_000); // 60,001 top-level fields
    const { docId } = await s.api.openBytes({ name: 'big.bin', bytes });
    const opening = events.flatMap((e) => (e.kind === 'progress' && e.label === 'Opening big.bin' ? [e] : []));
    // Framing and detection take up to 20%; the top level is read in steps between 20% and 100%.
    const reading = opening.filter((e) => e.done > 20 && e.done < e.total);
    expect(reading.length).toBeGreaterThanOrEqual(2);
    expect(opening.map((e) => e.done / e.total)).toEqual(opening.map((e) => e.done / e.total).sort((a, b) => a - b));
    expect(opening.at(-1)).toMatchObject({ done: 1, total: 1 });
    const { total } = await s.api.setExpanded({ docId, message: 0, path: [], expanded: true, all: true });
    expect(total).toBe(180_001);
    expect((await s.api.getRows({ docId, message: 0, start: total - 1, count: 1 })).rows).toMatchObject([
      { name: 'count', value: 59_999n },
    ]);

    // Cancelled while the top level is read: the open fails saying so and no document is left.
    const c = createSession({
      engine: createCoreEngine(),
      schemas: schemaHost,
      files: memoryFiles().host,
      scheduler: fakeClock().scheduler,
      lazyAboveBytes: 0,
    });
    c.onEvent((e) => {
      if (e.kind === 'progress' && e.taskId && e.done > 20 && e.done < e.total) void c.api.cancelTask({ taskId: e.taskId });
    });
    await expect(c.api.openBytes({ name: 'big.bin', bytes })).rejects.toThrow(/^Opening big\.bin was cancelled$/);
    expect(await c.api.listDocuments({})).toEqual([]);
  });

  it('hashes a file it opens once the document is open, and that hash still tells a change the stamp cannot', async () => {
    const bytes = manyItems(60_000);
    const files = memoryFiles({ '/d/big.bin': bytes });
    // Whole-second times taken in the same tick: only the content can tell a same-size write.
    files.host.stat = async (p) => (files.disk.has(p) ? { size: files.disk.get(p)!.length, mtimeMs: 10_000, checkedAtMs: 10_000 } : null);
    let hashes = 0;
    const hashBytes = files.host.hashBytes!;
    files.host.hashBytes = (b) => {
      hashes++;
      return hashBytes(b);
    };
    const s = createSession({
      engine: createCoreEngine(),
      schemas: schemaHost,
      files: files.host,
      scheduler: fakeClock().scheduler,
      lazyAboveBytes: 0,
    });
    const whileOpening: number[] = [];
    s.onEvent((e) => {
      if (e.kind === 'progress' && e.label === 'Opening big.bin' && e.done < e.total) whileOpening.push(hashes); // the last one comes after
    });
    const { docId } = await s.api.openPath({ path: '/d/big.bin' });
    expect(whileOpening.length).toBeGreaterThanOrEqual(3);
    expect(whileOpening.every((n) => n === 0)).toBe(true);
    expect(await s.api.checkDisk({})).toEqual([]);
    expect(hashes).toBe(1);
    const changed = bytes.slice();
    changed[changed.length - 1] ^= 1; // the same size, a different last count
    files.disk.set('/d/big.bin', changed);
    expect(await s.api.checkDisk({})).toEqual([{ docId, path: '/d/big.bin', deleted: false }]);
  });

  it('puts the hash of a file it opened off until after the first rows, or until something needs it', async () => {
    const files = memoryFiles({ '/d/a.bin': boxBytes(), '/d/b.bin': boxBytes() });
    const hashed: number[] = [];
    const hashBytes = files.host.hashBytes!;
    files.host.hashBytes = (b) => {
      hashed.push(b.length);
      return hashBytes(b);
    };
    const timers: { ms: number; fn: () => void }[] = [];
    const scheduler = { ...fakeClock().scheduler, after: (ms: number, fn: () => void) => (timers.push({ ms, fn }), () => undefined) };
    const s = createSession({ engine: createCoreEngine(), schemas: schemaHost, files: files.host, scheduler });
    const a = await s.api.openPath({ path: '/d/a.bin' });
    await s.api.getRows({ docId: a.docId, message: 0, start: 0, count: 100 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(hashed).toEqual([]);
    const later = timers.filter((t) => t.ms === HASH_DELAY_MS);
    expect(later).toHaveLength(1);
    later[0].fn(); // the delay is over: it begins
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(hashed).toEqual([boxBytes().length]);
    // Choosing a type remembers it with the content's hash: that needs the hash now, without waiting for the delay.
    const b = await s.api.openPath({ path: '/d/b.bin' });
    await s.api.setType({ docId: b.docId, typeName: 't.Item' });
    expect(hashed).toHaveLength(2);
    const again = await s.api.openPath({ path: '/d/b.bin' });
    expect(again.typeName).toBe('t.Item');
    expect(again.typeSource).toBe('remembered');
  });

  it('puts the hash off again while a long operation is under way', async () => {
    const files = memoryFiles({ '/d/a.bin': boxBytes() });
    let hashes = 0;
    const hashBytes = files.host.hashBytes!;
    files.host.hashBytes = (b) => {
      hashes++;
      return hashBytes(b);
    };
    const timers: (() => void)[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let hold = false;
    const scheduler = {
      ...fakeClock().scheduler,
      after: (ms: number, fn: () => void) => (ms === HASH_DELAY_MS && timers.push(fn), () => undefined),
      yieldToEvents: () => (hold ? gate : Promise.resolve()), // once held, a long operation stays under way until released
    };
    const s = createSession({ engine: createCoreEngine(), schemas: schemaHost, files: files.host, scheduler, lazyAboveBytes: 0 });
    await s.api.openPath({ path: '/d/a.bin' });
    hold = true;
    const big = s.api.openBytes({ name: 'big.bin', bytes: manyItems(60_000) }); // opened in steps: waits at its first
    await new Promise((resolve) => setTimeout(resolve, 0));
    timers.shift()!();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(hashes).toBe(0);
    expect(timers).toHaveLength(1); // asked again later
    release();
    await big;
    timers.shift()!();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(hashes).toBe(1);
  });

  it('stops hashing a file it opened when the document is closed', async () => {
    const files = memoryFiles({ '/d/box.bin': boxBytes() });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const seen: string[] = [];
    files.host.hashBytes = async (b, options) => {
      seen.push('begun');
      await gate;
      seen.push(options?.stopped?.() ? 'stopped' : 'finished');
      return contentHash(b);
    };
    const s = session(files.host);
    const { docId } = await s.api.openPath({ path: '/d/box.bin' });
    await s.api.closeDocument({ docId });
    release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen).toEqual(['begun', 'stopped']);
  });

  it('refuses a file over the size limit, naming both sizes, before reading it', async () => {
    const files = memoryFiles();
    files.host.stat = async () => ({ size: 5 * 1024 ** 3, mtimeMs: 1 });
    files.host.read = async () => {
      throw new Error('a file over the limit must not be read');
    };
    const s = createSession({ engine: createCoreEngine(), schemas: schemaHost, files: files.host, maxOpenBytes: 1024 ** 3 });
    await expect(s.api.openPath({ path: '/huge.bin' })).rejects.toThrow(
      /^huge\.bin is 5 GB, over the 1 GB the workbench opens \(maxOpenBytes\)/,
    );
    // The same limit, lowered, for bytes that are already here (a drop): 1 GB would be slow to build in a test.
    const small = createSession({ engine: createCoreEngine(), schemas: schemaHost, files: memoryFiles().host, maxOpenBytes: 1000 });
    await expect(small.api.openBytes({ name: 'drop.bin', bytes: new Uint8Array(2048) })).rejects.toThrow(
      /^drop\.bin is 2 KB, over the 1000 bytes/,
    );
    expect(await small.api.listDocuments({})).toEqual([]);
    // Just over the limit, the rounded sizes would read the same: exact byte counts instead.
    files.host.stat = async () => ({ size: 1024 ** 3 + 120, mtimeMs: 1 });
    await expect(s.api.openPath({ path: '/just-over.bin' })).rejects.toThrow(
      /^just-over\.bin is 1,073,741,944 bytes, over the 1,073,741,824 bytes the workbench opens/,
    );
  });
});
