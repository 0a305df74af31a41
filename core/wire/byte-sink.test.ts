import { describe, expect, it } from 'vitest';
import { ByteSink } from './byte-sink';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('ByteSink', () => {
  it('writes integers in decimal as String() does', () => {
    const values = [0, 7, -7, 10, -10, 99, 100, 2147483647, -2147483648, 4294967295, 2 ** 53 - 1, -(2 ** 53 - 1)];
    const sink = new ByteSink(null, 1 << 16, 1);
    for (const v of values) {
      sink.int(v);
      sink.byte(0x20);
    }
    expect(text(sink.view())).toBe(values.map((v) => `${v} `).join(''));
  });

  it('writes ASCII, UTF-8 and byte ranges, growing from one byte', () => {
    const sink = new ByteSink(null, 1 << 16, 1);
    sink.ascii('ab');
    sink.utf8('é😀\u2028');
    sink.bytes(new TextEncoder().encode('0123456789abcdefghij'), 2, 19);
    sink.bytes(new Uint8Array([0x78, 0x79]));
    expect(text(sink.view())).toBe('abé😀\u2028' + '23456789abcdefghi' + 'xy');
  });

  it('hands out chunks once it holds flushBytes, and the rest on flush, in order', () => {
    const chunks: Uint8Array[] = [];
    const sink = new ByteSink((c) => chunks.push(c.slice()), 8, 4);
    let want = '';
    for (let i = 0; i < 200; i++) {
      const s = `item ${i};`;
      sink.ascii(s);
      want += s;
    }
    sink.flush();
    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks.every((c) => c.length <= 8 + 10)).toBe(true);
    expect(text(Buffer.concat(chunks))).toBe(want);
    expect(sink.emitted).toBe(want.length);
    expect(sink.pos).toBe(0);
  });
});

describe('ByteSink.take', () => {
  it('hands out what is buffered and keeps writing into a new buffer', () => {
    const sink = new ByteSink();
    sink.ascii('first');
    const a = sink.take();
    sink.ascii('second');
    expect(text(a)).toBe('first');
    expect(text(sink.take())).toBe('second');
    expect(sink.emitted).toBe(11);
    expect(sink.view().length).toBe(0);
  });
});

describe('ByteSink.allOrNothing', () => {
  it('takes back what a failed write appended and rethrows its error', () => {
    const sink = new ByteSink();
    sink.ascii('kept\n');
    const boom = new Error('bad value');
    expect(() =>
      sink.allOrNothing(() => {
        sink.ascii('half a message');
        throw boom;
      }),
    ).toThrow(boom);
    sink.allOrNothing(() => sink.ascii('next\n'));
    expect(text(sink.view())).toBe('kept\nnext\n');
  });

  it('cannot take back what was emitted already, and leaves the rest as it is', () => {
    const chunks: Uint8Array[] = [];
    const sink = new ByteSink((c) => chunks.push(c.slice()), 8, 8);
    expect(() =>
      sink.allOrNothing(() => {
        for (let i = 0; i < 10; i++) sink.ascii('0123456789');
        throw new Error('late');
      }),
    ).toThrow('late');
    expect(chunks.length).toBeGreaterThan(0);
    expect(sink.emitted + sink.pos).toBe(100);
  });
});
