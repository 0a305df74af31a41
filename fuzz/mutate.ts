/**
 * Mutators for the fuzzer: generic byte mutations (bit flips, inserts, deletes, truncations,
 * splices, random bytes) and protobuf-aware ones that find the tags and length prefixes of
 * the current bytes and corrupt them (LEN set to 0 / max / ±1 / 2^32, wire types 6 and 7,
 * field 0, huge field numbers, over-long varints, wrapping in LEN or group fields). String
 * mutators are in mutate-string.ts. All driven by a seeded Rng: deterministic.
 */
import type { Rng } from './rng';
import { concat, overlongVarint, replace, tag, varint, wireMap, type VarintSite } from './wire-map';

const INTERESTING_BYTES = [
  0x00, 0x01, 0x7f, 0x80, 0x81, 0xff, 0xfe, 0x08, 0x0a, 0x0b, 0x0c, 0x0f, 0x10, 0x12, 0x1a, 0x22, 0x06, 0x07, 0x0e, 0x03, 0x04,
];

/** Length values to write into a LEN prefix: 0, max, ±1, 2^31, 2^32, 2^64-1 and friends. */
function corruptLength(rng: Rng, old: number, remaining: number): bigint {
  const choices: bigint[] = [
    0n,
    1n,
    BigInt(old + 1),
    BigInt(Math.max(0, old - 1)),
    BigInt(old * 2 + 1),
    BigInt(remaining),
    BigInt(remaining + 1),
    2n ** 31n - 1n,
    2n ** 31n,
    2n ** 32n - 1n,
    2n ** 32n,
    2n ** 32n + 1n,
    2n ** 53n,
    2n ** 63n,
    2n ** 64n - 1n,
    0x7fn,
    0x80n,
    0x3fffn,
    0x4000n,
  ];
  return rng.pick(choices);
}

/** Tag corruptions: wire types 6/7, field 0, huge or illegal field numbers, other wire types, 5+ byte tags. */
function corruptTag(rng: Rng, site: VarintSite): number[] {
  switch (rng.int(9)) {
    case 0:
      return tag(site.fn, 6);
    case 1:
      return tag(site.fn, 7);
    case 2:
      return tag(0, site.wt);
    case 3:
      return tag(0x1fffffff, site.wt); // the largest legal field number
    case 4:
      return tag(0x20000000, site.wt); // one past it
    case 5:
      return varint(2n ** 35n - 1n); // a tag longer than 32 bits
    case 6:
      return tag(site.fn, rng.int(6)); // another (valid) wire type
    case 7:
      return overlongVarint(site.fn * 8 + site.wt, rng.range(site.len + 1, 6)); // an over-long tag
    default:
      return tag(rng.pick([1, 2, 3, 15, 16, 19000, 19999, 536870911, rng.range(1, 200)]), site.wt);
  }
}

/** Every binary mutation by name (used by the summary and by tests). */
export const BINARY_MUTATIONS = [
  'flip',
  'set-byte',
  'insert',
  'delete',
  'truncate',
  'duplicate',
  'len-corrupt',
  'tag-corrupt',
  'overlong',
  'splice',
  'random',
  'wrap-len',
  'wrap-group',
  'repeat-field',
  'nest-deep',
] as const;

/** A binary mutation name. */
export type BinaryMutation = (typeof BINARY_MUTATIONS)[number];

