/** Field paths of decode errors: what a decoder records per nesting level, and the path made of it. */
import { DecodeError } from '../wire/decode-error';
import type { FieldNode } from './model';
import { FieldKind, type FieldInfo } from './schema-info';

/** What a decoder records per depth: the fields decoded so far, and the number and field being read. */
export interface DecodeFrames {
  readonly frameFields: FieldNode[][];
  readonly frameInfo: (FieldInfo | null)[];
  readonly frameNumber: number[];
}

/** Errors that already carry their full field path. */
const pathed = new WeakSet<DecodeError>();

/** DecodeErrors made from a call-stack overflow (the input nests deeper than the stack allows). */
export const ranOutOfStack = new WeakSet<DecodeError>();

/** `e` with the field path of the frames up to `depth` (as "participants[2].identity"), made once per error. */
export function withFieldPath(e: unknown, depth: number, frames: DecodeFrames): DecodeError {
  if (!(e instanceof DecodeError)) throw e;
  if (pathed.has(e)) return e;
  const parts: string[] = [];
  for (let d = 0; d <= depth; d++) {
    const fn = frames.frameNumber[d];
    if (!fn) continue;
    const fi = frames.frameInfo[d];
    let seg = fi ? fi.name : `#${fn}`;
    if (!fi || fi.field.repeated || fi.kind === FieldKind.MAP) {
      let count = 0;
      const sib = frames.frameFields[d];
      for (let i = 0; i < sib.length; i++) if (sib[i].fieldNumber === fn) count++;
      if (fi || count > 0) seg += `[${count}]`;
    }
    parts.push(seg);
  }
  const err = new DecodeError(e.offset, e.expected, parts.length ? parts.join('.') : e.path);
  pathed.add(err);
  return err;
}
