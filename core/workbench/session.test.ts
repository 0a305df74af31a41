import { describe, expect, it } from 'vitest';
import type { Type } from 'protobufjs';
import { loadSchemaSources } from '../schema/registry';
import { WireWriter } from '../wire/wire-writer';
import { WireType } from '../wire/wire-types';
import type { AppEvent, SchemaStatus } from '../api/contract';
import { decodeTagged, encodeTagged } from '../api/tagged-json';
import type { FileHost, RecoveryHistory, RecoveryMeta, RecoveryStore, SchemaHost, Schemas } from './engine';
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
    writeAtomic: async (p, b) =>
      void disk.set(p, b instanceof Uint8Array ? b.slice() : new Uint8Array((b as Uint8Array[]).flatMap((x) => [...x]))),
    resolve: (p) => (p.startsWith('/') ? p : `/work/${p}`),
    basename: (p) => p.slice(p.lastIndexOf('/') + 1),
    getState: <T>(k: string) => state.get(k) as T | undefined,
    setState: (k, v) => void state.set(k, v),
  };
  return { host, disk, state };
}

/** A t.Box: name "crate", size 12, two items, packed codes [1, 300], open true, kind LARGE. */
function boxBytes(): Uint8Array {
  const item = (label: string, count: bigint) =>
    new WireWriter().tag(1, WireType.LEN).lengthDelimited(utf8(label)).tag(2, WireType.VARINT).varint64(count).finish().slice();
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

  it('keeps the last 1,000 undo steps, and undo stops where the document history does', async () => {
    const s = session();
    const { docId } = await s.api.openBytes({ name: 'box.bin', bytes: boxBytes() });
    const sizeShown = async () => (await s.api.getRows({ docId, message: 0, start: 1, count: 1 })).rows[0].value;
    // 1,005 edits of `size` (to 1 … 1005): the first five can no longer be undone.
    for (let i = 1; i <= 1005; i++) await s.api.edit({ docId, message: 0, edit: { op: 'set', path: [1], value: i } });
    let undone = 0;
    let sum = await s.api.getSummary({ docId });
    while (sum.canUndo) {
      sum = await s.api.undo({ docId });
      undone++;
    }
    expect(undone).toBe(1000);
    // Back to the state after the fifth edit, which differs from the file: still unsaved.
    expect(await sizeShown()).toBe(5);
    expect(sum.dirty).toBe(true);
    // Redo goes forward through all of them.
    for (let i = 0; i < 1000; i++) sum = await s.api.redo({ docId });
    expect(await sizeShown()).toBe(1005);
    expect(sum.canRedo).toBe(false);
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

  it('undoes and redoes across the messages of a stream in the order the edits were made', async () => {
    const s = session();
    const one = boxBytes();
    const w = new WireWriter();
    for (let i = 0; i < 5; i++) w.uvarint(one.length).raw(one); // varint length prefix, then a t.Box
    const file = w.finish().slice();
    const { docId } = await s.api.openBytes({ name: 'boxes.delimited', bytes: file });
    const names = async () => {
      const out: string[] = [];
      for (let i = 0; i < 5; i++) out.push((await s.api.getRows({ docId, message: i, start: 0, count: 1 })).rows[0].preview);
      return out.join(' ');
    };
    await s.api.edit({ docId, message: 3, edit: { op: 'set', path: [0], value: 'x' } });
    await s.api.edit({ docId, message: 1, edit: { op: 'set', path: [0], value: 'y' } });
    expect((await s.api.getStream({ docId, start: 0, count: 5 })).items.map((i) => i.preview.endsWith('(edited)'))).toEqual([
      false,
      true,
      false,
      true,
      false,
    ]);
    const { text } = await s.api.getText({ docId, message: 3, format: 'json' });
    expect((await s.api.setText({ docId, message: 3, format: 'json', text: text.replace('"x"', '"z"') })).ok).toBe(true);
    expect(await names()).toBe('"crate" "y" "crate" "z" "crate"');
    await s.api.undo({ docId });
    expect(await names()).toBe('"crate" "y" "crate" "x" "crate"');
    await s.api.undo({ docId });
    expect(await names()).toBe('"crate" "crate" "crate" "x" "crate"');
    const back = await s.api.undo({ docId });
    expect(back).toMatchObject({ dirty: false, canUndo: false, canRedo: true });
    expect((await s.api.getFileBytes({ docId })).bytes).toEqual(file);
    await s.api.redo({ docId });
    await s.api.redo({ docId });
    expect(await names()).toBe('"crate" "y" "crate" "x" "crate"');
    const again = await s.api.redo({ docId });
    expect(again).toMatchObject({ dirty: true, canRedo: false });
    expect(await names()).toBe('"crate" "y" "crate" "z" "crate"');
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

/** A t.Box with `n` items (label "item-<i>", count i): 1 + 3n nodes, the items being nested messages. */
function manyItems(n: number): Uint8Array {
  const w = new WireWriter();
  w.tag(1, WireType.LEN).lengthDelimited(utf8('crate')); // string name = 1
  for (let i = 0; i < n; i++) {
    const item = new WireWriter()
      .tag(1, WireType.LEN)
      .lengthDelimited(utf8(`item-${i}`))
      .tag(2, WireType.VARINT)
      .uvarint(i)
      .finish()
      .slice();
    w.tag(3, WireType.LEN).uvarint(item.length).raw(item); // Item items = 3 { label = 1, count = 2 }
  }
  return w.finish().slice();
}

/** A scheduler whose clock moves 100 ms per reading; counts the yields of long operations. */
function fakeClock() {
  let t = 0;
  const clock = {
    yields: 0,
    scheduler: {
      after: () => () => undefined,
      every: () => () => undefined,
      now: () => (t += 100),
      yieldToEvents: async () => {
        clock.yields++;
      },
    },
  };
  return clock;
}

const names = (rows: readonly { depth: number; name: string }[]) => rows.map((r) => `${'.'.repeat(r.depth)}${r.name}`);

describe('workbench session: big messages', () => {
  it('decodes a big message lazily: nested messages when opened, the same rows as an eager decode', async () => {
    const bytes = manyItems(200); // 601 nodes: too many to open expanded
    const lazy = createSession({ engine: createCoreEngine(), schemas: schemaHost, files: memoryFiles().host, lazyAboveBytes: 0 });
    const eager = session();
    const a = await lazy.api.openBytes({ name: 'big.bin', bytes });
    const b = await eager.api.openBytes({ name: 'big.bin', bytes });
    // The lazy tree counts only what it has read: the top level.
    const first = await lazy.api.getRows({ docId: a.docId, message: 0, start: 0, count: 100 });
    expect(first).toMatchObject({ total: 201, nodeCount: 201, nodeCountPartial: true });
    const eagerFirst = await eager.api.getRows({ docId: b.docId, message: 0, start: 0, count: 100 });
    expect(eagerFirst.nodeCount).toBe(601);
    expect(eagerFirst.nodeCountPartial).toBeUndefined();
    expect(first.rows).toEqual(eagerFirst.rows);
    expect(first.rows[2]).toMatchObject({ preview: '{2 fields}', repeated: { index: 1, count: 200 } });
    // Opening one item decodes it; Expand all reads the rest.
    await lazy.api.setExpanded({ docId: a.docId, message: 0, path: [2], expanded: true });
    expect(names((await lazy.api.getRows({ docId: a.docId, message: 0, start: 2, count: 3 })).rows)).toEqual(['items', '.label', '.count']);
    for (const s of [lazy, eager])
      await s.api.setExpanded({ docId: s === lazy ? a.docId : b.docId, message: 0, path: [], expanded: true, all: true });
    const after = await lazy.api.getRows({ docId: a.docId, message: 0, start: 0, count: 2000 });
    expect(after.nodeCount).toBe(601);
    expect(after.nodeCountPartial).toBeUndefined();
    expect(after.rows).toEqual((await eager.api.getRows({ docId: b.docId, message: 0, start: 0, count: 2000 })).rows);
    // An edit inside a nested message of the lazy tree, undone: the bytes are the input again.
    await lazy.api.edit({ docId: a.docId, message: 0, edit: { op: 'set', path: [2, 0], value: 'x' } });
    expect((await lazy.api.getRows({ docId: a.docId, message: 0, start: 5, count: 1 })).rows[0]).toMatchObject({
      preview: '"x"',
      modified: true,
    });
    await lazy.api.undo({ docId: a.docId });
    expect((await lazy.api.getBytes({ docId: a.docId, message: 0, start: 0, end: 1 << 20 })).bytes).toEqual(bytes);
  });

  it('expands a big tree in chunks that yield, with progress events after 200 ms and a last one at the end', async () => {
    const clock = fakeClock();
    const s = createSession({
      engine: createCoreEngine(),
      schemas: schemaHost,
      files: memoryFiles().host,
      scheduler: clock.scheduler,
      lazyAboveBytes: 0,
    });
    const { docId } = await s.api.openBytes({ name: 'big.bin', bytes: manyItems(30_000) });
    const events: AppEvent[] = [];
    s.onEvent((e) => events.push(e));
    clock.yields = 0;
    const { total } = await s.api.setExpanded({ docId, message: 0, path: [], expanded: true, all: true });
    expect(total).toBe(90_001);
    expect(clock.yields).toBeGreaterThan(0);
    const progress = events.filter((e) => e.kind === 'progress');
    expect(progress.length).toBeGreaterThan(1);
    expect(progress[0]).toMatchObject({ kind: 'progress', docId, label: 'Expanding' });
    expect(progress.at(-1)).toMatchObject({ done: 1, total: 1 });
    expect(progress.slice(0, -1).every((e) => e.kind === 'progress' && e.done < e.total)).toBe(true);
    const last = await s.api.getRows({ docId, message: 0, start: total - 1, count: 1 });
    expect(last).toMatchObject({ nodeCount: 90_001, rows: [{ name: 'count', value: 29_999n }] });
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

  it('cancels expand all from its progress event: the request fails saying so and the tree stays collapsed', async () => {
    const clock = fakeClock();
    const s = createSession({
      engine: createCoreEngine(),
      schemas: schemaHost,
      files: memoryFiles().host,
      scheduler: clock.scheduler,
      lazyAboveBytes: 0,
    });
    const { docId } = await s.api.openBytes({ name: 'big.bin', bytes: manyItems(30_000) });
    s.onEvent((e) => {
      if (e.kind === 'progress' && e.taskId && e.done < e.total) void s.api.cancelTask({ taskId: e.taskId });
    });
    await expect(s.api.setExpanded({ docId, message: 0, path: [], expanded: true, all: true })).rejects.toThrow(
      /^Expanding was cancelled$/,
    );
    const rows = await s.api.getRows({ docId, message: 0, start: 0, count: 3 });
    expect(rows.total).toBe(30_001);
    expect(rows.rows.map((r) => r.expanded)).toEqual([false, false, false]);
    expect(await s.api.cancelTask({ taskId: 'no-such-task' })).toEqual({ cancelled: false });
    // A filter walks everything: cancelled the same way.
    await expect(s.api.getRows({ docId, message: 0, start: 0, count: 10, filter: 'item-29999' })).rejects.toThrow(
      /^Filtering was cancelled$/,
    );
  });
});

describe('workbench session: bombs', () => {
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

  it('shows a message nested a million levels deep down to the depth limit, then says why it stops', async () => {
    const registry2 = loadSchemaSources([{ name: 'n.proto', contents: 'syntax = "proto3"; package n; message Node { Node child = 1; }' }]);
    const nodeType = registry2.findMessage('n.Node')!;
    // Built from the inside out: each level is `Node child = 1` (tag 0x0a, varint length) around the one below.
    const levels = 1_000_000;
    const buf = new Uint8Array(levels * 5); // tag + a varint length of up to 4 bytes
    let start = buf.length;
    for (let i = 0; i < levels; i++) {
      const len = buf.length - start;
      const prefix = new WireWriter().tag(1, WireType.LEN).uvarint(len).finish();
      start -= prefix.length;
      buf.set(prefix, start);
    }
    const bytes = buf.subarray(start);
    // Without a schema the nesting is not followed: one unknown field holding the bytes.
    const s = session();
    const { docId } = await s.api.openBytes({ name: 'deep.bin', bytes });
    await s.api.setType({ docId, typeName: null });
    expect((await s.api.getRows({ docId, message: 0, start: 0, count: 10 })).rows.map((r) => r.kind)).toEqual(['unknown']);
    const withType = createSession({
      engine: createCoreEngine(),
      files: memoryFiles().host,
      schemas: { ...schemaHost, current: () => ({ ...schemas, find: (n) => (n === 'n.Node' ? nodeType : null) }) },
    });
    const d = await withType.api.openBytes({ name: 'deep.bin', bytes });
    await withType.api.setType({ docId: d.docId, typeName: 'n.Node' });
    const { total } = await withType.api.setExpanded({ docId: d.docId, message: 0, path: [], expanded: true, all: true });
    const rows = (await withType.api.getRows({ docId: d.docId, message: 0, start: 0, count: 2000 })).rows;
    expect(total).toBeLessThan(110);
    const stop = rows.find((r) => r.warnings?.length);
    expect(stop?.warnings?.[0]).toMatch(/^cannot decode: .*byte \d+.*nested at most 100 deep/);
    expect(rows.at(-1)?.kind).toBe('raw-bytes');
  });

  it('reports a length prefix of 2^32 where it is, and shows what comes before', async () => {
    const w = new WireWriter();
    w.tag(1, WireType.LEN).lengthDelimited(utf8('crate')); // string name = 1
    w.tag(3, WireType.LEN)
      .uvarint(2 ** 32)
      .raw(utf8('abc')); // Item items = 3, claiming 4 GiB
    const s = session();
    const { docId } = await s.api.openBytes({ name: 'len.bin', bytes: w.finish().slice() });
    const sum = await s.api.setType({ docId, typeName: 't.Box' });
    expect(sum.error).toMatch(/byte 8.*of 4294967296 bytes, but only 3 remain/);
    const rows = (await s.api.getRows({ docId, message: 0, start: 0, count: 10 })).rows;
    expect(rows.map((r) => r.kind)).toEqual(['scalar', 'raw-bytes']);
  });

  it('opens a million tiny fields, and stops at the node limit with a message saying so', async () => {
    const n = 1_000_000;
    const bytes = new Uint8Array(2 * n);
    for (let i = 0; i < n; i++) bytes.set([0x10, 0x01], 2 * i); // uint32 size = 2: 1 (tag 0x10, varint 1)
    const s = session();
    const { docId } = await s.api.openBytes({ name: 'tiny.bin', bytes });
    await s.api.setType({ docId, typeName: 't.Box' });
    const page = await s.api.getRows({ docId, message: 0, start: n - 1, count: 5 });
    expect(page).toMatchObject({ total: n, rows: [{ name: 'size', value: 1 }] });
    const limited = createSession({ engine: createCoreEngine(), schemas: schemaHost, files: memoryFiles().host, maxNodes: 1000 });
    const l = await limited.api.openBytes({ name: 'tiny.bin', bytes });
    const sum = await limited.api.setType({ docId: l.docId, typeName: 't.Box' });
    expect(sum.error).toMatch(/byte 2000 \(size\): at most 1000 nodes \(decode limit\)/);
    expect((await limited.api.getRows({ docId: l.docId, message: 0, start: 0, count: 1 })).total).toBe(1001);
  });
});

/**
 * A recovery journal in memory, shared by the sessions made from it; each session sees only the
 * others' entries (as after a crash). What it keeps goes through tagged JSON, as on disk.
 */
function memoryJournal() {
  const entries = new Map<string, { text: string; bytes: Uint8Array }>();
  let sessions = 0;
  const store = (): RecoveryStore => {
    const own = `s${++sessions}`;
    const others = () => [...entries.keys()].filter((k) => !k.startsWith(`${own}-`));
    const read = (id: string) => {
      const e = entries.get(id);
      if (!e || !others().includes(id)) throw new Error(`no recoverable document ${id}`);
      return { ...decodeTagged<{ meta: RecoveryMeta; history?: RecoveryHistory }>(e.text), bytes: e.bytes };
    };
    return {
      write: async (docId, meta, bytes, history) => {
        const parts = bytes instanceof Uint8Array ? [bytes] : bytes;
        entries.set(`${own}-${docId}`, { text: encodeTagged({ meta, history }), bytes: new Uint8Array(parts.flatMap((p) => [...p])) });
      },
      remove: async (docId) => void entries.delete(`${own}-${docId}`),
      list: async () => others().map((id) => ({ id, meta: read(id).meta, size: entries.get(id)!.bytes.length })),
      read: async (id) => read(id),
      discard: async (id) => void entries.delete(id),
    };
  };
  return {
    entries,
    session: () => createSession({ engine: createCoreEngine(), schemas: schemaHost, files: memoryFiles().host, recovery: store() }),
  };
}

/** Whether each row is marked modified, by its name (with its repeated index). */
async function marks(s: ReturnType<typeof session>, docId: string): Promise<string[]> {
  const { rows } = await s.api.getRows({ docId, message: 0, start: 0, count: 100 });
  return rows.filter((r) => r.modified).map((r) => `${r.name}${r.repeated ? `[${r.repeated.index}]` : ''}`);
}

describe('workbench session: crash recovery', () => {
  it('brings back a document with its edit marks and its undo and redo history', async () => {
    const journal = memoryJournal();
    const s1 = journal.session();
    const { docId } = await s1.api.openBytes({ name: 'box.bin', bytes: boxBytes() });
    const json =
      '{"name": "crate", "size": 99, "items": [{"label": "apple", "count": "3"}, {"label": "pear", "count": "9"}], "codes": [1, 300], "open": true, "kind": "LARGE"}';
    expect((await s1.api.setText({ docId, message: 0, format: 'json', text: json })).ok).toBe(true);
    await s1.api.edit({ docId, message: 0, edit: { op: 'set', path: [0], value: 'bin' } });
    await s1.api.edit({ docId, message: 0, edit: { op: 'set', path: [3, 1], value: 2n ** 60n } }); // items[1].count, a BigInt
    await s1.api.edit({ docId, message: 0, edit: { op: 'set', path: [0], value: 'tin' } });
    await s1.api.undo({ docId }); // "tin" is undone: redo brings it back
    const edited = (await s1.api.getFileBytes({ docId })).bytes;
    expect(await marks(s1, docId)).toEqual(['name', 'items[1]', 'count']);
    await s1.flushRecovery();
    s1.dispose();

    const s2 = journal.session();
    const [entry] = await s2.api.listRecoverable({});
    const sum = await s2.api.recover({ id: entry.id });
    expect(sum).toMatchObject({ dirty: true, canUndo: true, canRedo: true });
    expect((await s2.api.getFileBytes({ docId: sum.docId })).bytes).toEqual(edited);
    expect(await marks(s2, sum.docId)).toEqual(['name', 'items[1]', 'count']);
    expect((await s2.api.getRows({ docId: sum.docId, message: 0, start: 0, count: 100 })).rows.find((r) => r.name === 'size')?.value).toBe(
      99,
    );
    await s2.api.redo({ docId: sum.docId });
    expect((await s2.api.getRows({ docId: sum.docId, message: 0, start: 0, count: 1 })).rows[0]).toMatchObject({
      preview: '"tin"',
      modified: true,
    });
    // Undo all the way: the bytes first opened, the edit marks gone, nothing unsaved.
    for (let i = 0; i < 4; i++) await s2.api.undo({ docId: sum.docId });
    expect((await s2.api.getFileBytes({ docId: sum.docId })).bytes).toEqual(boxBytes());
    expect(await marks(s2, sum.docId)).toEqual([]);
    expect(await s2.api.getSummary({ docId: sum.docId })).toMatchObject({ dirty: false, canUndo: false });
  });

  it('after many edits keeps the marks, not every edit: the journal does not grow with the history', async () => {
    const journal = memoryJournal();
    const s1 = journal.session();
    const { docId } = await s1.api.openBytes({ name: 'box.bin', bytes: boxBytes() });
    await s1.api.edit({ docId, message: 0, edit: { op: 'set', path: [3, 0], value: 'plum' } }); // items[1].label
    const sizes: number[] = [];
    for (let i = 1; i <= 10_000; i++) {
      await s1.api.edit({ docId, message: 0, edit: { op: 'set', path: [1], value: i } });
      if (i % 2500 === 0) {
        await s1.flushRecovery();
        sizes.push(journal.entries.get(`s1-${docId}`)!.text.length);
      }
    }
    const edited = (await s1.api.getFileBytes({ docId })).bytes;
    s1.dispose();
    // The same small entry at 2,500 edits and at 10,000 (the paths of the marks, not the edits).
    expect(new Set(sizes).size).toBe(1);
    expect(sizes[0]).toBeLessThan(1000);

    const s2 = journal.session();
    const sum = await s2.api.recover({ id: (await s2.api.listRecoverable({}))[0].id });
    expect(sum).toMatchObject({ dirty: true, canUndo: false });
    expect((await s2.api.getFileBytes({ docId: sum.docId })).bytes).toEqual(edited);
    expect(await marks(s2, sum.docId)).toEqual(['size', 'items[1]', 'label']);
  });

  it('recovers the journaled bytes even when the history no longer gives them (then without it)', async () => {
    const journal = memoryJournal();
    const s1 = journal.session();
    const { docId } = await s1.api.openBytes({ name: 'box.bin', bytes: boxBytes() });
    await s1.api.edit({ docId, message: 0, edit: { op: 'set', path: [0], value: 'bin' } });
    const edited = (await s1.api.getFileBytes({ docId })).bytes;
    await s1.flushRecovery();
    // The recorded edit no longer matches the bytes (as when the schema changed between the sessions).
    const key = `s1-${docId}`;
    const e = journal.entries.get(key)!;
    journal.entries.set(key, { ...e, text: e.text.replace('"value":"bin"', '"value":"tin"') });

    const s2 = journal.session();
    const sum = await s2.api.recover({ id: (await s2.api.listRecoverable({}))[0].id });
    expect((await s2.api.getFileBytes({ docId: sum.docId })).bytes).toEqual(edited);
    expect(sum).toMatchObject({ dirty: true, canUndo: false });
    expect(await marks(s2, sum.docId)).toEqual(['name']);
  });
});
