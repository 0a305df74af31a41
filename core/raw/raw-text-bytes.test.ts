import { describe, expect, it } from 'vitest';
import { rawMessageGenerator as generator } from '../../testing/raw-message-generator';
import { decodeRaw } from './raw-decode';
import { parsesAsMessage } from './raw-scan';
import { RawTextStream, rawTextOf, rawToText } from './raw-text';
import { isNestedMessage, printTopLevel } from './raw-text-bytes';
import { ChunkSink } from './raw-text-sink';

describe('the level checks of the text printer', () => {
  // Generated messages, garbage, and each with a byte changed or cut short: where the rules of
  // the two parsers (tag and length sizes, 32-bit truncation, group nesting) make a difference.
  const g = generator(31);
  const inputs: Uint8Array[] = [];
  for (let i = 0; i < 150; i++) {
    const m = g.message();
    inputs.push(m, m.subarray(0, m.length >> 1), g.garbage(1 + (i % 24)));
    const changed = m.slice();
    if (changed.length) changed[i % changed.length] = [0x80, 0xff, 0x0c, 0x0b, 0x00][i % 5];
    inputs.push(changed);
    // Fields that parse, then garbage or a group left open: printed as they parse, then the rest.
    inputs.push(new Uint8Array([...m, ...g.garbage(1 + (i % 5))]), new Uint8Array([...m, 0x0b, 0x08, 0x01, ...m]));
  }
  const hand = [
    [0x88, 0x80, 0x80, 0x80, 0x80, 0x00, 0x01], // a 6-byte tag: nested rules only
    [0x0a, 0x81, 0x80, 0x80, 0x80, 0x10, 0x61], // a length of 2^32 + 1: 1 when truncated (nested)
    [0x0a, 0x80, 0x80, 0x80, 0x80, 0x08], // a length of 2^31
    [0x0a, 0x81, 0x80, 0x80, 0x80, 0x80, 0x00, 0x61], // a 6-byte length of 1
    [0x0b, 0x13, 0x14, 0x0c], // groups 1 { 2 { } }
    [0x0b, 0x14], // an end-group that does not match
    [0xf8, 0xff, 0xff, 0xff, 0x0f, 0x01], // the largest field number
    [0xf8, 0xff, 0xff, 0xff, 0x1f, 0x01], // a tag with bit 32 set: dropped
  ];
  for (const h of hand) inputs.push(new Uint8Array(h));

  it('printTopLevel prints all of an input exactly when parsesAsMessage with the top-level rules accepts it', () => {
    for (const input of inputs)
      for (const depth of [0, 1, 100]) {
        const r = printTopLevel(input, depth, new ChunkSink(1 << 16, () => {}));
        const printed = r >= 0 ? r : ~r; // ~start: a field cut short by the end of the input
        const where = `${Buffer.from(input).toString('hex')} at depth ${depth}`;
        expect(printed === input.length, where).toBe(parsesAsMessage(input, 0, input.length, depth, true));
        if (printed < input.length) expect(decodeRaw(input, { maxDepth: depth }).parsedEnd, where).toBe(printed); // where decodeRaw stops too
      }
  });

  it('RawTextStream prints the same text from pieces as writeRawText from the whole, whatever the window', () => {
    // What protodesk raw does with a file: a window read at a time, its unfinished field kept for the next.
    function streamed(input: Uint8Array, window: number): string {
      const parts: string[] = [];
      const text = new RawTextStream((c) => parts.push(Buffer.from(c).toString('latin1')), { chunkBytes: 64, reuseChunks: true });
      let buf = new Uint8Array(window);
      let filled = 0;
      let read = 0;
      for (;;) {
        const n = Math.min(buf.length - filled, input.length - read);
        buf.set(input.subarray(read, read + n), filled);
        read += n;
        filled += n;
        const used = text.push(buf.subarray(0, filled));
        if (text.needsInput) break;
        buf.copyWithin(0, used, filled);
        filled -= used;
        if (n === 0) break;
        if (filled === buf.length) {
          const grown = new Uint8Array(2 * buf.length);
          grown.set(buf);
          buf = grown;
        }
      }
      text.finish(text.needsInput || filled > 0 ? input : null);
      return parts.join('');
    }
    for (const input of inputs)
      for (const window of [1, 3, 16, 1 << 12])
        expect(streamed(input, window), `${Buffer.from(input).toString('hex')} in windows of ${window}`).toBe(rawTextOf(input));
  });

  it('writeRawText prints what rawToText prints of decodeRaw, the fields before a stop included', () => {
    for (const input of inputs)
      for (const maxDepth of [1, 100]) {
        const where = `${Buffer.from(input).toString('hex')} at depth ${maxDepth}`;
        expect(rawTextOf(input, { maxDepth }), where).toBe(rawToText(decodeRaw(input, { maxDepth })));
      }
  });

  it('isNestedMessage answers as parsesAsMessage with the nested rules, on any slice', () => {
    for (const input of inputs)
      for (const depth of [0, 1, 10])
        for (const start of [0, 1]) {
          const where = `${Buffer.from(input).toString('hex')} from ${start}`;
          expect(isNestedMessage(input, start, input.length, depth), where).toBe(parsesAsMessage(input, start, input.length, depth));
        }
  });
});
