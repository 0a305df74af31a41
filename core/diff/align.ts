/**
 * Aligns two sequences (the elements of a repeated field): equal elements in the same relative
 * order are kept, equal elements out of order are moves, and what is left between two kept
 * elements is paired up in order (compared further) with the rest added or removed. Common
 * prefixes and suffixes are taken first, so two long lists differing in one element cost one
 * pass of equality checks.
 */

/** One step of an alignment (indices into A and B). */
export type AlignOp =
  | { op: 'same'; a: number; b: number }
  | { op: 'moved'; a: number; b: number }
  /** Different elements at corresponding positions: compare them. */
  | { op: 'paired'; a: number; b: number }
  | { op: 'removed'; a: number }
  | { op: 'added'; b: number };

/** The sequences to align, by callbacks. */
export interface AlignInput {
  lengthA: number;
  lengthB: number;
  /** Whether A[a] and B[b] are equal. */
  equal(a: number, b: number): boolean;
  /** Hashes: equal elements must hash the same (different ones may too). */
  hashA(a: number): number | string;
  hashB(b: number): number | string;
  /**
   * When given, an equal element in place becomes a 'same' op only if this returns true, so
   * long runs of equal elements cost no object each.
   */
  keepSame?: (a: number, b: number) => boolean;
}

/** Indices (into `seq`) of one longest strictly increasing subsequence, O(n log n). */
export function longestIncreasing(seq: readonly number[]): number[] {
  const tails: number[] = []; // tails[k]: index in seq of the smallest tail of an increasing run of length k+1
  const prev = new Int32Array(seq.length).fill(-1);
  for (let i = 0; i < seq.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (seq[tails[mid]] < seq[i]) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1];
    tails[lo] = i;
  }
  const out: number[] = new Array<number>(tails.length);
  for (let k = tails.length - 1, i = tails[tails.length - 1]; k >= 0; k--, i = prev[i]) out[k] = i;
  return tails.length ? out : [];
}

/** Aligns A and B (see the module comment); ops come in reading order of B, removals at their place in A. */
export function align(input: AlignInput): AlignOp[] {
  const { lengthA: nA, lengthB: nB, equal } = input;
  const ops: AlignOp[] = [];
  const keep = input.keepSame;
  const same = (a: number, b: number) => {
    if (!keep || keep(a, b)) ops.push({ op: 'same', a, b });
  };
  let pre = 0;
  while (pre < nA && pre < nB && equal(pre, pre)) pre++;
  let suf = 0;
  while (suf < nA - pre && suf < nB - pre && equal(nA - 1 - suf, nB - 1 - suf)) suf++;
  for (let i = 0; i < pre; i++) same(i, i);
  const endA = nA - suf;
  const endB = nB - suf;

  // Match equal elements of the middles: each A element takes the first unused equal B element.
  const buckets = new Map<number | string, number[]>();
  for (let j = pre; j < endB; j++) {
    const h = input.hashB(j);
    const list = buckets.get(h);
    if (list) list.push(j);
    else buckets.set(h, [j]);
  }
  const matchOfA = new Int32Array(Math.max(0, endA - pre)).fill(-1);
  const matchedB = new Uint8Array(Math.max(0, endB - pre));
  const pairsA: number[] = [];
  const pairsB: number[] = [];
  for (let i = pre; i < endA; i++) {
    const list = buckets.get(input.hashA(i));
    if (!list) continue;
    for (let k = 0; k < list.length; k++) {
      const j = list[k];
      if (matchedB[j - pre] === 0 && equal(i, j)) {
        matchedB[j - pre] = 1;
        matchOfA[i - pre] = j;
        pairsA.push(i);
        pairsB.push(j);
        list.splice(k, 1);
        break;
      }
    }
  }
  // Matches in the same relative order stay; the others moved.
  const anchors = longestIncreasing(pairsB).map((k) => [pairsA[k], pairsB[k]] as const);
  const isAnchorA = new Uint8Array(Math.max(0, endA - pre));
  for (const [a] of anchors) isAnchorA[a - pre] = 1;
  const movedToB = new Map<number, number>(); // B index -> A index
  for (let k = 0; k < pairsA.length; k++) if (!isAnchorA[pairsA[k] - pre]) movedToB.set(pairsB[k], pairsA[k]);

  let prevA = pre;
  let prevB = pre;
  for (const [ai, bj] of [...anchors, [endA, endB] as const]) {
    const freeA: number[] = [];
    for (let i = prevA; i < ai; i++) if (matchOfA[i - pre] < 0) freeA.push(i);
    const freeB: number[] = [];
    for (let j = prevB; j < bj; j++) if (!matchedB[j - pre]) freeB.push(j);
    const paired = Math.min(freeA.length, freeB.length);
    for (let k = paired; k < freeA.length; k++) ops.push({ op: 'removed', a: freeA[k] });
    let next = 0;
    for (let j = prevB; j < bj; j++) {
      const from = movedToB.get(j);
      if (from !== undefined) ops.push({ op: 'moved', a: from, b: j });
      else if (!matchedB[j - pre]) {
        ops.push(next < paired ? { op: 'paired', a: freeA[next], b: j } : { op: 'added', b: j });
        next++;
      }
    }
    if (ai < endA) same(ai, bj);
    prevA = ai + 1;
    prevB = bj + 1;
  }
  for (let k = 0; k < suf; k++) same(endA + k, endB + k);
  return ops;
}
