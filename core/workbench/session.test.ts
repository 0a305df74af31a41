import { describe, expect, it } from 'vitest';
import type { Type } from 'protobufjs';
import { loadSchemaSources } from '../schema/registry';
import { WireWriter } from '../wire/wire-writer';
import { WireType } from '../wire/wire-types';
import type { SchemaStatus } from '../api/contract';
import type { FileHost, SchemaHost, Schemas } from './engine';
import { createCoreEngine } from './core-engine';
import { createSession } from './session';

const PROTO = `syntax = "proto3";
package t;
message Item { string label = 1; int64 count = 2; }
message Box {
  string name = 1;
  uint32 size = 2;
  repeated Item items = 3;
  repeated int32 codes = 4;
  bool open = 5;
  Kind kind = 6;
  oneof pick { string a = 7; int32 b = 8; }
}
enum Kind { KIND_UNSPECIFIED = 0; SMALL = 1; LARGE = 2; }
`;

const utf8 = (t: string) => new TextEncoder().encode(t);

const registry = loadSchemaSources([{ name: 't.proto', contents: PROTO }]);
const schemas: Schemas = {
  registry,
  types: () => registry.messageTypes().map((t) => ({ name: t.fullName.slice(1) })),
  messageTypes: () => registry.messageTypes(),
  find: (n) => registry.findMessage(n) ?? null,
  describe: () => [],
};
const status: SchemaStatus = { families: [], protoFiles: [], importPaths: [], descriptorSets: [], uploads: [], typeCount: 2, errors: [] };
const schemaHost: SchemaHost = { current: () => schemas, status: () => status, add: async () => status, reload: async () => status };

function memoryFiles(initial: Record<string, Uint8Array> = {}) {
  const disk = new Map(Object.entries(initial));
  const state = new Map<string, unknown>();
  const host: FileHost = {
    read: async (p) => {
      const b = disk.get(p);
      if (!b) throw new Error(`${p}: no such file`);
      return b;
    },
    writeAtomic: async (p, b) => void disk.set(p, b.slice()),
    resolve: (p) => (p.startsWith('/') ? p : `/work/${p}`),
    basename: (p) => p.slice(p.lastIndexOf('/') + 1),
    getState: <T>(k: string) => state.get(k) as T | undefined,
    setState: (k, v) => void state.set(k, v),
  };
  return { host, disk, state };
}

/** A t.Box: name "crate", size 12, two items, packed codes [1, 300], open true, kind LARGE. */
function boxBytes(): Uint8Array {
  const item = (label: string, count: bigint) => new WireWriter().tag(1, WireType.LEN).lengthDelimited(utf8(label)).tag(2, WireType.VARINT).varint64(count).finish().slice();
  const w = new WireWriter();
  w.tag(1, WireType.LEN).lengthDelimited(utf8('crate')); // string name = 1
  w.tag(2, WireType.VARINT).uvarint(12); // uint32 size = 2
  const i1 = item('apple', 3n);
  w.tag(3, WireType.LEN).uvarint(i1.length).raw(i1); // Item items = 3
  const i2 = item('pear', 9007199254740993n);
  w.tag(3, WireType.LEN).uvarint(i2.length).raw(i2); // Item items = 3 (a count beyond 2^53)
  w.tag(4, WireType.LEN).uvarint(3).uvarint(1).uvarint(300); // packed int32 codes = 4: 1, 300
  w.tag(5, WireType.VARINT).uvarint(1); // bool open = 5
  w.tag(6, WireType.VARINT).uvarint(2); // Kind kind = 6: LARGE
  return w.finish().slice();
}

function session(files = memoryFiles().host) {
  return createSession({ engine: createCoreEngine(), schemas: schemaHost, files });
}

