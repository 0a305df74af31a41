import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSchemaSources } from '../../core/schema/registry';
import type { SchemaStatus } from '../../core/api/contract';
import { createCoreEngine } from '../../core/workbench/core-engine';
import { createSession } from '../../core/workbench/session/session';
import { nodeFileHost, schemasOf } from './node-hosts';

const registry = loadSchemaSources([{ name: 't.proto', contents: 'syntax = "proto3"; package t; message Note { string title = 1; }' }]);
const status: SchemaStatus = { families: [], protoFiles: [], importPaths: [], descriptorSets: [], uploads: [], typeCount: 1, errors: [] };
const schemas = {
  current: () => schemasOf(registry),
  status: () => status,
  add: async () => status,
  remove: async () => status,
  reload: async () => status,
};

/** A t.Note: field 1 (title) as a string. */
const note = (title: string) => new Uint8Array([0x0a, title.length, ...new TextEncoder().encode(title)]);

/** A file with a fixed mtime (a whole millisecond, not a whole second: a fine-grained stamp) and a session that opened it. */
async function opened() {
  const dir = mkdtempSync(join(tmpdir(), 'pd-diskchange-'));
  const file = join(dir, 'note.bin');
  writeFileSync(file, note('draft'));
  const when = new Date(1_700_000_000_123);
  utimesSync(file, when, when);
  const s = createSession({ engine: createCoreEngine(), schemas, files: nodeFileHost({ stateFile: null }) });
  const { docId } = await s.api.openPath({ path: file });
  return { dir, file, when, s, docId };
}

describe('a file replaced on disk with the same size and mtime is still a change', () => {
  it('cp -p: rewritten in place, then its mtime set back (same size, same mtime, new ctime) is reported, and not saved over', async () => {
    const { file, when, s, docId } = await opened();
    const before = statSync(file);
    writeFileSync(file, note('DRAFT')); // cp writes into the same inode…
    utimesSync(file, when, when); // …and -p puts the source's mtime back
    const after = statSync(file);
    expect([after.size, after.mtimeMs, after.ino]).toEqual([before.size, before.mtimeMs, before.ino]);
    expect(await s.api.checkDisk({})).toEqual([{ docId, path: file, deleted: false }]);
    await s.api.edit({ docId, message: 0, edit: { op: 'set', path: [0], value: 'mine!' } });
    await expect(s.api.save({ docId })).rejects.toMatchObject({ name: 'SaveConflictError' });
    expect(new Uint8Array(readFileSync(file))).toEqual(note('DRAFT'));
  });

  it('rsync -t: another file renamed over it with the same size and mtime (new inode) is reported', async () => {
    const { dir, file, when, s, docId } = await opened();
    const before = statSync(file);
    const tmp = join(dir, '.note.bin.rsync');
    writeFileSync(tmp, note('DRAFT'));
    utimesSync(tmp, when, when);
    renameSync(tmp, file);
    const after = statSync(file);
    expect([after.size, after.mtimeMs]).toEqual([before.size, before.mtimeMs]);
    expect(after.ino).not.toBe(before.ino);
    expect(await s.api.checkDisk({})).toEqual([{ docId, path: file, deleted: false }]);
  });

  it('a file touched or copied back with the same bytes is not a change (no false alarm); the next real one is', async () => {
    const { dir, file, s, docId } = await opened();
    const later = new Date(1_700_000_100_456);
    utimesSync(file, later, later); // touch
    expect(await s.api.checkDisk({})).toEqual([]);
    const tmp = join(dir, 'copy');
    writeFileSync(tmp, note('draft'));
    renameSync(tmp, file); // the same bytes, another inode
    expect(await s.api.checkDisk({})).toEqual([]);
    writeFileSync(file, note('other'));
    utimesSync(file, later, later);
    expect(await s.api.checkDisk({})).toEqual([{ docId, path: file, deleted: false }]);
  });
});
