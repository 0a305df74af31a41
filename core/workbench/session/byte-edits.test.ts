import { describe, expect, it } from 'vitest';
import { runProtoc } from '../../../testing/protoc';
import { createCoreEngine } from '../core-engine';
import { createSession } from './session';
import { boxBytes, memoryFiles, memoryJournal, schemaHost, session, utf8 } from './test-session';

// boxBytes(), byte by byte (46 bytes):
//   [0..7)   0a 05 "crate"         string name = 1
//   [7..9)   10 0c                 uint32 size = 2: 12
//   [9..20)  1a 09 { 0a 05 "apple" 10 03 }      Item items = 3 (label, count 3)
//   [20..37) 1a 0f { 0a 04 "pear" 10 <8 bytes> } Item items = 3 (count 2^53+1)
//   [37..42) 22 03 01 ac 02        packed int32 codes = 4: 1, 300
//   [42..44) 28 01                 bool open = 5
//   [44..46) 30 02                 Kind kind = 6: LARGE

const raw = (b: Uint8Array) => runProtoc(['--decode_raw'], b).toString('latin1');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

async function opened() {
  const s = session();
  const { docId } = await s.api.openBytes({ name: 'box.bin', bytes: boxBytes() });
  await s.api.setType({ docId, typeName: 't.Box' });
  const file = async () => (await s.api.getFileBytes({ docId })).bytes;
  const rows = async () => (await s.api.getRows({ docId, message: 0, start: 0, count: 100 })).rows;
  return { s, docId, file, rows };
}

describe('hex edits (editBytes)', () => {
  it('overwrites, inserts and deletes bytes; the tree decodes the new bytes; each is one undo step', async () => {
    const { s, docId, file, rows } = await opened();
    let sum = await s.api.editBytes({ docId, message: 0, at: 2, remove: 1, insert: utf8('C') }); // overwrite 'c'
    expect(sum).toMatchObject({ dirty: true, canUndo: true });
    expect((await rows())[0].preview).toBe('"Crate"');
    await s.api.editBytes({ docId, message: 0, at: 7, remove: 2, insert: new Uint8Array() }); // delete size = 12
    expect((await rows()).map((r) => r.name)).not.toContain('size');
    await s.api.editBytes({ docId, message: 0, at: 7, remove: 0, insert: new Uint8Array([0x10, 0x2a]) }); // insert size = 42
    expect((await rows())[1]).toMatchObject({ name: 'size', value: 42 });
    expect(raw(await file())).toContain('2: 42');
    await s.api.undo({ docId });
    await s.api.undo({ docId });
    sum = await s.api.undo({ docId });
    expect(sum).toMatchObject({ dirty: false, canUndo: false });
    expect(await file()).toEqual(boxBytes());
  });

  it('keeps what no longer decodes as raw bytes, placed and explained', async () => {
    const { s, docId, rows } = await opened();
    const sum = await s.api.editBytes({ docId, message: 0, at: 46, remove: 0, insert: new Uint8Array([0x08]) }); // a tag with no value
    expect(sum.error).toMatch(/at byte 47/);
    const last = (await rows()).at(-1)!;
    expect(last).toMatchObject({ kind: 'raw-bytes', span: { start: 46 } });
    expect(last.anomalies?.[0]).toMatch(/^bytes 46 to 47 do not decode: at byte 47 \(name\): the bytes end inside a varint .*cut short/);
    const { anomalies } = await s.api.getAnomalies({ docId, message: 0 });
    expect(anomalies).toEqual([expect.objectContaining({ kind: 'undecodable', offset: 46, end: 47, path: [7] })]);
  });

  it('marks a row’s anomaly in a lazily decoded message, with every node expanded, without reading the rest', async () => {
    const s = createSession({ engine: createCoreEngine(), schemas: schemaHost, files: memoryFiles().host, lazyAboveBytes: 0 });
    const bytes = boxBytes();
    // The first item's count (3) written as an overlong varint: 83 00 instead of 03, the item's length one more.
    const crafted = Uint8Array.from([...bytes.subarray(0, 9), 0x1a, 0x0a, ...bytes.subarray(11, 19), 0x83, 0x00, ...bytes.subarray(20)]);
    const { docId } = await s.api.openBytes({ name: 'box.bin', bytes: crafted });
    await s.api.setType({ docId, typeName: 't.Box' });
    const { total } = await s.api.setExpanded({ docId, message: 0, path: [], expanded: true, all: true });
    const rows = (await s.api.getRows({ docId, message: 0, start: 0, count: total })).rows;
    const count = rows.find((r) => r.name === 'count')!;
    expect(count).toMatchObject({ depth: 1, value: 3n });
    expect(count.anomalies).toEqual(['overlong value varint: 2 bytes where 1 hold 3']);
    expect(rows.filter((r) => r.anomalies).length).toBe(1);
  });

  it('refuses edits outside the message, saying where it ends', async () => {
    const { s, docId } = await opened();
    await expect(s.api.editBytes({ docId, message: 0, at: 47, remove: 0, insert: utf8('x') })).rejects.toThrow(/past the end .*46 bytes/);
    await expect(s.api.editBytes({ docId, message: 0, at: 40, remove: 10, insert: utf8('x') })).rejects.toThrow(/ends 6 bytes later/);
  });

  it('finds byte patterns forwards and backwards, wrapping around', async () => {
    const { s, docId } = await opened();
    const find = (pattern: Uint8Array, from: number, backwards?: boolean) =>
      s.api.findBytes({ docId, message: 0, pattern, from, ...(backwards ? { backwards } : {}) });
    expect(await find(new Uint8Array([0x1a]), 0)).toEqual({ offset: 9 });
    expect(await find(new Uint8Array([0x1a]), 10)).toEqual({ offset: 20 });
    expect(await find(new Uint8Array([0x1a]), 21)).toEqual({ offset: 9 }); // wrapped
    expect(await find(new Uint8Array([0x1a]), 19, true)).toEqual({ offset: 9 });
    expect(await find(new Uint8Array([0x1a]), 8, true)).toEqual({ offset: 20 }); // wrapped
    expect(await find(utf8('pear'), 0)).toEqual({ offset: 24 });
    expect(await find(utf8('plum'), 0)).toBeNull();
  });
});

