import { describe, expect, it } from 'vitest';
import { loadSchemaSources } from '../../schema/registry';
import { WireWriter } from '../../wire/wire-writer';
import { WireType } from '../../wire/wire-types';
import { createCoreEngine } from '../core-engine';
import { createSession } from './session';
import { DocumentHistory } from './document-history';
import { createOpenDocuments } from './open-documents';
import { boxBytes, manyItems, memoryFiles, names, schemaHost, schemas, session, utf8 } from './test-session';

describe('session open documents and their messages', () => {
  it('opens a delimited stream as a message list, edits one message and saves the stream', async () => {
    const files = memoryFiles();
    const s = session(files.host);
    const one = boxBytes();
    const w = new WireWriter();
    for (let i = 0; i < 5; i++) w.uvarint(one.length).raw(one); // varint length prefix, then a t.Box
    const { docId, framing, messageCount, typeName } = await s.api.openBytes({ name: 'boxes.delimited', bytes: w.finish().slice() });
    expect({ framing, messageCount, typeName }).toEqual({ framing: 'delimited', messageCount: 5, typeName: 't.Box' });
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

  it('gives as the size the bytes a save would write now: after an edit, an undo and a save', async () => {
    const files = memoryFiles();
    const s = session(files.host);
    const bytes = boxBytes();
    const { docId, size } = await s.api.openBytes({ name: 'box.bin', bytes });
    expect(size).toBe(bytes.length);
    // "crate" (5 bytes) becomes 21 bytes: 16 more, and the summary says so before any save.
    const edited = await s.api.edit({ docId, message: 0, edit: { op: 'set', path: [0], value: 'a much longer crate!' } });
    expect(edited.size).toBe(bytes.length + 15);
    await s.api.saveAs({ docId, path: '/box.bin' });
    const written = files.disk.get('/box.bin')!;
    expect(written.length).toBe(bytes.length + 15);
    expect((await s.api.listDocuments({})).find((d) => d.docId === docId)?.size).toBe(written.length);
    expect((await s.api.undo({ docId })).size).toBe(bytes.length);

    // In a stream only the edited message's length (and its prefix) changes.
    const w = new WireWriter();
    for (let i = 0; i < 3; i++) w.uvarint(bytes.length).raw(bytes);
    const stream = w.finish().slice();
    const st = await s.api.openBytes({ name: 'boxes.delimited', bytes: stream });
    expect(st.size).toBe(stream.length);
    const after = await s.api.edit({ docId: st.docId, message: 1, edit: { op: 'set', path: [0], value: '' } });
    expect(after.size).toBe(stream.length - 5);
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
    expect(sum.error).toMatch(
      /^at byte 8 \(items\[0\]\): a length prefix of 4294967296 bytes .*, but only 3 bytes remain — the length prefix is wrong/,
    );
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
    expect(sum.error).toMatch(/^at byte 2000 \(size\): more than 1000 fields and values; the decoder reads 1000 at most — /);
    expect((await limited.api.getRows({ docId: l.docId, message: 0, start: 0, count: 1 })).total).toBe(1001);
  });

  it('opens a message of a stream when it is first asked for, and frames the file from the opened ones', async () => {
    const engine = createCoreEngine();
    const opened: number[] = [];
    const counting = { ...engine, open: (...a: Parameters<typeof engine.open>) => (opened.push(a[0].length), engine.open(...a)) };
    const documents = createOpenDocuments(counting, { lazyAboveBytes: 1 << 20, maxNodes: 1000 });
    const one = boxBytes();
    const w = new WireWriter();
    for (let i = 0; i < 3; i++) w.uvarint(one.length).raw(one); // varint length prefix, then a t.Box
    const file = w.finish().slice();
    const d = {
      id: documents.nextId(),
      name: 'boxes',
      path: null,
      source: file,
      index: engine.index(file),
      type: schemas.find('t.Box'),
      typeSource: null,
      missingType: null,
      candidates: [],
      messages: new Map(),
      history: new DocumentHistory(true),
      version: 1,
      disk: null,
      diskReported: null,
      saving: 0,
      diskHash: null,
      diskProbe: null,
    };
    documents.add(d);
    expect(documents.get(d.id)).toBe(d);
    expect(() => documents.get('d404')).toThrow('no open document d404');
    expect(() => documents.message(d, 3)).toThrow('message 3 is out of range (0..2)');
    expect(documents.fileParts(d)).toHaveLength(1); // nothing opened or edited: the file as read, one view of it
    expect(documents.fileBytes(d)).toEqual(file);
    const m = documents.message(d, 1);
    expect(documents.message(d, 1)).toBe(m);
    expect(opened).toEqual([one.length]);
    m.doc = m.doc.edit({ op: 'set', path: [0], value: 'x' });
    const edited = documents.fileBytes(d);
    expect(edited.length).toBe(file.length - 4); // "crate" became "x"
    expect(documents.summary(d)).toMatchObject({ messageCount: 3, framing: 'delimited', typeName: 't.Box' });
    documents.reset(d, edited);
    expect(d.messages.size).toBe(0);
    expect(documents.summary(d)).toMatchObject({ size: edited.length, dirty: true, canUndo: false });
    expect(documents.remove(d.id)).toBe(true);
    expect(documents.all()).toEqual([]);
  });
});
