/** Alignment of repeated elements, and the diff's value verdict against protobufjs as referee. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testRoot } from '../../testing/field-shapes-schema';
import { align, longestIncreasing } from './align';
import { diffMessages } from './message-diff';

const alignLists = (a: readonly string[], b: readonly string[]) =>
  align({ lengthA: a.length, lengthB: b.length, equal: (i, j) => a[i] === b[j], hashA: (i) => a[i], hashB: (j) => b[j] });

describe('align', () => {
  it('finds a longest increasing run', () => {
    expect(longestIncreasing([3, 0, 1, 4, 2, 5]).length).toBe(4); // 0, 1, 2, 5 (or 0, 1, 4, 5)
    expect(longestIncreasing([])).toEqual([]);
  });

  it('keeps common elements, moves the one out of order, pairs what differs in place', () => {
    expect(alignLists(['a', 'b', 'c', 'x'], ['c', 'a', 'b', 'y'])).toEqual([
      { op: 'moved', a: 2, b: 0 },
      { op: 'same', a: 0, b: 1 },
      { op: 'same', a: 1, b: 2 },
      { op: 'paired', a: 3, b: 3 },
    ]);
  });

  it('accounts for every element of both sides exactly once, same pairs equal and in order', () => {
    const letters = fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { maxLength: 12 });
    fc.assert(
      fc.property(letters, letters, (a, b) => {
        const ops = alignLists(a, b);
        const seenA = new Array<number>(a.length).fill(0);
        const seenB = new Array<number>(b.length).fill(0);
        let lastSame = -1;
        for (const op of ops) {
          if ('a' in op) seenA[op.a]++;
          if ('b' in op) seenB[op.b]++;
          if (op.op === 'same' || op.op === 'moved') expect(a[op.a]).toBe(b[op.b]);
          if (op.op === 'paired') expect(a[op.a]).not.toBe(b[op.b]);
          if (op.op === 'same') {
            expect(op.b).toBeGreaterThan(lastSame);
            lastSame = op.b;
          }
        }
        expect(seenA.every((n) => n === 1)).toBe(true);
        expect(seenB.every((n) => n === 1)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('diffMessages against protobufjs', () => {
  const root = testRoot();
  const Outer = root.lookupType('test.Outer');
  const person = fc.record({ name: fc.constantFrom('a', 'b', 'long name'), id: fc.integer({ min: -3, max: 300 }) }, { requiredKeys: [] });
  const outer = fc.record(
    {
      name: fc.constantFrom('', 'x', 'standup'),
      participants: fc.array(person, { maxLength: 4 }),
      nums: fc.array(fc.integer({ min: -2, max: 200 }), { maxLength: 5 }),
      color: fc.constantFrom(0, 1, 2),
      child: fc.record({ name: fc.constantFrom('c', 'd') }, { requiredKeys: [] }),
    },
    { requiredKeys: [] },
  );
  const encode = (x: object) => Outer.encode(Outer.fromObject(x)).finish().slice();
  const canonical = (bytes: Uint8Array) => JSON.stringify(Outer.toObject(Outer.decode(bytes), { longs: String, enums: Number }));

  it('finds value differences exactly when protobufjs reads different values', () => {
    fc.assert(
      fc.property(outer, outer, (x, y) => {
        const a = encode(x);
        const b = encode(y);
        expect(diffMessages(a, b, { type: Outer }).sameValues).toBe(canonical(a) === canonical(b));
      }),
      { numRuns: 300 },
    );
  });

  it('finds only encoding differences between a message and its fields in reverse order', () => {
    fc.assert(
      fc.property(outer, (x) => {
        const a = encode(x);
        // Re-encode each top-level field by itself and write them last to first.
        const fields = Object.entries(Outer.fromObject(x).toJSON()).map(([k, v]) => encode({ [k]: v }));
        const b = new Uint8Array(fields.reverse().flatMap((f) => [...f]));
        expect(diffMessages(a, b, { type: Outer }).sameValues).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
