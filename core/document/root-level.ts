/**
 * A message's top level read from its checked bytes into columns, without a node per field: where
 * each field starts, its number, its kind and whether the schema knows it. A view of a top level
 * of millions of fields (a big capture, a 200 MB file) counts, pages and checks it from these and
 * builds node objects only for the rows it shows (decode.ts: rootLevelOf, rootNodeAt).
 */
import type { CheckedMessage } from './materialize';
import { NodeKind, NodeWalk } from './node-walk';

/** The top level of a message, field by field in wire order. */
export interface RootLevel {
  readonly count: number;
  /** Where each field's tag starts. */
  readonly starts: Int32Array;
  readonly numbers: Int32Array;
  /** NodeKind of each field. */
  readonly kinds: Uint8Array;
  /** 1 when the schema knows the field (the node's `field` is set). */
  readonly known: Uint8Array;
}

/** Reads the top level of checked bytes (their own fields only: nested ones are skipped). */
export function readRootLevel(checked: CheckedMessage): RootLevel {
  let cap = 1024;
  let starts = new Int32Array(cap);
  let numbers = new Int32Array(cap);
  let kinds = new Uint8Array(cap);
  let known = new Uint8Array(cap);
  let count = 0;
  const w = new NodeWalk(checked);
  while (w.next()) {
    w.skip();
    if (count === cap) {
      cap *= 2;
      starts = grown(starts, cap);
      numbers = grown(numbers, cap);
      kinds = grown(kinds, cap);
      known = grown(known, cap);
    }
    starts[count] = w.tagStart;
    numbers[count] = w.fieldNumber;
    kinds[count] = w.kind;
    known[count] = w.field !== null ? 1 : 0;
    count++;
  }
  return {
    count,
    starts: starts.slice(0, count),
    numbers: numbers.slice(0, count),
    kinds: kinds.slice(0, count),
    known: known.slice(0, count),
  };
}

function grown<T extends Int32Array | Uint8Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

/** Whether a top-level field of this kind can show children (a packed run its elements; unknown LEN fields only when interpreted). */
export function mayHaveChildren(kind: number): boolean {
  return kind !== NodeKind.SCALAR && kind !== NodeKind.UNKNOWN;
}

/** The index of the top-level field whose bytes hold `offset` (the last one starting at or before it), or -1. */
export function fieldAtOffset(level: RootLevel, offset: number): number {
  let lo = 0;
  let hi = level.count - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (level.starts[mid] <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
