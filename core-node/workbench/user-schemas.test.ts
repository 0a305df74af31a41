import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppEvent } from '../../core/api/contract';
import { PROTOC } from '../../testing/protoc';
import { createNodeWorkbench } from './node-hosts';

/** A folder with a state file's place, a .proto file, a folder of them and a descriptor set. */
function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'pd-userschemas-'));
  writeFileSync(join(dir, 'note.proto'), 'syntax = "proto3";\npackage u;\nmessage Note { string title = 1; }\n');
  mkdirSync(join(dir, 'lib', 'deep'), { recursive: true });
  writeFileSync(join(dir, 'lib', 'deep', 'tag.proto'), 'syntax = "proto3";\npackage u;\nmessage Tag { string name = 1; }\n');
  writeFileSync(join(dir, 'set.proto'), 'syntax = "proto3";\npackage s;\nmessage FromSet { int32 n = 1; }\n');
  execFileSync(PROTOC, [`-I${dir}`, `--descriptor_set_out=${join(dir, 'set.protoset')}`, 'set.proto']);
  rmSync(join(dir, 'set.proto'));
  const stateFile = join(dir, 'state', 'state.json');
  const start = () => createNodeWorkbench({ cwd: dir, stateFile, recoveryDir: join(dir, 'state', 'recovery'), diskPollMs: 0 });
  return { dir, stateFile, start };
}

const NOTE = new Uint8Array([0x0a, 0x02, 0x68, 0x69]); // string title = 1: "hi"

describe("the user's schemas", () => {
  it('are remembered across restarts (they were lost), reload at start, and say clearly when a file is gone', async () => {
    const { dir, stateFile, start } = setup();
    const w1 = await start();
    await w1.api.addSchemas({
      protoFiles: [join(dir, 'note.proto')],
      importPaths: [join(dir, 'lib')],
      descriptorSets: [join(dir, 'set.protoset')],
    });
    await w1.api.addSchemas({
      uploads: [{ name: 'up.proto', contents: new TextEncoder().encode('syntax = "proto3"; package up; message Up {}') }],
    });
    w1.dispose();

    const w2 = await start();
    const st = await w2.api.schemaStatus({});
    expect(st).toMatchObject({
      protoFiles: [join(dir, 'note.proto')],
      importPaths: [join(dir, 'lib')],
      descriptorSets: [join(dir, 'set.protoset')],
      uploads: ['up.proto'],
      errors: [],
    });
    const names = (await w2.api.listTypes({})).map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['u.Note', 'u.Tag', 's.FromSet', 'up.Up']));
    w2.dispose();

    rmSync(join(dir, 'note.proto'));
    rmSync(join(dir, 'lib'), { recursive: true });
    const w3 = await start();
    const gone = await w3.api.schemaStatus({});
    expect(gone.errors).toEqual([
      {
        file: join(dir, 'note.proto'),
        message: `The schema file ${join(dir, 'note.proto')} is gone (moved, deleted, or on a disk not mounted): put it back and reload the schemas, or remove it from the list.`,
      },
      {
        file: join(dir, 'lib'),
        message: `The schema folder ${join(dir, 'lib')} is gone (moved, deleted, or on a disk not mounted): put it back and reload the schemas, or remove it from the list.`,
      },
    ]);
    expect(gone.protoFiles).toEqual([join(dir, 'note.proto')]); // still listed, to put back or remove
    // Removed: no longer listed, loaded or remembered.
    const removed = await w3.api.removeSchema({ source: join(dir, 'note.proto') });
    expect(removed.protoFiles).toEqual([]);
    await w3.api.removeSchema({ source: 'up.proto' });
    await expect(w3.api.removeSchema({ source: 'nothing.proto' })).rejects.toThrow('nothing.proto is not among the added schemas');
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { schemas: { protoFiles: string[]; uploads: unknown[] } };
    expect(state.schemas).toMatchObject({ protoFiles: [], uploads: [], folders: [join(dir, 'lib')] });
    w3.dispose();
  });

  it('a recovered document reads with its type once its schema is loaded again at start (it opened as raw)', async () => {
    const { dir, start } = setup();
    const w1 = await start();
    await w1.api.addSchemas({ protoFiles: [join(dir, 'note.proto')] });
    writeFileSync(join(dir, 'n.bin'), NOTE);
    const { docId } = await w1.api.openPath({ path: join(dir, 'n.bin') });
    await w1.api.setType({ docId, typeName: 'u.Note' });
    await w1.api.edit({ docId, message: 0, edit: { op: 'set', path: [0], value: 'unsaved' } });
    await w1.flushRecovery();
    w1.dispose(); // a crash

    const w2 = await start();
    const [entry] = await w2.api.listRecoverable({});
    expect(await w2.api.recover({ id: entry.id })).toMatchObject({ typeName: 'u.Note', typeSource: 'recovered', dirty: true });
    w2.dispose();
  });

  it('a .proto file or a folder opened or dropped is added as a schema, not opened as bytes', async () => {
    const { dir, start } = setup();
    const w = await start();
    const events: AppEvent[] = [];
    w.onEvent((e) => events.push(e));
    await expect(w.api.openPath({ path: join(dir, 'note.proto') })).rejects.toMatchObject({
      name: 'SchemaAddedError',
      message: expect.stringMatching(/^note\.proto is a schema, not a message: it was added to the schemas \(\d+ types loaded now\)\.$/),
    });
    await expect(w.api.openPath({ path: join(dir, 'lib') })).rejects.toMatchObject({ name: 'SchemaAddedError' });
    await expect(
      w.api.openBytes({ name: 'drop.proto', bytes: new TextEncoder().encode('syntax = "proto3"; package d; message Dropped {}') }),
    ).rejects.toMatchObject({ name: 'SchemaAddedError' });
    expect(await w.api.listDocuments({})).toEqual([]);
    expect((await w.api.listTypes({})).map((t) => t.name)).toEqual(expect.arrayContaining(['u.Note', 'u.Tag', 'd.Dropped']));
    expect(events.filter((e) => e.kind === 'schemas-changed')).toHaveLength(3);
    w.dispose();
  });
});
