import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSchemaSources } from '../../core/schema/registry';
import { WireWriter } from '../../core/wire/wire-writer';
import { WireType } from '../../core/wire/wire-types';
import type { AppEvent, SchemaStatus } from '../../core/api/contract';
import type { SchemaHost } from '../../core/workbench/engine';
import { createCoreEngine } from '../../core/workbench/core-engine';
import { createSession } from '../../core/workbench/session/session';
import { nodeFileHost, nodeScheduler, schemasOf } from './node-hosts';
import { nodeRecoveryStore } from './recovery-store';

const PROTO = `syntax = "proto3";
package t;
message Note { string title = 1; uint32 size = 2; }
`;
const registry = loadSchemaSources([{ name: 't.proto', contents: PROTO }]);
const status: SchemaStatus = { families: [], protoFiles: [], importPaths: [], descriptorSets: [], uploads: [], typeCount: 1, errors: [] };
const schemaHost: SchemaHost = {
  current: () => schemasOf(registry),
  status: () => status,
  add: async () => status,
  remove: async () => status,
  reload: async () => status,
};
const utf8 = (t: string) => new TextEncoder().encode(t);

/** A t.Note: title, size 7. */
function note(title: string): Uint8Array {
  const w = new WireWriter();
  w.tag(1, WireType.LEN).lengthDelimited(utf8(title)); // string title = 1
  w.tag(2, WireType.VARINT).uvarint(7); // uint32 size = 2
  return w.finish().slice();
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'pd-nolost-'));
  const recoveryDir = join(dir, 'recovery');
  const file = join(dir, 'note.bin');
  writeFileSync(file, note('draft'));
  const make = (extra: Partial<Parameters<typeof createSession>[0]> = {}) =>
    createSession({
      engine: createCoreEngine(),
      schemas: schemaHost,
      files: nodeFileHost({ stateFile: null }),
      recovery: nodeRecoveryStore(recoveryDir),
      ...extra,
    });
  return { dir, recoveryDir, file, make };
}

const journalFiles = (dir: string) => {
  try {
    return readdirSync(dir).filter((n) => n.endsWith('.pdrec'));
  } catch {
    return [];
  }
};

