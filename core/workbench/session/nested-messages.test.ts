import { describe, expect, it } from 'vitest';
import { WireWriter } from '../../wire/wire-writer';
import { WireType } from '../../wire/wire-types';
import { session, utf8 } from './test-session';

/** Raw bytes: field 40 { field 1 { field 2: "hello world text" }, field 3: "plain text" }. */
function nested(): Uint8Array {
  const inner = new WireWriter().tag(2, WireType.LEN).lengthDelimited(utf8('hello world text')).finish().slice(); // 2: a string
  const middle = new WireWriter()
    .tag(1, WireType.LEN)
    .lengthDelimited(inner) // 1: a message
    .tag(3, WireType.LEN)
    .lengthDelimited(utf8('plain text')) // 3: a string
    .finish()
    .slice();
  return new WireWriter().tag(40, WireType.LEN).lengthDelimited(middle).finish().slice(); // 40: a message
}

describe('decode nested as messages', () => {
  it('shows every nested message as one, at every depth, leaving text as text; off puts them back', async () => {
    const s = session();
    const bytes = nested();
    const { docId } = await s.api.openBytes({ name: 'raw.bin', bytes });
    await s.api.setType({ docId, typeName: null });
    const rows = async () =>
      (await s.api.getRows({ docId, message: 0, start: 0, count: 100 })).rows.map(
        (r) => `${r.path.join('.')} ${r.interpretedAs ?? r.kind}`,
      );
    expect(await rows()).toEqual(['0 unknown']);
    const on = await s.api.decodeNested({ docId, message: 0, on: true });
    expect(on.count).toBe(2);
    expect(on.summary.dirty).toBe(false); // a view choice: the bytes are as they were
    expect(await rows()).toEqual(['0 message', '0.0 message', '0.0.0 unknown', '0.1 unknown']);
    expect((await s.api.getFileBytes({ docId })).bytes).toEqual(bytes);
    const off = await s.api.decodeNested({ docId, message: 0, on: false });
    expect(off.count).toBe(2);
    expect(await rows()).toEqual(['0 unknown']);
  });
});