describe('encoding edits (encodingEdit) through the session', () => {
  it('writes a varint overlong: protoc reads the same value, the row and the anomaly list show it', async () => {
    const { s, docId, file, rows } = await opened();
    await s.api.encodingEdit({ docId, message: 0, path: [1], edit: { kind: 'varint-width', part: 'value', width: 3 } });
    const out = await file();
    expect(hex(out.subarray(7, 11))).toBe('108c8000'); // size = 12 in 3 bytes
    expect(raw(out)).toBe(raw(boxBytes()));
    const size = (await rows())[1];
    expect(size).toMatchObject({ name: 'size', value: 12 });
    expect(size.anomalies).toEqual(['overlong value varint: 3 bytes where 1 hold 12']);
    expect((await s.api.getAnomalies({ docId, message: 0 })).anomalies).toEqual([
      { kind: 'overlong-value', offset: 8, end: 11, path: [1], message: 'overlong value varint: 3 bytes where 1 hold 12' },
    ]);
    expect(await s.api.undo({ docId })).toMatchObject({ dirty: false });
    expect(await file()).toEqual(boxBytes());
  });

  it('edits inside a nested message and a packed run, the enclosing length prefix following', async () => {
    const { s, docId, file } = await opened();
    await s.api.encodingEdit({ docId, message: 0, path: [2, 1], edit: { kind: 'varint-width', part: 'value', width: 2 } }); // items[0].count = 3 in 2 bytes
    let out = await file();
    expect(hex(out.subarray(9, 11))).toBe('1a0a'); // the item grew by one byte
    expect(raw(out)).toContain('2: 3\n');
    await s.api.encodingEdit({ docId, message: 0, path: [4, 1], edit: { kind: 'duplicate' } }); // codes[1] = 300 twice
    out = await file();
    expect(hex(out.subarray(38, 45))).toBe('2205' + '01ac02ac02');
    const rows = (await s.api.getRows({ docId, message: 0, start: 0, count: 100 })).rows;
    expect(rows.filter((r) => r.kind === 'element').map((r) => r.value)).toEqual([1, 300, 300]);
  });

  it('sets field number 0: the saved bytes no longer parse, and the tree says where', async () => {
    const { s, docId, file, rows } = await opened();
    const sum = await s.api.encodingEdit({ docId, message: 0, path: [5], edit: { kind: 'set-field-number', fieldNumber: 0 } });
    const out = await file();
    expect(hex(out.subarray(42, 44))).toBe('0001'); // field 0, varint 1
    expect(() => raw(out)).toThrow(/Failed to parse/);
    expect(sum.error).toMatch(/at byte 42/);
    expect((await rows()).at(-1)?.anomalies?.[0]).toMatch(/field number 0 in a tag; field numbers run from 1 to 536870911/);
  });

  it('refuses what does not fit, saying why', async () => {
    const { s, docId } = await opened();
    await expect(s.api.encodingEdit({ docId, message: 0, path: [], edit: { kind: 'duplicate' } })).rejects.toThrow(
      /message itself has no tag/,
    );
    await expect(s.api.encodingEdit({ docId, message: 0, path: [1], edit: { kind: 'set-length', length: 3 } })).rejects.toThrow(
      /length-delimited/,
    );
    await expect(s.api.encodingEdit({ docId, message: 0, path: [9], edit: { kind: 'duplicate' } })).rejects.toThrow(/no field at 9/);
    expect((await s.api.getSummary({ docId })).canUndo).toBe(false);
  });

  it('comes back after a crash with the recovery journal: the crafted bytes, and undo to the original', async () => {
    const j = memoryJournal();
    const a = j.session();
    const { docId } = await a.api.openBytes({ name: 'box.bin', bytes: boxBytes() });
    await a.api.encodingEdit({ docId, message: 0, path: [1], edit: { kind: 'varint-width', part: 'value', width: 4 } });
    const crafted = (await a.api.getFileBytes({ docId })).bytes;
    await a.flushRecovery();
    const b = j.session();
    const [entry] = await b.api.listRecoverable({});
    const back = await b.api.recover({ id: entry.id });
    expect((await b.api.getFileBytes({ docId: back.docId })).bytes).toEqual(crafted);
    await b.api.undo({ docId: back.docId });
    expect((await b.api.getFileBytes({ docId: back.docId })).bytes).toEqual(boxBytes());
  });
});

describe('views of bytes that no longer decode', () => {
  it('place no JSON path instead of failing', async () => {
    const { s, docId } = await opened();
    await s.api.encodingEdit({ docId, message: 0, path: [0], edit: { kind: 'set-length', length: 30 } }); // name's prefix lies
    expect((await s.api.getText({ docId, message: 0, format: 'json' })).error).toMatch(/at byte/);
    expect(await s.api.jsonPosition({ docId, message: 0, path: [1] })).toBeNull();
  });
});
