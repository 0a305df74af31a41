import { describe, expect, it } from 'vitest';
import { WireWriter } from '../wire/wire-writer';
import { WireType } from '../wire/wire-types';
import { MAX_ROW_VALUE, MAX_VALUE_CHUNK } from '../api/limits';
import { session, utf8 } from './session/test-session';

/** A t.Box whose name (string name = 1) is `name`. */
function boxNamed(name: string): Uint8Array {
  return new WireWriter().tag(1, WireType.LEN).lengthDelimited(utf8(name)).finish().slice(); // string name = 1
}

describe('long string values in rows', () => {
  it('a row carries the start of a long string and its length; the rest comes in chunks; no inline editor', async () => {
    const s = session();
    // 4095 ASCII characters, then an emoji (a surrogate pair across the cut), then 2 MB more.
    const name = `${'a'.repeat(MAX_ROW_VALUE - 1)}😀${'b'.repeat(2_000_000)}`;
    const { docId } = await s.api.openBytes({ name: 'box.bin', bytes: boxNamed(name) });
    await s.api.setType({ docId, typeName: 't.Box' });
    const [row] = (await s.api.getRows({ docId, message: 0, start: 0, count: 1 })).rows;
    expect(row.name).toBe('name');
    expect(row.value).toBe('a'.repeat(MAX_ROW_VALUE - 1)); // never half a surrogate pair
    expect(row.valueLength).toBe(name.length);
    expect(row.editor).toEqual({ kind: 'none' });
    let text = '';
    for (let at = 0; at < name.length;) {
      const chunk = await s.api.getValueChunk({ docId, message: 0, path: row.path, start: at, end: name.length });
      expect(chunk).toMatchObject({ total: name.length, start: at });
      expect(chunk.text!.length).toBeLessThanOrEqual(MAX_VALUE_CHUNK);
      text += chunk.text;
      at += chunk.text!.length;
    }
    expect(text === name).toBe(true);
    // Past the end: clamped to an empty part.
    expect(await s.api.getValueChunk({ docId, message: 0, path: row.path, start: name.length + 5, end: name.length + 9 })).toEqual({
      total: name.length,
      start: name.length,
      text: '',
    });
  });

  it('a short string stays whole and editable', async () => {
    const s = session();
    const { docId } = await s.api.openBytes({ name: 'box.bin', bytes: boxNamed('x'.repeat(MAX_ROW_VALUE)) });
    await s.api.setType({ docId, typeName: 't.Box' });
    const [row] = (await s.api.getRows({ docId, message: 0, start: 0, count: 1 })).rows;
    expect(row.value).toBe('x'.repeat(MAX_ROW_VALUE));
    expect(row.valueLength).toBeUndefined();
    expect(row.editor).toEqual({ kind: 'string' });
  });

  it('getValueChunk says what is wrong with a path', async () => {
    const s = session();
    const bytes = new WireWriter().tag(2, WireType.VARINT).uvarint(12).finish().slice(); // uint32 size = 2
    const { docId } = await s.api.openBytes({ name: 'box.bin', bytes });
    await s.api.setType({ docId, typeName: 't.Box' });
    await expect(s.api.getValueChunk({ docId, message: 0, path: [0], start: 0, end: 10 })).rejects.toMatchObject({
      code: 'invalid-input',
      message: 'getValueChunk: the field at path [0] is not a string or bytes value',
    });
    await expect(s.api.getValueChunk({ docId, message: 0, path: [7], start: 0, end: 10 })).rejects.toMatchObject({
      code: 'not-found',
    });
  });
});
