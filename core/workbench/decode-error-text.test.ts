import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../document/decode';
import type { DecodeError } from '../wire/decode-error';
import { errorSentence, explainDecodeError } from './decode-error-text';

/** The decoder's own error for some bytes (raw, no schema). */
const failure = (...b: number[]) => {
  try {
    decodeMessage(new Uint8Array(b), null);
  } catch (e) {
    return e as DecodeError;
  }
  throw new Error('the bytes decoded');
};

describe('decode errors as sentences', () => {
  it('says where, what was found, what was expected and what to try', () => {
    expect(errorSentence(failure(0x00, 0x01))).toBe(
      'at byte 0: field number 0 in a tag; field numbers run from 1 to 536870911 — the bytes may not be a protobuf message, or the message may start later (try raw mode, or open it as a stream)',
    ); // tag 0
    expect(errorSentence(failure(0x0a, 0x05, 0x61))).toMatch(
      /^at byte 1 \(#1\): a length prefix of 5 bytes for a length-delimited value, but only 1 bytes remain — the length prefix is wrong, or the message looks cut short/,
    ); // field 1 LEN 5, one byte of it
    expect(errorSentence(failure(0x08))).toMatch(
      /^at byte 1 \(#1\): the bytes end inside a varint that starts at byte 1; .*looks cut short/,
    ); // field 1 varint, no value
    expect(errorSentence(failure(0x0f))).toMatch(/wire type 7 in the tag of field 1; wire types run from 0 to 5/); // wire type 7
    expect(errorSentence(failure(0x0b, 0x08, 0x01))).toMatch(/inside group 1 \(opened at byte 0\).*unterminated/); // group 1, no end tag
  });

  it('keeps the field path, and falls back to the expectation for anything else', () => {
    expect(explainDecodeError({ offset: 3, expected: 'a frobnicated value', path: 'a.b[2]' })).toBe(
      'at byte 3 (a.b[2]): expected a frobnicated value — try raw mode (raw, no schema) to see what parses',
    );
    expect(errorSentence(new Error('plain'))).toBe('plain');
  });
});
