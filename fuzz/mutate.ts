/**
 * Mutators for the fuzzer: generic byte mutations (bit flips, inserts, deletes, truncations,
 * splices, random bytes) and protobuf-aware ones that find the tags and length prefixes of
 * the current bytes and corrupt them (LEN set to 0 / max / ±1 / 2^32, wire types 6 and 7,
 * field 0, huge field numbers, over-long varints, wrapping in LEN or group fields). Also
 * mutators for JSON and text-format strings. All driven by a seeded Rng: deterministic.
 */
import type { Rng } from './rng';

/** Where a varint-encoded tag or length prefix sits in some bytes. */
export interface VarintSite {
  /** Offset of the first byte. */
  pos: number;
  /** Number of bytes. */
  len: number;
  /** For tags: the field number and wire type; for length prefixes: the length (fn = -1). */
  fn: number;
  wt: number;
}

/** Tags and length prefixes found by a tolerant walk of protobuf bytes (LEN values that parse are descended). */
export interface WireMap {
  tags: VarintSite[];
  lens: VarintSite[];
  /** [start, end) of each complete top-level or nested field (tag through value). */
  fields: [number, number][];
}

const MAX_SITES = 4096;

/** Reads a varint at p; returns [value (may lose precision above 2^53), next position] or null. */
function readVarint(b: Uint8Array, p: number, end: number): [number, number] | null {
  let v = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (p >= end) return null;
    const x = b[p++];
    v += (x & 0x7f) * mul;
    if (x < 0x80) return [v, p];
    mul *= 128;
  }
  return null;
}

/** Walks bytes as protobuf fields (tolerantly: stops at the first malformed spot), recording tags and length prefixes. */
export function wireMap(b: Uint8Array): WireMap {
  const map: WireMap = { tags: [], lens: [], fields: [] };
  walk(b, 0, b.length, 0, map);
  return map;
}

/** Returns true when [start, end) parsed completely as fields. */
function walk(b: Uint8Array, start: number, end: number, depth: number, map: WireMap): boolean {
  let p = start;
  while (p < end) {
    if (map.tags.length >= MAX_SITES) return false;
    const t = readVarint(b, p, end);
    if (!t) return false;
    const [tag, q] = t;
    const fn = Math.floor(tag / 8);
    const wt = tag % 8;
    if (fn === 0 || wt > 5) return false;
    map.tags.push({ pos: p, len: q - p, fn, wt });
    const fieldStart = p;
    p = q;
    switch (wt) {
      case 0: {
        const v = readVarint(b, p, end);
        if (!v) return false;
        p = v[1];
        break;
      }
      case 1:
        p += 8;
        break;
      case 5:
        p += 4;
        break;
      case 2: {
        const v = readVarint(b, p, end);
        if (!v) return false;
        map.lens.push({ pos: p, len: v[1] - p, fn: -1, wt: v[0] });
        const s = v[1];
        const e = s + v[0];
        if (e > end) return false;
        if (depth < 64 && e > s) {
          // Descend when the contents parse as fields; undo what a failed descent recorded.
          const nt = map.tags.length;
          const nl = map.lens.length;
          const nf = map.fields.length;
          if (!walk(b, s, e, depth + 1, map)) {
            map.tags.length = nt;
            map.lens.length = nl;
            map.fields.length = nf;
          }
        }
        p = e;
        break;
      }
      case 3:
      case 4:
        break;
    }
    if (p > end) return false;
    map.fields.push([fieldStart, p]);
  }
  return true;
}

/** Encodes a non-negative integer (up to 2^64-1 via bigint) as a canonical varint. */
export function varint(n: number | bigint): number[] {
  let v = BigInt(n);
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}

/** A varint padded to `len` bytes (non-canonical, still valid when len <= 10). */
export function overlongVarint(n: number | bigint, len: number): number[] {
  const v = varint(n);
  while (v.length < len) {
    v[v.length - 1] |= 0x80;
    v.push(0);
  }
  return v;
}

/** A tag varint. */
export function tag(fieldNumber: number, wireType: number): number[] {
  return varint(BigInt(fieldNumber) * 8n + BigInt(wireType));
}

