import { describe, expect, it } from 'vitest';
import { MAX_OPEN_BYTES, formatSize, tooBigToOpen } from './limits';

describe('the open size limit', () => {
  it('lets files up to the limit through', () => {
    expect(tooBigToOpen('a.bin', 0)).toBeNull();
    expect(tooBigToOpen('a.bin', MAX_OPEN_BYTES)).toBeNull();
    expect(tooBigToOpen('a.bin', 1000, 1000)).toBeNull();
  });

  it('names the file, its size and the limit, and where to go instead', () => {
    expect(tooBigToOpen('capture.bin', 1.5 * 1024 ** 3)).toBe(
      'capture.bin is 1.5 GB, over the 1 GB the workbench opens (maxOpenBytes); `protodesk raw` reads it from the command line',
    );
    expect(tooBigToOpen('drop.bin', 2048, 1000)).toMatch(/^drop\.bin is 2 KB, over the 1000 bytes the workbench opens/);
  });

  it('gives exact byte counts where the rounded sizes would read the same', () => {
    expect(tooBigToOpen('just-over.bin', MAX_OPEN_BYTES + 1)).toMatch(
      /^just-over\.bin is 1,073,741,825 bytes, over the 1,073,741,824 bytes/,
    );
  });

  it('formats sizes in binary units', () => {
    expect([12, 1024, 1536, 640 * 1024, 5 * 1024 ** 3, 150 * 1024 ** 2].map(formatSize)).toEqual([
      '12 bytes',
      '1 KB',
      '1.5 KB',
      '640 KB',
      '5 GB',
      '150 MB',
    ]);
  });
});