describe('crash recovery of unsaved documents', () => {
  it('a session dropped without closing leaves its edits; the next session recovers them dirty', async () => {
    const { recoveryDir, file, make } = setup();
    const s1 = make();
    const { docId } = await s1.api.openPath({ path: file });
    await s1.api.setType({ docId, typeName: 't.Note' });
    await s1.api.edit({ docId, message: 0, edit: { op: 'set', path: [0], value: 'final version' } });
    const edited = (await s1.api.getFileBytes({ docId })).bytes;
    await s1.flushRecovery();
    expect(journalFiles(recoveryDir)).toHaveLength(1);
    // The session's own entries are not offered to itself.
    expect(await s1.api.listRecoverable({})).toEqual([]);
    s1.dispose(); // a crash: no close, no save

    const s2 = make();
    const list = await s2.api.listRecoverable({});
    expect(list).toEqual([expect.objectContaining({ name: 'note.bin', path: file, typeName: 't.Note', size: edited.length })]);
    const sum = await s2.api.recover({ id: list[0].id });
    expect(sum).toMatchObject({ name: 'note.bin', path: file, typeName: 't.Note', dirty: true });
    expect((await s2.api.getFileBytes({ docId: sum.docId })).bytes).toEqual(edited);
    expect((await s2.api.getRows({ docId: sum.docId, message: 0, start: 0, count: 2 })).rows).toMatchObject([
      { value: 'final version', modified: true },
      { name: 'size', modified: false },
    ]);
    // The edit itself came back: undo gives the file's own version, redo the edit again.
    expect(sum.canUndo).toBe(true);
    await s2.api.undo({ docId: sum.docId });
    expect((await s2.api.getFileBytes({ docId: sum.docId })).bytes).toEqual(note('draft'));
    await s2.api.redo({ docId: sum.docId });
    // The entry moved to the recovering session: still one copy on disk, none offered to s2.
    expect(journalFiles(recoveryDir)).toHaveLength(1);
    expect(await s2.api.listRecoverable({})).toEqual([]);
    // The file itself was never touched; saving writes it and clears the journal.
    expect(new Uint8Array(readFileSync(file))).toEqual(note('draft'));
    expect((await s2.api.save({ docId: sum.docId })).dirty).toBe(false);
    expect(new Uint8Array(readFileSync(file))).toEqual(edited);
    expect(journalFiles(recoveryDir)).toEqual([]);
    expect(await make().api.listRecoverable({})).toEqual([]);
  });

  it('offers back entries in the first journal format (header, then bytes), without marks', async () => {
    const { recoveryDir, make } = setup();
    const header = Buffer.from(JSON.stringify({ name: 'old.bin', path: null, typeName: 't.Note', disk: null, savedAt: 1 }));
    const len = Buffer.alloc(4);
    len.writeUInt32BE(header.length);
    mkdirSync(recoveryDir, { recursive: true });
    writeFileSync(join(recoveryDir, '999999999-0badc0de-d1.pdrec'), Buffer.concat([Buffer.from('PDREC1\n'), len, header, note('from v1')]));
    const s = make();
    const [entry] = await s.api.listRecoverable({});
    expect(entry).toMatchObject({ name: 'old.bin', size: note('from v1').length });
    const sum = await s.api.recover({ id: entry.id });
    expect(sum).toMatchObject({ dirty: true, canUndo: false });
    expect((await s.api.getRows({ docId: sum.docId, message: 0, start: 0, count: 1 })).rows[0]).toMatchObject({
      value: 'from v1',
      modified: false,
    });
  });

  it('pasted documents are journaled too, and discard removes them', async () => {
    const { recoveryDir, make } = setup();
    const s1 = make();
    const { docId } = await s1.api.openBytes({ name: 'pasted.bin', bytes: note('x') });
    await s1.api.setType({ docId, typeName: 't.Note' });
    await s1.api.edit({ docId, message: 0, edit: { op: 'set', path: [1], value: 9 } });
    await s1.flushRecovery();
    s1.dispose();
    const s2 = make();
    const [entry] = await s2.api.listRecoverable({});
    expect(entry).toMatchObject({ name: 'pasted.bin', path: null });
    expect(await s2.api.discardRecoverable({})).toEqual({ discarded: 1 });
    expect(journalFiles(recoveryDir)).toEqual([]);
    await expect(s2.api.recover({ id: entry.id })).rejects.toThrow();
  });

  it('closing, saving or undoing to the saved state removes the entry', async () => {
    const { recoveryDir, file, make } = setup();
    const s = make();
    const { docId } = await s.api.openPath({ path: file });
    await s.api.setType({ docId, typeName: 't.Note' });
    await s.api.edit({ docId, message: 0, edit: { op: 'set', path: [0], value: 'a' } });
    await s.flushRecovery();
    expect(journalFiles(recoveryDir)).toHaveLength(1);
    await s.api.undo({ docId });
    await s.flushRecovery();
    expect(journalFiles(recoveryDir)).toEqual([]);
    await s.api.redo({ docId });
    await s.flushRecovery();
    expect(journalFiles(recoveryDir)).toHaveLength(1);
    await s.api.closeDocument({ docId });
    expect(journalFiles(recoveryDir)).toEqual([]);
    // Quit without saving: the user's choice, nothing is offered next time.
    const b = await s.api.openBytes({ name: 'b.bin', bytes: note('b') });
    await s.api.setType({ docId: b.docId, typeName: 't.Note' });
    await s.api.edit({ docId: b.docId, message: 0, edit: { op: 'set', path: [0], value: 'bb' } });
    await s.flushRecovery();
    expect(journalFiles(recoveryDir)).toHaveLength(1);
    await s.discardOwnRecovery();
    expect(journalFiles(recoveryDir)).toEqual([]);
  });

  it('writes the journal by itself shortly after an edit', async () => {
    const { recoveryDir, file, make } = setup();
    const s = make({ scheduler: nodeScheduler, journalDelayMs: 30, diskPollMs: 0 });
    const { docId } = await s.api.openPath({ path: file });
    await s.api.setType({ docId, typeName: 't.Note' });
    await s.api.edit({ docId, message: 0, edit: { op: 'set', path: [0], value: 'soon' } });
    for (let i = 0; i < 200 && !journalFiles(recoveryDir).length; i++) await new Promise((ok) => setTimeout(ok, 10));
    expect(journalFiles(recoveryDir)).toHaveLength(1);
    s.dispose();
  });
});

describe('a recovery journal that cannot be written', () => {
  it('warns that unsaved work is not protected (it was silent)', async () => {
    const { dir, file } = setup();
    const blocked = join(dir, 'not-a-folder');
    writeFileSync(blocked, 'a file where the recovery folder should be');
    const s = createSession({
      engine: createCoreEngine(),
      schemas: schemaHost,
      files: nodeFileHost({ stateFile: null }),
      recovery: nodeRecoveryStore(blocked),
      log: () => undefined,
    });
    const events: AppEvent[] = [];
    s.onEvent((e) => events.push(e));
    const { docId } = await s.api.openPath({ path: file });
    await s.api.edit({ docId, message: 0, edit: { op: 'set', path: [1], value: 8 } });
    await s.flushRecovery();
    expect(events).toEqual([
      {
        kind: 'warning',
        key: 'recovery-journal',
        docId: null,
        message:
          'Unsaved changes to note.bin could not be written to the recovery journal (the recovery folder is not a folder): ' +
          'your unsaved work is not protected against a crash. Save it, and free disk space or fix the recovery folder.',
      },
    ]);
  });
});

