import { describe, expect, it } from 'vitest';
import { boxBytes, session } from './test-session';

describe('saving a stream keeps the framing of the messages it did not edit', () => {
  it('an overlong length prefix of an untouched message survives an edit of another', async () => {
    const box = boxBytes();
    expect(box.length).toBeLessThan(128);
    // Three boxes, varint-delimited: the first with a two-byte (overlong) prefix, made on purpose.
    const file = new Uint8Array([0x80 | box.length, 0x00, ...box, box.length, ...box, box.length, ...box]);
    const s = session();
    const { docId, framing, messageCount } = await s.api.openBytes({ name: 'boxes.delimited', bytes: file });
    expect({ framing, messageCount }).toEqual({ framing: 'delimited', messageCount: 3 });
    await s.api.setType({ docId, typeName: 't.Box' });
    // Look at the first message (it is decoded, not edited), then edit the second.
    await s.api.getRows({ docId, message: 0, start: 0, count: 5 });
    await s.api.edit({ docId, message: 1, edit: { op: 'set', path: [1], value: 99 } });
    const saved = (await s.api.getFileBytes({ docId })).bytes;
    expect([...saved.subarray(0, 2)]).toEqual([0x80 | box.length, 0x00]);
    expect(saved.length).toBe(file.length);
    const edited = file.slice();
    edited[2 + box.length + 1 + box.indexOf(12, 0)] = 99; // uint32 size = 2: 12 → 99
    expect([...saved]).toEqual([...edited]);
    // The message list says where each message is in that file.
    const items = (await s.api.getStream({ docId, start: 0, count: 3 })).items;
    expect(items.map((m) => m.offset)).toEqual([2, 2 + box.length + 1, 2 + 2 * (box.length + 1)]);
  });

  it('a message whose length changes gets a new prefix, and the others keep theirs', async () => {
    const box = boxBytes();
    const file = new Uint8Array([box.length, ...box, 0x80 | box.length, 0x00, ...box]);
    const s = session();
    const { docId } = await s.api.openBytes({ name: 'boxes.delimited', bytes: file });
    await s.api.setType({ docId, typeName: 't.Box' });
    await s.api.edit({ docId, message: 0, edit: { op: 'set', path: [1], value: 300 } }); // 12 → 300: one byte longer
    const saved = (await s.api.getFileBytes({ docId })).bytes;
    expect(saved[0]).toBe(box.length + 1);
    expect(saved.length).toBe(file.length + 1);
    expect([...saved.subarray(box.length + 2)]).toEqual([0x80 | box.length, 0x00, ...box]);
  });
});