function concat(...parts: (Uint8Array | number[])[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function replace(b: Uint8Array, pos: number, len: number, by: number[] | Uint8Array): Uint8Array {
  return concat(b.subarray(0, pos), by, b.subarray(pos + len));
}

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

const JSON_NUMBERS = [
  '0',
  '-0',
  '1',
  '-1',
  '1.5',
  '1e400',
  '-1e400',
  '1e-400',
  '2147483647',
  '2147483648',
  '-2147483649',
  '4294967296',
  '9007199254740993',
  '18446744073709551615',
  '18446744073709551616',
  '-9223372036854775808',
  '-9223372036854775809',
  '1e2',
  '1.0',
  '0.5e1',
  '00',
  '01',
  '.5',
  '5.',
  '-',
  '1e',
  '9'.repeat(400),
  '"NaN"',
  '"Infinity"',
  '"-Infinity"',
  '"1e3"',
  '" 1"',
  'true',
  'null',
];
const JSON_STRINGS = [
  '""',
  '"\\ud800"',
  '"\\udc00\\ud800"',
  '"\\u0000"',
  '"\\uZZZZ"',
  '"\\x41"',
  '"AAAA"',
  '"AA=="',
  '"A==="',
  '"-_-_"',
  '"a b"',
  '"1970-01-01T00:00:00Z"',
  '"0000-12-31T23:59:59Z"',
  '"9999-12-31T23:59:59.999999999Z"',
  '"10000-01-01T00:00:00Z"',
  '"1972-02-30T00:00:00Z"',
  '"2024-01-01T00:00:00+25:99"',
  '"315576000000.999999999s"',
  '"315576000001s"',
  '"-315576000001s"',
  '"1.0000000001s"',
  '"s"',
  '"type.googleapis.com/livekit.Room"',
  '"type.googleapis.com/no.Such"',
  '"/"',
  '"a.b,c"',
  '"UNKNOWN_ENUM_VALUE"',
  '"' + 'x'.repeat(1000) + '"',
  '{}',
  '[]',
  '[[]]',
  '{"@type":"type.googleapis.com/livekit.Room"}',
  '{"@type":1}',
  'null',
];
const TEXT_VALUES = [
  '0',
  '-0',
  '1',
  '-1',
  '0x7fffffff',
  '0x80000000',
  '0xffffffffffffffff',
  '0x10000000000000000',
  '-0x8000000000000000',
  '-0x8000000000000001',
  '18446744073709551616',
  '1e400',
  '-1e400',
  'inf',
  '-inf',
  'nan',
  '-nan',
  'infinity',
  '1f',
  '1.5f',
  '.5',
  '5.',
  '1e',
  '00',
  '08',
  '0.0',
  '-',
  'true',
  'false',
  'True',
  't',
  'f',
  '2',
  '"\\x"',
  '"\\400"',
  '"\\777"',
  '"\\u"',
  '"\\ud800"',
  '"\\U00110000"',
  "'a'",
  '"a" "b"',
  '""',
  '{ }',
  '< >',
  '[ ]',
  '[1, 2]',
  '{',
  '}',
  'NO_SUCH_ENUM',
  '[type.googleapis.com/livekit.Room] { }',
  '[no.such.ext]: 1',
  '99999999999: 1',
];

/** Applies 1..3 stacked mutations to a JSON or text-format string. */
export function mutateString(rng: Rng, s: string, kind: 'json' | 'text', fieldNames: readonly string[]): string {
  const k = 1 + rng.small(2);
  let cur = s;
  for (let i = 0; i < k; i++) cur = mutateStringOnce(rng, cur, kind, fieldNames);
  return cur.length > 200_000 ? cur.slice(0, 200_000) : cur;
}

const JSON_CHARS = '{}[]":,0123456789-+.eE \n\\tfnrua';
const TEXT_CHARS = '{}[]<>":;,#0123456789-+.xXeEf \n\\\'abc_';

function tokenSpans(s: string, re: RegExp): [number, number][] {
  const out: [number, number][] = [];
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null && out.length < 2000) {
    out.push([m.index, m.index + m[0].length]);
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

function mutateStringOnce(rng: Rng, s: string, kind: 'json' | 'text', fieldNames: readonly string[]): string {
  const n = s.length;
  const at = rng.int(n + 1);
  const chars = kind === 'json' ? JSON_CHARS : TEXT_CHARS;
  switch (rng.int(12)) {
    case 0: // delete a range
      return s.slice(0, at) + s.slice(Math.min(n, at + 1 + rng.int(8)));
    case 1: // insert syntax characters
      return s.slice(0, at) + chars[rng.int(chars.length)] + (rng.chance(0.3) ? chars[rng.int(chars.length)] : '') + s.slice(at);
    case 2: // replace a character (sometimes with something outside ASCII)
      if (n === 0) return chars[rng.int(chars.length)];
      return (
        s.slice(0, Math.min(at, n - 1)) +
        (rng.chance(0.8)
          ? chars[rng.int(chars.length)]
          : String.fromCharCode(rng.pick([0, 0x1f, 0x7f, 0xa0, 0xd800, 0xdc00, 0xfeff, 0xffff, rng.int(0x10000)]))) +
        s.slice(Math.min(at, n - 1) + 1)
      );
    case 3: // truncate
      return s.slice(0, at);
    case 4: {
      // duplicate a range
      const st = rng.int(n + 1);
      const piece = s.slice(st, st + 1 + rng.int(40));
      return s.slice(0, at) + piece + s.slice(at);
    }
    case 5:
    case 6: {
      // replace a number token
      const spans = tokenSpans(s, kind === 'json' ? /-?\d[\d.eE+-]*/g : /-?(?:0[xX][0-9a-fA-F]+|\d[\d.eE+-]*[fF]?)/g);
      if (!spans.length) return s + (kind === 'json' ? '1' : ' 1: 1');
      const [a, b] = rng.pick(spans);
      return s.slice(0, a) + rng.pick(kind === 'json' ? JSON_NUMBERS : TEXT_VALUES) + s.slice(b);
    }
    case 7:
    case 8: {
      // replace a string token (or a value after ':')
      const spans = tokenSpans(s, kind === 'json' ? /"(?:[^"\\]|\\.)*"/g : /:\s*[^\s{}<>[\],;]+/g);
      if (!spans.length) return s;
      const [a, b] = rng.pick(spans);
      return kind === 'json'
        ? s.slice(0, a) + rng.pick(JSON_STRINGS) + s.slice(b)
        : s.slice(0, a) + ': ' + rng.pick(TEXT_VALUES) + s.slice(b);
    }
    case 9: {
      // swap a field name for another of the same type (wrong kinds of value)
      const spans = tokenSpans(s, kind === 'json' ? /"[A-Za-z_][A-Za-z0-9_]*"(?=\s*:)/g : /^\s*[A-Za-z_][A-Za-z0-9_]*/gm);
      if (!spans.length || !fieldNames.length) return s;
      const [a, b] = rng.pick(spans);
      const name = rng.pick(fieldNames);
      const lead = s.slice(a, b).match(/^\s*/)![0];
      return s.slice(0, a) + (kind === 'json' ? JSON.stringify(name) : lead + name) + s.slice(b);
    }
    case 10: {
      // deep nesting
      const depth = rng.pick([10, 100, 199, 200, 201, 1000, 5000]);
      if (kind === 'json') {
        const open = rng.chance(0.5) ? '[' : '{"a":';
        return s.slice(0, at) + open.repeat(depth) + s.slice(at);
      }
      const name = fieldNames.length ? rng.pick(fieldNames) : 'a';
      return s.slice(0, at) + `${name} { `.repeat(depth) + s.slice(at) + ' }'.repeat(rng.chance(0.5) ? depth : 0);
    }
    default: {
      // repeat a whole line or entry many times
      const lines = s.split('\n');
      const li = rng.int(lines.length);
      const times = rng.pick([2, 10, 100]);
      lines.splice(li, 0, ...new Array<string>(times).fill(lines[li]));
      return lines.join('\n');
    }
  }
}
