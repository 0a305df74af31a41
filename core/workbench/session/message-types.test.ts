import { describe, expect, it } from 'vitest';
import type { Type } from 'protobufjs';
import { loadSchemaSources } from '../../schema/registry';
import type { SchemaHost, Schemas } from '../engine';
import { createCoreEngine } from '../core-engine';
import { createSession } from './session';
import { boxBytes, contentHash, memoryFiles, PROTO, schemaHost, schemas, session } from './test-session';

describe('session message types', () => {
  it('keeps edits, and their unsaved state, across a change of type', async () => {
    const s = session();
    const { docId } = await s.api.openBytes({ name: 'box.bin', bytes: boxBytes() });
    await s.api.edit({ docId, message: 0, edit: { op: 'set', path: [0], value: 'kept' } });
    const raw = await s.api.setType({ docId, typeName: null });
    expect(raw).toMatchObject({ typeName: null, dirty: true, canUndo: false });
    const rows = (await s.api.getRows({ docId, message: 0, start: 0, count: 1 })).rows;
    expect(rows[0]).toMatchObject({ kind: 'unknown', number: 1 });
    expect(rows[0].preview).toContain('kept');
  });

  it('finds types by search, best matches first', async () => {
    const s = session();
    const types = await s.api.listTypes({ query: 'item' });
    expect(types[0].name).toBe('t.Item');
    const box = schemas.find('t.Box') as Type;
    expect(box.name).toBe('Box');
  });

  it('after the schemas are reloaded, each document is read with its type found again by name (edits kept as bytes)', async () => {
    let current: Schemas = schemas;
    const reloading: SchemaHost = {
      ...schemaHost,
      current: () => current,
      reload: async () => {
        const registry = loadSchemaSources([{ name: 't.proto', contents: PROTO }]);
        current = { ...schemas, registry, find: (n) => registry.findMessage(n) ?? null };
        return schemaHost.status();
      },
    };
    const s = createSession({ engine: createCoreEngine(), schemas: reloading, files: memoryFiles().host });
    const { docId, version } = await s.api.openBytes({ name: 'box.bin', bytes: boxBytes() });
    await s.api.edit({ docId, message: 0, edit: { op: 'set', path: [0], value: 'kept' } });
    const bytes = (await s.api.getFileBytes({ docId })).bytes;
    await s.api.reloadSchemas({});
    const after = await s.api.getSummary({ docId });
    expect(after).toMatchObject({ typeName: 't.Box', dirty: true, canUndo: false });
    expect(after.version).toBeGreaterThan(version);
    expect((await s.api.getFileBytes({ docId })).bytes).toEqual(bytes);
    expect((await s.api.getRows({ docId, message: 0, start: 0, count: 1 })).rows[0]).toMatchObject({ value: 'kept' });
    await expect(s.api.setType({ docId, typeName: 't.Nothing' })).rejects.toThrow('unknown message type: t.Nothing');
  });
});

describe('the type remembered for a file', () => {
  it('is keyed by path and content: a changed file, or another with the same name, is not read with the old type (it was, with garbage fields)', async () => {
    const files = memoryFiles({ '/a/box.bin': boxBytes() });
    const s = session(files.host);
    const first = await s.api.openPath({ path: '/a/box.bin' });
    expect(first).toMatchObject({ typeName: 't.Box', typeSource: 'detected' });
    await s.api.setType({ docId: first.docId, typeName: 't.Item' });
    expect(await s.api.getSummary({ docId: first.docId })).toMatchObject({ typeName: 't.Item', typeSource: 'chosen' });
    // The same file again: its remembered type, and the summary says so (the type picker shows "remembered").
    expect(await s.api.openPath({ path: '/a/box.bin' })).toMatchObject({ typeName: 't.Item', typeSource: 'remembered' });
    // Changed by another program: detection decides again.
    files.disk.set('/a/box.bin', new Uint8Array([0x0a, 0x01, 0x78])); // string name = 1: "x"
    expect((await s.api.openPath({ path: '/a/box.bin' })).typeSource).toBe('detected');
    // Dropped bytes are remembered by name and content: another file of that name does not get the type.
    const dropped = await s.api.openBytes({ name: 'capture.bin', bytes: boxBytes() });
    await s.api.edit({ docId: dropped.docId, message: 0, edit: { op: 'set', path: [0], value: 'edited first' } });
    await s.api.setType({ docId: dropped.docId, typeName: 't.Item' });
    expect(await s.api.openBytes({ name: 'capture.bin', bytes: boxBytes() })).toMatchObject({
      typeName: 't.Item',
      typeSource: 'remembered',
    });
    const other = await s.api.openBytes({ name: 'capture.bin', bytes: new Uint8Array([0x0a, 0x01, 0x78]) });
    expect(other.typeSource).not.toBe('remembered');
  });

  it('whose schema is gone is named, not silently dropped to raw; it is used once the schema is back', async () => {
    let current: Schemas = { ...schemas, find: () => null };
    const host: SchemaHost = {
      ...schemaHost,
      current: () => current,
      add: async () => {
        current = schemas;
        return schemaHost.status();
      },
    };
    const files = memoryFiles({ '/a/box.bin': boxBytes() });
    files.state.set('type:/a/box.bin', { typeName: 't.Box', hash: contentHash(boxBytes()) });
    const s = createSession({ engine: createCoreEngine(), schemas: host, files: files.host });
    const opened = await s.api.openPath({ path: '/a/box.bin' });
    expect(opened).toMatchObject({ typeName: null, missingType: 't.Box' });
    expect(opened.typeSource).toBeUndefined();
    await s.api.addSchemas({ protoFiles: ['/a/t.proto'] });
    expect(await s.api.getSummary({ docId: opened.docId })).toMatchObject({ typeName: 't.Box', typeSource: 'remembered' });
    expect((await s.api.getSummary({ docId: opened.docId })).missingType).toBeUndefined();
  });
});
