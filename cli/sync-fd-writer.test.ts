import { describe, expect, it } from 'vitest';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syncFdWriter } from './sync-fd-writer';

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString('latin1');

describe('syncFdWriter', () => {
  it('writes every chunk to the descriptor before returning, so the caller may reuse its buffer', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'fdw-')), 'out.txt');
    const fd = openSync(path, 'w');
    const buf = new Uint8Array(4);
    const write = syncFdWriter(fd, { write: () => expect.fail('no fallback for a file') });
    for (const s of ['abcd', 'efgh', 'ij']) {
      buf.set(bytes(s));
      write(buf.subarray(0, s.length));
    }
    closeSync(fd);
    expect(readFileSync(path, 'latin1')).toBe('abcdefghij');
  });

  it('finishes partial writes, and queues the rest in order on the fallback once the descriptor is full', () => {
    const written: Uint8Array[] = [];
    const queued: Uint8Array[] = [];
    let calls = 0;
    const write = syncFdWriter(1, { write: (c) => queued.push(c) }, (_fd, buf, off, len) => {
      calls++;
      if (calls === 4) throw Object.assign(new Error('EAGAIN: resource temporarily unavailable, write'), { code: 'EAGAIN' });
      const n = Math.min(len, 3); // at most 3 bytes a call
      written.push(buf.slice(off, off + n));
      return n;
    });
    const buf = new Uint8Array(8);
    for (const s of ['abcdefgh', '12345678', 'XYZ']) {
      buf.set(bytes(s));
      write(buf.subarray(0, s.length));
    }
    buf.fill(0); // the writer kept copies, not the caller's buffer
    expect(text(written)).toBe('abcdefgh');
    expect(text(queued)).toBe('12345678XYZ');
    expect(calls).toBe(4); // nothing more is tried once it fell back
  });

  it('throws other errors (a closed pipe) to the caller', () => {
    const write = syncFdWriter(1, { write: () => undefined }, () => {
      throw Object.assign(new Error('EPIPE: broken pipe, write'), { code: 'EPIPE' });
    });
    expect(() => write(bytes('x'))).toThrow(/EPIPE/);
  });
});
