import { describe, expect, it } from 'vitest';
import type { Type } from 'protobufjs';
import { loadSchemaSources } from '../../schema/registry';
import type { SchemaHost, Schemas } from '../engine';
import { createCoreEngine } from '../core-engine';
import { createSession } from './session';
import { boxBytes, memoryFiles, PROTO, schemaHost, schemas, session } from './test-session';

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