describe('files changed on disk while open', () => {
  it('reports the change once, refuses to save over it until Keep mine, and reloads on request', async () => {
    const { file, make } = setup();
    const s = make();
    const events: AppEvent[] = [];
    s.onEvent((e) => events.push(e));
    const { docId } = await s.api.openPath({ path: file });
    await s.api.setType({ docId, typeName: 't.Note' });
    expect(await s.api.checkDisk({})).toEqual([]);
    await s.api.edit({ docId, message: 0, edit: { op: 'set', path: [0], value: 'mine' } });
    // Someone else writes the file.
    writeFileSync(file, note('theirs!'));
    const later = new Date(Date.now() + 5000);
    utimesSync(file, later, later);
    expect(await s.api.checkDisk({})).toEqual([{ docId, path: file, deleted: false }]);
    expect(await s.api.checkDisk({ docId })).toHaveLength(1);
    expect(events).toEqual([{ kind: 'file-changed', docId, path: file, deleted: false }]);
    await expect(s.api.save({ docId })).rejects.toThrow(/changed on disk/);
    expect(new Uint8Array(readFileSync(file))).toEqual(note('theirs!'));
    // Keep mine: the next save overwrites.
    expect((await s.api.keepMine({ docId })).dirty).toBe(true);
    expect(await s.api.checkDisk({})).toEqual([]);
    await s.api.save({ docId });
    const mine = new Uint8Array(readFileSync(file));
    expect(mine).toEqual((await s.api.getFileBytes({ docId })).bytes);
    // Our own save is not a change on disk.
    expect(await s.api.checkDisk({})).toEqual([]);
    // Changed again: reload takes the file's content and drops the history.
    writeFileSync(file, note('theirs again'));
    utimesSync(file, new Date(Date.now() + 9000), new Date(Date.now() + 9000));
    expect(await s.api.checkDisk({})).toHaveLength(1);
    expect(events).toHaveLength(2);
    const r = await s.api.reloadFromDisk({ docId });
    expect(r).toMatchObject({ dirty: false, canUndo: false });
    expect((await s.api.getRows({ docId, message: 0, start: 0, count: 1 })).rows[0].value).toBe('theirs again');
    expect(await s.api.checkDisk({})).toEqual([]);
  });

  it('keep mine on an unmodified document makes it dirty; a deleted file is reported and saving recreates it', async () => {
    const { file, make } = setup();
    const s = make();
    const { docId } = await s.api.openPath({ path: file });
    writeFileSync(file, note('other'));
    utimesSync(file, new Date(Date.now() + 5000), new Date(Date.now() + 5000));
    expect((await s.api.keepMine({ docId })).dirty).toBe(true);
    const { unlinkSync } = await import('node:fs');
    unlinkSync(file);
    expect(await s.api.checkDisk({})).toEqual([{ docId, path: file, deleted: true }]);
    await s.api.save({ docId });
    expect(new Uint8Array(readFileSync(file))).toEqual(note('draft'));
  });

  it('polls open files on a timer and sends the event', async () => {
    const { file, make } = setup();
    const s = make({ scheduler: nodeScheduler, diskPollMs: 20 });
    const events: AppEvent[] = [];
    s.onEvent((e) => events.push(e));
    const { docId } = await s.api.openPath({ path: file });
    writeFileSync(file, note('changed by another program'));
    for (let i = 0; i < 300 && !events.length; i++) await new Promise((ok) => setTimeout(ok, 10));
    expect(events).toEqual([{ kind: 'file-changed', docId, path: file, deleted: false }]);
    s.dispose();
  });
});

describe('the node file host', () => {
  it('reads a file as a plain Uint8Array of exactly its bytes, whatever its size', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-read-'));
    const host = nodeFileHost({ stateFile: null });
    for (const size of [0, 3, 5000, 3 * 1024 * 1024 + 7]) {
      const want = new Uint8Array(size).map((_, i) => (i * 31 + 7) & 255);
      const file = join(dir, `f${size}.bin`);
      writeFileSync(file, want);
      const got = await host.read(file);
      expect(Object.getPrototypeOf(got)).toBe(Uint8Array.prototype); // not a Buffer: slice() copies as everywhere else
      expect(got.length).toBe(size);
      expect(Buffer.from(got).equals(Buffer.from(want))).toBe(true);
      // Writing through it changes what the session holds, not the file.
      if (size) {
        got[0] ^= 0xff;
        expect(readFileSync(file)[0]).toBe(want[0]);
      }
    }
  });
});
