/**
 * Protobuf wire bytes for the mutators: a tolerant walk that finds every tag and length prefix
 * (descending LEN values that parse), and writers of varints, tags and byte concatenations.
 */

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

/**
 * Reads a varint at p; returns [value, next position] or null. The fuzzer keeps its own reader
 * (not core/wire's): it must stay independent of the code under test, and its values (bits past
 * 64 kept, as a float) decide the mutation sites, so a seeded run replays input for input.
 */
function readVarintAt(b: Uint8Array, p: number, end: number): [number, number] | null {
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
    const t = readVarintAt(b, p, end);
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
        const v = readVarintAt(b, p, end);
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
        const v = readVarintAt(b, p, end);
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

/** The bytes of all parts, one after the other. */
export function concat(...parts: (Uint8Array | number[])[]): Uint8Array {
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

/** `b` with `len` bytes at `pos` replaced by `by`. */
export function replace(b: Uint8Array, pos: number, len: number, by: number[] | Uint8Array): Uint8Array {
  return concat(b.subarray(0, pos), by, b.subarray(pos + len));
}
