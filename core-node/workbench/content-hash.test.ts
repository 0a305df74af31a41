import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashBytes } from './content-hash';

describe('hashBytes', () => {
  it('gives the SHA-256 of bytes and of the same bytes in parts', async () => {
    const bytes = new Uint8Array(40 * 1024 * 1024).map((_, i) => i * 31);
    const expected = createHash('sha256').update(bytes).digest('hex');
    expect(await hashBytes(bytes)).toBe(expected);
    expect(await hashBytes([bytes.subarray(0, 5), bytes.subarray(5)])).toBe(expected);
  });

  it('stops between chunks once nobody needs the hash', async () => {
    let asked = 0;
    const stopped = () => ++asked > 1; // the check before the first chunk passes, the next one stops
    await expect(hashBytes(new Uint8Array(40 * 1024 * 1024), { stopped })).rejects.toThrow(/stopped/);
    expect(asked).toBe(2);
  });
});
