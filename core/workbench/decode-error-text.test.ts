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

  it('says what was found and what to try for the decode limits too', () => {
    expect(explainDecodeError({ offset: 400, expected: 'messages nested at most 100 deep (decode limit)', path: 'a.a.a' })).toMatch(
      /^at byte 400 \(a\.a\.a\): messages nested deeper than 100 levels; .* raw mode reads this field as bytes$/,
    );
    expect(explainDecodeError({ offset: 8, expected: 'groups nested at most 100 deep' })).toMatch(
      /^at byte 8: groups nested deeper than 100 levels/,
    );
    expect(explainDecodeError({ offset: 5, expected: 'at most 1000 nodes (decode limit)' })).toMatch(
      /^at byte 5: more than 1000 fields and values; .*the hex view shows every byte$/,
    );
    expect(explainDecodeError({ offset: 10, expected: 'an input of at most 10 bytes (decode limit; input has 12)' })).toBe(
      'at byte 10: an input of 12 bytes, above the decode limit of 10 bytes — open it as a stream if it is one, or split it',
    );
  });

  it('keeps the field path, and falls back to the expectation for anything else', () => {
    expect(explainDecodeError({ offset: 3, expected: 'a frobnicated value', path: 'a.b[2]' })).toBe(
      'at byte 3 (a.b[2]): expected a frobnicated value — try raw mode (raw, no schema) to see what parses',
    );
    expect(errorSentence(new Error('plain'))).toBe('plain');
  });
});
