import { describe, expect, it } from 'vitest';
import { WireWriter } from '../../wire/wire-writer';
import { WireType } from '../../wire/wire-types';
import { runProtoc } from '../../../testing/protoc';
import { boxBytes, session, utf8 } from './test-session';
import { compactJson, parseHexPattern } from './stream-tools';

/** Three t.Box messages, varint-delimited; the second named "bin" instead of "crate". */
function stream(): { file: Uint8Array; boxes: Uint8Array[] } {
  const other = new WireWriter().tag(1, WireType.LEN).lengthDelimited(utf8('bin')).finish().slice(); // string name = 1 "bin"
  const boxes = [boxBytes(), other, boxBytes()];
  const w = new WireWriter();
  for (const b of boxes) w.uvarint(b.length).raw(b); // varint length prefix, then the message
  return { file: w.finish().slice(), boxes };
}

async function opened() {
  const s = session();
  const { file, boxes } = stream();
  const { docId } = await s.api.openBytes({ name: 'boxes.delimited', bytes: file });
  await s.api.setType({ docId, typeName: 't.Box' });
  return { s, docId, file, boxes };
}

describe('stream-wide search', () => {
  it('finds a field by its dotted path and value in every message, with offsets in the message and the file', async () => {
    const { s, docId } = await opened();
    const { matches, truncated } = await s.api.searchStream({ docId, query: { kind: 'field', path: 'items.label', value: 'pear' } });
    expect(truncated).toBe(false);
    // Box 0 starts at byte 1 (after its 1-byte prefix); box 2 at 1 + 46 + 1 + 5 + 1 = 54.
    expect(matches).toEqual([
      { message: 0, path: [3, 0], offset: 22, fileOffset: 23, preview: '"pear"' },
      { message: 2, path: [3, 0], offset: 22, fileOffset: 76, preview: '"pear"' },
    ]);
    const byNumber = await s.api.searchStream({ docId, query: { kind: 'field', path: '6', value: 'LARGE' } });
    expect(byNumber.matches.map((m) => m.message)).toEqual([0, 2]);
    const names = await s.api.searchStream({ docId, query: { kind: 'field', path: 'name' } });
    expect(names.matches.map((m) => m.preview)).toEqual(['"crate"', '"bin"', '"crate"']);
  });

  it('finds bytes and text; offsets follow edits of earlier messages', async () => {
    const { s, docId } = await opened();
    const text = await s.api.searchStream({ docId, query: { kind: 'text', text: 'bin' } });
    expect(text.matches).toEqual([expect.objectContaining({ message: 1, offset: 2, fileOffset: 50 })]);
    await s.api.editBytes({ docId, message: 0, at: 2, remove: 0, insert: utf8('big ') }); // box 0 grows by 4 bytes
    const after = await s.api.searchStream({ docId, query: { kind: 'bytes', hex: '62 69 6e' } });
    expect(after.matches).toEqual([expect.objectContaining({ message: 1, offset: 2, fileOffset: 54 })]);
    const limited = await s.api.searchStream({ docId, query: { kind: 'bytes', hex: '0a' }, limit: 2 });
    expect(limited).toMatchObject({ truncated: true, matches: [{ message: 0 }, { message: 0 }] });
  });

  it('says what is wrong with a hex pattern', () => {
    expect(parseHexPattern('0a 05 FF')).toEqual(new Uint8Array([0x0a, 0x05, 0xff]));
    expect(() => parseHexPattern('0a 5')).toThrow(/3 hex digits are not whole bytes/);
    expect(() => parseHexPattern('0g')).toThrow(/"g" is not a hex digit \(at character 2\)/);
  });
});

describe('stream export', () => {
  it('exports all or chosen messages, edits included, as delimited bytes protoc reads back', async () => {
    const { s, docId, file, boxes } = await opened();
    const all = await s.api.exportStream({ docId, format: 'delimited' });
    expect(all).toEqual({ name: 'boxes.delimited', bytes: file });
    await s.api.edit({ docId, message: 2, edit: { op: 'set', path: [0], value: 'last' } });
    const two = await s.api.exportStream({ docId, messages: [1, 2], format: 'delimited' });
    expect(two.name).toBe('boxes-2-of-3.delimited');
    const b = two.bytes!;
    expect(b[0]).toBe(boxes[1].length);
    expect(b.subarray(1, 1 + boxes[1].length)).toEqual(boxes[1]);
    const second = b.subarray(2 + boxes[1].length);
    expect(b[1 + boxes[1].length]).toBe(second.length);
    expect(runProtoc(['--decode_raw'], second).toString()).toContain('1: "last"');
  });

  it('exports JSON lines (one message per line) and text format; raw documents only as bytes', async () => {
    const { s, docId } = await opened();
    const jsonl = await s.api.exportStream({ docId, format: 'jsonl' });
    expect(jsonl.name).toBe('boxes.jsonl');
    const lines = jsonl.text!.trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { name: string }).name)).toEqual(['crate', 'bin', 'crate']);
    expect(lines[0]).toContain('"count":"9007199254740993"'); // 64-bit exact, as proto3 JSON writes it
    const text = await s.api.exportStream({ docId, messages: [1], format: 'text' });
    expect(text.text).toBe('# message 1\nname: "bin"\n');
    await s.api.setType({ docId, typeName: null });
    await expect(s.api.exportStream({ docId, format: 'jsonl' })).rejects.toThrow(/choose a message type first/);
  });

  it('compacts JSON without touching strings', () => {
    expect(compactJson('{\n  "a b": "x \\" y",\n  "n": [1, 2]\n}')).toBe('{"a b":"x \\" y","n":[1,2]}');
  });
});

describe('stream list offsets', () => {
  it('are where each message is in the file as it is now', async () => {
    const { s, docId } = await opened();
    const offsets = async () => (await s.api.getStream({ docId, start: 0, count: 3 })).items.map((i) => i.offset);
    expect(await offsets()).toEqual([1, 48, 54]);
    await s.api.editBytes({ docId, message: 0, at: 2, remove: 0, insert: utf8('big ') }); // box 0 grows by 4 bytes
    expect(await offsets()).toEqual([1, 52, 58]);
  });
});