describe('workbench session', () => {
  it('opens bytes, detects the type and shows rows with spans', async () => {
    const s = session();
    const sum = await s.api.openBytes({ name: 'box.bin', bytes: boxBytes() });
    expect(sum.typeName).toBe('t.Box');
    expect(sum.candidates[0].typeName).toBe('t.Box');
    const page = await s.api.getRows({ docId: sum.docId, message: 0, start: 0, count: 100 });
    const names = page.rows.map((r) => `${'.'.repeat(r.depth)}${r.name}`);
    expect(names).toEqual(['name', 'size', 'items', '.label', '.count', 'items', '.label', '.count', 'codes', '.[0]', '.[1]', 'open', 'kind']);
    expect(page.rows[0]).toMatchObject({ preview: '"crate"', span: { start: 0, valueStart: 2, end: 7 }, editor: { kind: 'string' } });
    expect(page.rows[7].value).toBe(9007199254740993n);
    expect(page.rows[7].editor).toMatchObject({ kind: 'int', min: -(2n ** 63n), max: 2n ** 63n - 1n });
    expect(page.rows[12].editor.kind).toBe('enum');
    expect(page.rootMissing.map((f) => f.name)).toEqual(['items', 'codes', 'a', 'b']);
  });

  it('edits, undoes and redoes; the bytes follow and unmodified documents stay byte-exact', async () => {
    const s = session();
    const src = boxBytes();
    const { docId } = await s.api.openBytes({ name: 'box.bin', bytes: src });
    let sum = await s.api.edit({ docId, message: 0, edit: { op: 'set', path: [0], value: 'bigger crate' } });
    expect(sum).toMatchObject({ dirty: true, canUndo: true, canRedo: false });
    const edited = await s.api.getBytes({ docId, message: 0, start: 0, end: 1 << 20 });
    expect(edited.total).toBe(src.length + 7);
    const rows = await s.api.getRows({ docId, message: 0, start: 0, count: 2 });
    expect(rows.rows[0]).toMatchObject({ preview: '"bigger crate"', modified: true, span: { start: 0, valueStart: 2, end: 14 } });
    expect(rows.rows[1]).toMatchObject({ modified: false, span: { start: 14 } });
    sum = await s.api.undo({ docId });
    expect(sum).toMatchObject({ dirty: false, canUndo: false, canRedo: true });
    expect((await s.api.getBytes({ docId, message: 0, start: 0, end: 1 << 20 })).bytes).toEqual(src);
    sum = await s.api.redo({ docId });
    expect(sum.dirty).toBe(true);
    expect((await s.api.getRows({ docId, message: 0, start: 0, count: 1 })).rows[0].preview).toBe('"bigger crate"');
  });

  it('adds, moves and removes repeated elements and switches oneofs', async () => {
    const s = session();
    const { docId } = await s.api.openBytes({ name: 'box.bin', bytes: boxBytes() });
    await s.api.edit({ docId, message: 0, edit: { op: 'move', path: [3], delta: -1 } });
    let rows = (await s.api.getRows({ docId, message: 0, start: 0, count: 100 })).rows;
    expect(rows.filter((r) => r.name === 'label').map((r) => r.preview)).toEqual(['"pear"', '"apple"']);
    await s.api.edit({ docId, message: 0, edit: { op: 'add-element', path: [4, 1] } });
    await s.api.edit({ docId, message: 0, edit: { op: 'set', path: [4, 2], value: 7 } });
    rows = (await s.api.getRows({ docId, message: 0, start: 0, count: 100 })).rows;
    expect(rows.filter((r) => r.kind === 'element').map((r) => r.value)).toEqual([1, 300, 7]);
    await s.api.edit({ docId, message: 0, edit: { op: 'add-field', parent: [], fieldNumber: 7 } });
    await s.api.edit({ docId, message: 0, edit: { op: 'add-field', parent: [], fieldNumber: 8 } });
    rows = (await s.api.getRows({ docId, message: 0, start: 0, count: 100 })).rows;
    expect(rows.filter((r) => r.oneof === 'pick').map((r) => r.name)).toEqual(['b']);
    await s.api.edit({ docId, message: 0, edit: { op: 'remove', path: [0] } });
    rows = (await s.api.getRows({ docId, message: 0, start: 0, count: 1 })).rows;
    expect(rows[0].name).toBe('size');
    await expect(s.api.edit({ docId, message: 0, edit: { op: 'set', path: [0], value: 2n ** 40n } })).rejects.toThrow();
  });

  it('expands, collapses, filters and finds the row of a byte', async () => {
    const s = session();
    const { docId } = await s.api.openBytes({ name: 'box.bin', bytes: boxBytes() });
    await s.api.setExpanded({ docId, message: 0, path: [], expanded: false, all: true });
    expect((await s.api.getRows({ docId, message: 0, start: 0, count: 100 })).total).toBe(7);
    const hit = await s.api.rowAtOffset({ docId, message: 0, offset: 11 });
    expect(hit?.path).toEqual([2, 0]);
    expect((await s.api.getRows({ docId, message: 0, start: hit!.row, count: 1 })).rows[0].name).toBe('label');
    const f = await s.api.getRows({ docId, message: 0, start: 0, count: 100, filter: 'pear' });
    expect(f.rows.map((r) => r.name)).toEqual(['items', 'label']);
    const byPath = await s.api.getRows({ docId, message: 0, start: 0, count: 100, filter: 'items.count' });
    expect(byPath.rows.filter((r) => r.name === 'count')).toHaveLength(2);
  });

  it('reads and applies JSON, with positioned errors', async () => {
    const s = session();
    const { docId } = await s.api.openBytes({ name: 'box.bin', bytes: boxBytes() });
    const { text } = await s.api.getText({ docId, message: 0, format: 'json' });
    const json = JSON.parse(text) as Record<string, unknown>;
    expect(json).toMatchObject({ name: 'crate', size: 12, kind: 'LARGE' });
    const bad = await s.api.setText({ docId, message: 0, format: 'json', text: text.replace('"size": 12', '"size": "x"') });
    expect(bad.ok).toBe(false);
    expect(bad.errors[0]).toMatchObject({ line: 3 });
    const ok = await s.api.setText({ docId, message: 0, format: 'json', text: JSON.stringify({ ...json, name: 'from json' }) });
    expect(ok.ok).toBe(true);
    expect((await s.api.getRows({ docId, message: 0, start: 0, count: 1 })).rows[0].preview).toBe('"from json"');
    await s.api.undo({ docId });
    expect((await s.api.getRows({ docId, message: 0, start: 0, count: 1 })).rows[0].preview).toBe('"crate"');
  });

  it('finds a node in the JSON text (for revealing the selection there)', async () => {
    const s = session();
    const { docId } = await s.api.openBytes({ name: 'box.bin', bytes: boxBytes() });
    const lines = (await s.api.getText({ docId, message: 0, format: 'json' })).text.split('\n');
    const at = async (path: number[]) => {
      const p = await s.api.jsonPosition({ docId, message: 0, path });
      return p ? lines[p.line - 1].trim() : null;
    };
    expect(await at([3, 0])).toBe('"label": "pear",');
    expect(await at([1])).toBe('"size": 12,');
    expect(await at([4, 1])).toMatch(/^300/);
  });

  it('saves in place and with Save As, and remembers the chosen type per file', async () => {
    const files = memoryFiles({ '/data/box.bin': boxBytes() });
    const s = session(files.host);
    const { docId } = await s.api.openPath({ path: '/data/box.bin' });
    await s.api.setType({ docId, typeName: null });
    expect(files.state.get('type:/data/box.bin')).toBe(null);
    await s.api.setType({ docId, typeName: 't.Box' });
    await s.api.edit({ docId, message: 0, edit: { op: 'set', path: [1], value: 99 } });
    const saved = await s.api.save({ docId });
    expect(saved.dirty).toBe(false);
    expect(files.disk.get('/data/box.bin')![8]).toBe(99);
    const dropped = await s.api.openBytes({ name: 'dropped.bin', bytes: boxBytes() });
    await expect(s.api.save({ docId: dropped.docId })).rejects.toThrow(/Save As/);
    const as = await s.api.saveAs({ docId: dropped.docId, path: 'out/copy.bin' });
    expect(as).toMatchObject({ path: '/work/out/copy.bin', name: 'copy.bin', dirty: false });
    expect(await s.api.recentFiles({})).toEqual(['/work/out/copy.bin', '/data/box.bin']);
    // Opened again: the remembered type wins over detection.
    files.state.set('type:/data/box.bin', 't.Item');
    expect((await s.api.openPath({ path: '/data/box.bin' })).typeName).toBe('t.Item');
  });

  it('opens a delimited stream as a message list, edits one message and saves the stream', async () => {
    const files = memoryFiles();
    const s = session(files.host);
    const one = boxBytes();
    const w = new WireWriter();
    for (let i = 0; i < 5; i++) w.uvarint(one.length).raw(one); // varint length prefix, then a t.Box
    const { docId, framing, messageCount, typeName } = await s.api.openBytes({ name: 'boxes.delimited', bytes: w.finish().slice() });
    expect({ framing, messageCount, typeName }).toEqual({ framing: 'varint-delimited', messageCount: 5, typeName: 't.Box' });
    const page = await s.api.getStream({ docId, start: 0, count: 10 });
    expect(page.items.map((i) => i.length)).toEqual([one.length, one.length, one.length, one.length, one.length]);
    await s.api.edit({ docId, message: 3, edit: { op: 'set', path: [0], value: 'x' } });
    expect((await s.api.getRows({ docId, message: 3, start: 0, count: 1 })).rows[0].preview).toBe('"x"');
    expect((await s.api.getRows({ docId, message: 2, start: 0, count: 1 })).rows[0].preview).toBe('"crate"');
    await s.api.saveAs({ docId, path: '/o.delimited' });
    const again = await s.api.openPath({ path: '/o.delimited' });
    expect(again.messageCount).toBe(5);
    expect((await s.api.getRows({ docId: again.docId, message: 3, start: 0, count: 1 })).rows[0].preview).toBe('"x"');
  });

  it('shows unknown fields with candidate readings and an interpretation', async () => {
    const s = session();
    const w = new WireWriter();
    w.tag(1, WireType.LEN).lengthDelimited(utf8('crate')); // string name = 1
    const inner = new WireWriter().tag(1, WireType.LEN).lengthDelimited(utf8('hi')).finish().slice();
    w.tag(40, WireType.LEN).uvarint(inner.length).raw(inner); // unknown field 40: a message
    const { docId } = await s.api.openBytes({ name: 'u.bin', bytes: w.finish().slice() });
    await s.api.setType({ docId, typeName: 't.Box' });
    let rows = (await s.api.getRows({ docId, message: 0, start: 0, count: 10 })).rows;
    expect(rows[1]).toMatchObject({ kind: 'unknown', number: 40 });
    expect(rows[1].readings?.map((r) => r.as)).toContain('message');
    await s.api.edit({ docId, message: 0, edit: { op: 'interpret', path: [1], as: 'message' } });
    rows = (await s.api.getRows({ docId, message: 0, start: 0, count: 10 })).rows;
    expect(rows[1]).toMatchObject({ interpretedAs: 'message', expandable: true, expanded: true });
    expect(rows[2]).toMatchObject({ depth: 1, kind: 'unknown', number: 1 });
  });

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

  it('shows a truncated message as far as it parses, with the rest as raw bytes and the reason', async () => {
    const s = session();
    const whole = boxBytes();
    const { docId } = await s.api.openBytes({ name: 'cut.bin', bytes: whole.subarray(0, 15) }); // ends inside items[0] (bytes 9..20)
    const sum = await s.api.setType({ docId, typeName: 't.Box' });
    expect(sum.error).toMatch(/byte \d+/);
    const rows = (await s.api.getRows({ docId, message: 0, start: 0, count: 10 })).rows;
    expect(rows.map((r) => r.kind)).toEqual(['scalar', 'scalar', 'raw-bytes']);
  });

  it('finds types by search, best matches first', async () => {
    const s = session();
    const types = await s.api.listTypes({ query: 'item' });
    expect(types[0].name).toBe('t.Item');
    const box = schemas.find('t.Box') as Type;
    expect(box.name).toBe('Box');
  });
});
