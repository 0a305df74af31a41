import { describe, expect, it } from 'vitest';
import { looksLikeText } from './tree-row';

describe('looksLikeText (previews of bytes and unknown fields)', () => {
  it('keeps a leading byte order mark, refuses control characters and invalid UTF-8', () => {
    expect(looksLikeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x78]))).toBe('\ufeffx');
    expect(looksLikeText(new Uint8Array([0x61, 0x01]))).toBeNull();
    expect(looksLikeText(new Uint8Array([0x61, 0xff]))).toBeNull();
    // A start cut mid-character is still text.
    expect(looksLikeText(new Uint8Array([0x61, 0xc3]), true)).toBe('a');
  });
});
