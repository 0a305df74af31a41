/**
 * A decode error as the user reads it: where (the byte, the field path), what was found there,
 * what was expected, and what to try. The decoder's own DecodeError says what it expected at an
 * offset; this turns the known expectations into sentences with a way forward.
 */
import type { FieldNode, MessageRoot } from '../document/model';
import { MAX_FIELD_NUMBER } from '../wire/wire-types';

/** What the decoder reported: the offset, what it expected there, and the field path where known. */
export interface DecodeFailure {
  offset: number;
  expected: string;
  path?: string;
}

const NOT_PROTOBUF = 'the bytes may not be a protobuf message, or the message may start later (try raw mode, or open it as a stream)';
const TRUNCATED = 'the message looks cut short: check that the file is complete, or that the length prefixes before it are right';

/** The sentence for a decode failure: "at byte 12 (items[1]): field number 0 in a tag; field numbers run from 1 to 536870911 — …". */
export function explainDecodeError(e: DecodeFailure): string {
  const where = `at byte ${e.offset}${e.path ? ` (${e.path})` : ''}`;
  const x = e.expected;
  let m: RegExpMatchArray | null;
  if (x.startsWith('a tag with a field number of at least 1 (found 0')) {
    return `${where}: field number 0 in a tag; field numbers run from 1 to ${MAX_FIELD_NUMBER} — ${NOT_PROTOBUF}`;
  }
  if (x.startsWith('a tag whose field number is at most')) {
    return `${where}: a tag whose field number is above ${MAX_FIELD_NUMBER} (or longer than 5 bytes); field numbers run from 1 to ${MAX_FIELD_NUMBER} — ${NOT_PROTOBUF}`;
  }
  if ((m = x.match(/^a tag with wire type 0\.\.5 \(found wire type (\d+), field (\d+)\)/))) {
    return `${where}: wire type ${m[1]} in the tag of field ${m[2]}; wire types run from 0 to 5 — ${NOT_PROTOBUF}`;
  }
  if ((m = x.match(/^(.+) of (\d+) bytes, but only (\d+) remain/))) {
    return `${where}: a length prefix of ${m[2]} bytes for ${m[1]}, but only ${m[3]} bytes remain — the length prefix is wrong, or ${TRUNCATED}`;
  }
  if ((m = x.match(/^the rest of a (varint|tag) that starts at byte (\d+) \(input ends\)/))) {
    return `${where}: the bytes end inside a ${m[1]} that starts at byte ${m[2]}; a ${m[1]} ends with a byte below 0x80 — ${TRUNCATED}`;
  }
  if (x === 'a varint of at most 10 bytes') {
    return `${where}: a varint longer than 10 bytes; a varint has at most 10 — ${NOT_PROTOBUF}`;
  }
  if ((m = x.match(/^an end-group tag for field (\d+) \(group opened at byte (\d+)\)/))) {
    return `${where}: the bytes end inside group ${m[1]} (opened at byte ${m[2]}); a group ends with an end-group tag for its field — the group is unterminated, or ${TRUNCATED}`;
  }
  if ((m = x.match(/^an end-group tag for field (\d+) \(found one for field (\d+)\)/))) {
    return `${where}: an end-group tag for field ${m[2]} while group ${m[1]} is open; a group ends with an end-group tag for its own field — ${NOT_PROTOBUF}`;
  }
  if ((m = x.match(/^a field, not an end-group tag for field (\d+) outside any group/))) {
    return `${where}: an end-group tag for field ${m[1]} outside any group; an end-group tag only closes an open group — ${NOT_PROTOBUF}`;
  }
  if ((m = x.match(/^(.+) \(only (\d+) bytes remain\)$/))) {
    return `${where}: only ${m[2]} bytes remain where ${m[1]} was expected — ${TRUNCATED}`;
  }
  if ((m = x.match(/^(messages|groups) nested at most (\d+) deep/))) {
    return `${where}: ${m[1]} nested deeper than ${m[2]} levels; the decoder reads ${m[2]} levels at most — the bytes may be crafted to nest without end; the levels above show as they are, and raw mode reads this field as bytes`;
  }
  if ((m = x.match(/^at most (\d+) nodes \(decode limit\)/))) {
    return `${where}: more than ${m[1]} fields and values; the decoder reads ${m[1]} at most — what was read is shown, the rest as raw bytes; the hex view shows every byte`;
  }
  if ((m = x.match(/^an input of at most (\d+) bytes \(decode limit; input has (\d+)\)/))) {
    return `${where}: an input of ${m[2]} bytes, above the decode limit of ${m[1]} bytes — open it as a stream if it is one, or split it`;
  }
  return `${where}: expected ${x} — try raw mode (raw, no schema) to see what parses`;
}

/** explainDecodeError for a thrown value when it is a decode error (it has an offset and an expectation); else its message. */
export function errorSentence(e: unknown): string {
  const d = e as Partial<DecodeFailure> | null;
  if (d && typeof d.offset === 'number' && typeof d.expected === 'string') return explainDecodeError(d as DecodeFailure);
  return e instanceof Error ? e.message : String(e);
}

/** Why the raw bytes a tolerant decode left did not decode: the decoder's error at their offset, in a sentence. */
export function undecodableText(root: MessageRoot): (node: FieldNode) => string | undefined {
  return (node) => {
    const e = root.error;
    const s = node.span;
    if (!e || !s) return undefined;
    return `bytes ${s.tagStart} to ${s.end} do not decode: ${errorSentence(e)}`;
  };
}