/** Applies one named mutation; `other` is a second input for splices. */
export function mutateOnce(rng: Rng, b: Uint8Array, m: BinaryMutation, other: Uint8Array): Uint8Array {
  const n = b.length;
  switch (m) {
    case 'flip': {
      if (n === 0) return Uint8Array.of(rng.int(256));
      const out = b.slice();
      const k = 1 + rng.small(3);
      for (let i = 0; i < k; i++) out[rng.int(n)] ^= 1 << rng.int(8);
      return out;
    }
    case 'set-byte': {
      if (n === 0) return Uint8Array.of(rng.pick(INTERESTING_BYTES));
      const out = b.slice();
      out[rng.int(n)] = rng.chance(0.5) ? rng.pick(INTERESTING_BYTES) : rng.int(256);
      return out;
    }
    case 'insert': {
      const k = 1 + rng.small(6);
      const ins: number[] = [];
      for (let i = 0; i < k; i++) ins.push(rng.chance(0.5) ? rng.pick(INTERESTING_BYTES) : rng.int(256));
      return replace(b, rng.int(n + 1), 0, ins);
    }
    case 'delete': {
      if (n === 0) return b;
      const pos = rng.int(n);
      const len = 1 + rng.int(Math.min(n - pos, rng.chance(0.7) ? 4 : n));
      return replace(b, pos, len, []);
    }
    case 'truncate':
      return b.slice(0, rng.int(n + 1));
    case 'duplicate': {
      if (n === 0) return b;
      const pos = rng.int(n);
      const len = 1 + rng.int(Math.min(n - pos, 64));
      return replace(b, rng.int(n + 1), 0, b.slice(pos, pos + len));
    }
    case 'len-corrupt': {
      const map = wireMap(b);
      if (map.lens.length === 0) return mutateOnce(rng, b, 'tag-corrupt', other);
      const site = rng.pick(map.lens);
      const v = corruptLength(rng, site.wt, n - site.pos - site.len);
      return replace(b, site.pos, site.len, varint(v));
    }
    case 'tag-corrupt': {
      const map = wireMap(b);
      if (map.tags.length === 0) return mutateOnce(rng, b, 'insert', other);
      const site = rng.pick(map.tags);
      return replace(b, site.pos, site.len, corruptTag(rng, site));
    }
    case 'overlong': {
      // Rewrites a tag or length prefix with padding bytes: same value, non-canonical encoding.
      const map = wireMap(b);
      const sites = [...map.tags, ...map.lens];
      if (sites.length === 0) return mutateOnce(rng, b, 'flip', other);
      const site = rng.pick(sites);
      const value = site.fn >= 0 ? site.fn * 8 + site.wt : site.wt;
      return replace(b, site.pos, site.len, overlongVarint(value, rng.range(site.len + 1, site.fn >= 0 ? 5 : 10)));
    }
    case 'splice': {
      const a = rng.int(n + 1);
      const s = rng.int(other.length + 1);
      const e = s + rng.int(other.length - s + 1);
      return rng.chance(0.5) ? concat(b.subarray(0, a), other.subarray(s)) : replace(b, a, rng.int(n - a + 1), other.subarray(s, e));
    }
    case 'random': {
      const out = new Uint8Array(rng.int(rng.chance(0.8) ? 24 : 256));
      for (let i = 0; i < out.length; i++) out[i] = rng.int(256);
      return out;
    }
    case 'wrap-len': {
      // A well-formed LEN field around the whole input or one of its fields.
      const map = wireMap(b);
      const fn = rng.pick([1, 2, 3, 4, 5, rng.range(1, 30)]);
      if (map.fields.length && rng.chance(0.5)) {
        const [s, e] = rng.pick(map.fields);
        return replace(b, s, 0, [...tag(fn, 2), ...varint(e - s)]);
      }
      return concat(tag(fn, 2), varint(n), b);
    }
    case 'wrap-group': {
      const fn = rng.pick([1, 2, 3, 4, 5, rng.range(1, 30)]);
      return concat(tag(fn, 3), b, tag(rng.chance(0.9) ? fn : fn + 1, 4));
    }
    case 'repeat-field': {
      // One field repeated many times: many nodes from few distinct bytes.
      const map = wireMap(b);
      if (map.fields.length === 0) return mutateOnce(rng, b, 'duplicate', other);
      const [s, e] = rng.pick(map.fields);
      const k = rng.pick([2, 10, 100, 1000]);
      const piece = b.subarray(s, e);
      if (piece.length * k > 65536) return b;
      const rep = new Uint8Array(piece.length * k);
      for (let i = 0; i < k; i++) rep.set(piece, i * piece.length);
      return replace(b, e, 0, rep);
    }
    case 'nest-deep': {
      // Deep nesting: a chain of LEN (or group) fields, each wrapping the next.
      const depth = rng.pick([50, 99, 100, 101, 150, 500, 2000]);
      const fn = rng.pick([1, 2, 3, 4, 5]);
      if (rng.chance(0.5)) {
        const open = tag(fn, 3);
        const close = tag(fn, 4);
        const out = new Uint8Array(n + depth * (open.length + close.length));
        let o = 0;
        for (let i = 0; i < depth; i++) {
          out.set(open, o);
          o += open.length;
        }
        out.set(b, o);
        o += n;
        for (let i = 0; i < depth; i++) {
          out.set(close, o);
          o += close.length;
        }
        return out;
      }
      let cur = b;
      for (let i = 0; i < depth; i++) cur = concat(tag(fn, 2), varint(cur.length), cur);
      return cur;
    }
  }
}

/** Weighted choice of a binary mutation (protobuf-aware ones often). */
function chooseMutation(rng: Rng): BinaryMutation {
  const r = rng.int(100);
  if (r < 12) return 'flip';
  if (r < 20) return 'set-byte';
  if (r < 27) return 'insert';
  if (r < 34) return 'delete';
  if (r < 42) return 'truncate';
  if (r < 47) return 'duplicate';
  if (r < 60) return 'len-corrupt';
  if (r < 72) return 'tag-corrupt';
  if (r < 77) return 'overlong';
  if (r < 83) return 'splice';
  if (r < 86) return 'random';
  if (r < 91) return 'wrap-len';
  if (r < 94) return 'wrap-group';
  if (r < 98) return 'repeat-field';
  return 'nest-deep';
}

/** Applies 1..4 stacked mutations; returns the result and the names applied. The result is capped at `maxSize` bytes. */
export function mutateBytes(rng: Rng, b: Uint8Array, other: Uint8Array, maxSize = 65536): { bytes: Uint8Array; ops: BinaryMutation[] } {
  const k = 1 + rng.small(3);
  const ops: BinaryMutation[] = [];
  let cur = b;
  for (let i = 0; i < k; i++) {
    const m = chooseMutation(rng);
    ops.push(m);
    cur = mutateOnce(rng, cur, m, other);
    if (cur.length > maxSize) cur = cur.slice(0, maxSize);
  }
  return { bytes: cur === b ? b.slice() : cur, ops };
}

// ---------------------------------------------------------------------------------------------
// Strings (JSON and text format)
