/**
 * protoc --decode_raw text printed straight from message bytes, in one tight loop per message
 * level: tags, lengths and varints are read inline (one-byte values without a call), a LEN value
 * is checked one level deep (`isNestedMessage`, protoc's rule for printing it as a message) and
 * then printed as a message or an escaped string. Nothing is allocated per field, and every
 * function here sees only the nested (CodedInputStream) reading rules, so V8 optimizes it from
 * complete type feedback early in a run (the `raw` command runs it once, cold).
 */
import { type ChunkSink, LINE_ROOM, putAscii, putHex8, putIndent, putSmallUint, putU64, putUint } from './raw-text-sink';
import { grownTo } from '../wire/typed-array';

/** protoc prints LEN values as nested messages at most this deep (kUnknownFieldRecursionLimit). */
export const PROTOC_UNKNOWN_RECURSION_LIMIT = 10;

/**
 * Where the out-of-line varint readers leave the value: low and high 32 bits as int32 (putU64
 * and putHex8 take them so), so that the value is never a boxed number and no optimized code
 * loses precision on it.
 */
const VAL = new Int32Array(2);

/**
 * Reads a varint at p of at most 10 bytes into VAL (bits above 64 dropped); returns the new
 * position, or -1 when it is truncated or longer than 10 bytes.
 */
function readVarint64(buf: Uint8Array, p: number, end: number): number {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < 10; i++) {
    if (p >= end) return -1;
    const b = buf[p++];
    if (i < 4) lo |= (b & 0x7f) << (7 * i);
    else if (i === 4) {
      lo |= (b & 0x0f) << 28;
      hi = (b & 0x7f) >> 4;
    } else hi |= (b & 0x7f) << (7 * i - 32);
    if (b < 0x80) {
      VAL[0] = lo;
      VAL[1] = hi;
      return p;
    }
  }
  return -1;
}

/**
 * Reads a varint at p of at most 10 bytes, keeping its low 32 bits in VAL[0] (how protoc's
 * CodedInputStream reads tags and lengths); returns the new position, or -1 as readVarint64.
 */
function readVarint32(buf: Uint8Array, p: number, end: number): number {
  let v = 0;
  for (let i = 0; i < 10; i++) {
    if (p >= end) return -1;
    const b = buf[p++];
    if (i < 5) v |= (b & 0x7f) << (7 * i);
    if (b < 0x80) {
      VAL[0] = v;
      return p;
    }
  }
  return -1;
}

/**
 * Group field numbers open in isNestedMessage or printTopLevel (grown when nesting is deeper).
 * Shared: printTopLevel prints (and so calls isNestedMessage) only with no group open.
 */
let groupStack = new Int32Array(16);

/**
 * Whether buf[start, end) parses completely as one message level by the rules protoc applies
 * to nested messages (10-byte tags, LEN lengths truncated to 32 bits and below 2^31), with
 * groups nested at most `maxDepth` deep; LEN contents are not descended into. Allocation-free
 * (unless groups nest deeper than 16).
 */
export function isNestedMessage(buf: Uint8Array, start: number, end: number, maxDepth: number): boolean {
  let p = start;
  let depth = 0;
  while (p < end) {
    let tag = buf[p];
    if (tag < 0x80) p++;
    else {
      p = readVarint32(buf, p, end);
      if (p < 0) return false;
      tag = VAL[0];
    }
    const fn = tag >>> 3;
    if (fn === 0) return false;
    switch (tag & 7) {
      case 0:
        for (let i = 0; ; i++) {
          if (p >= end || i === 10) return false;
          if (buf[p++] < 0x80) break;
        }
        break;
      case 1:
        p += 8;
        if (p > end) return false;
        break;
      case 5:
        p += 4;
        if (p > end) return false;
        break;
      case 2: {
        let len = p < end ? buf[p] : 0x80;
        if (len < 0x80) p++;
        else {
          p = readVarint32(buf, p, end);
          if (p < 0) return false;
          len = VAL[0];
        }
        // len < 0: 2^31 or more as unsigned, which protoc refuses; past `end`: truncated.
        if (len < 0 || len > end - p) return false;
        p += len;
        break;
      }
      case 3:
        if (depth >= maxDepth) return false;
        if (depth === groupStack.length) groupStack = grownTo(groupStack, 2 * depth);
        groupStack[depth++] = fn;
        break;
      case 4:
        if (depth === 0 || groupStack[depth - 1] !== fn) return false;
        depth--;
        break;
      default:
        return false;
    }
  }
  return depth === 0;
}

/**
 * Prints the top-level fields of buf as protoc --decode_raw does, each once it has parsed by
 * the rules of protoc's top-level parser (tags and lengths of at most 5 bytes, lengths below
 * 2^31, groups nested at most `maxDepth` deep and closed): one pass, no separate check of the
 * whole input first. Returns buf.length when all of it parsed, else where the first field
 * that did not parse starts (a group: its start tag), as ~start (negative) when it is cut
 * short by the end of buf (more input could complete it); the fields before it are printed.
 */
export function printTopLevel(buf: Uint8Array, maxDepth: number, out: ChunkSink): number {
  const end = buf.length;
  let p = 0;
  let depth = 0;
  let fieldStart = 0;
  while (p < end) {
    if (depth === 0) fieldStart = p;
    let tag = buf[p++];
    if (tag >= 0x80) {
      tag &= 0x7f;
      for (let i = 1; ; i++) {
        if (i === 5) return fieldStart;
        if (p >= end) return ~fieldStart;
        const b = buf[p++];
        tag |= (b & 0x7f) << (7 * i);
        if (b < 0x80) break;
      }
    }
    const fn = tag >>> 3;
    if (fn === 0) return fieldStart;
    switch (tag & 7) {
      case 0:
        for (let i = 0; ; i++) {
          if (i === 10) return fieldStart;
          if (p >= end) return ~fieldStart;
          if (buf[p++] < 0x80) break;
        }
        break;
      case 1:
        p += 8;
        if (p > end) return ~fieldStart;
        break;
      case 5:
        p += 4;
        if (p > end) return ~fieldStart;
        break;
      case 2: {
        let len = 0;
        for (let i = 0, scale = 1; ; i++, scale *= 128) {
          if (i === 5) return fieldStart;
          if (p >= end) return ~fieldStart;
          const b = buf[p++];
          len += (b & 0x7f) * scale;
          if (b < 0x80) break;
        }
        if (len >= 0x80000000) return fieldStart;
        if (len > end - p) return ~fieldStart;
        p += len;
        break;
      }
      case 3:
        if (depth >= maxDepth) return fieldStart;
        if (depth === groupStack.length) groupStack = grownTo(groupStack, 2 * depth);
        groupStack[depth++] = fn;
        break;
      case 4:
        if (depth === 0 || groupStack[depth - 1] !== fn) return fieldStart;
        depth--;
        break;
      default:
        return fieldStart;
    }
    // A top-level field (a group: with its end tag) is complete: print it.
    if (depth === 0) printLevel(buf, fieldStart, p, 0, PROTOC_UNKNOWN_RECURSION_LIMIT, out);
  }
  return depth === 0 ? end : ~fieldStart; // a group still open
}

/** Writes `level` indents and a closing brace line. */
export function printClose(level: number, out: ChunkSink): void {
  const b = out.reserve(2 * level + 2);
  const p = putIndent(b, out.pos, level);
  b[p] = 0x7d; // }
  b[p + 1] = 0x0a;
  out.pos = p + 2;
}

/**
 * Prints LEN field `fieldNumber` with value buf[start, end) at `level`, `budget` more LEN
 * levels allowed: as a nested message when it parses (protoc's rule), else as an escaped string.
 */
export function printLen(
  buf: Uint8Array,
  start: number,
  end: number,
  fieldNumber: number,
  level: number,
  budget: number,
  out: ChunkSink,
): void {
  const b = out.reserve(2 * level + LINE_ROOM);
  const p = putUint(b, putIndent(b, out.pos, level), fieldNumber);
  if (budget > 0 && end > start && isNestedMessage(buf, start, end, budget)) {
    b[p] = 0x20; // " {\n"
    b[p + 1] = 0x7b;
    b[p + 2] = 0x0a;
    out.pos = p + 3;
    printLevel(buf, start, end, level + 1, budget - 1, out);
    printClose(level, out);
    return;
  }
  b[p] = 0x3a; // ': "'
  b[p + 1] = 0x20;
  b[p + 2] = 0x22;
  out.pos = p + 3;
  out.escaped(buf, start, end);
  const c = out.reserve(2);
  const q = out.pos;
  c[q] = 0x22; // "
  c[q + 1] = 0x0a;
  out.pos = q + 2;
}

/**
 * Prints message bytes buf[start, end) that parse (isNestedMessage, or protoc's top-level rules)
 * the way protoc prints unknown fields, at `level` with `budget` more LEN levels allowed.
 */
export function printLevel(buf: Uint8Array, start: number, end: number, level: number, budget: number, out: ChunkSink): void {
  let p = start;
  while (p < end) {
    let tag = buf[p];
    if (tag < 0x80) p++;
    else {
      p = readVarint32(buf, p, end);
      tag = VAL[0];
    }
    const fn = tag >>> 3;
    const wt = tag & 7;
    if (wt === 2) {
      let len = buf[p];
      if (len < 0x80) p++;
      else {
        p = readVarint32(buf, p, end);
        len = VAL[0];
      }
      printLen(buf, p, p + len, fn, level, budget, out);
      p += len;
      continue;
    }
    if (wt === 4) {
      level--;
      budget++;
      printClose(level, out);
      continue;
    }
    const b = out.reserve(2 * level + LINE_ROOM);
    let q = putUint(b, putIndent(b, out.pos, level), fn);
    if (wt === 0) {
      b[q] = 0x3a; // ": "
      b[q + 1] = 0x20;
      const v = buf[p];
      if (v < 0x80) {
        p++;
        q = putSmallUint(b, q + 2, v);
      } else {
        p = readVarint64(buf, p, end);
        q = putU64(b, q + 2, VAL[0], VAL[1]);
      }
    } else if (wt === 5) {
      q = putHex8(b, putAscii(b, q, ': 0x'), buf[p] | (buf[p + 1] << 8) | (buf[p + 2] << 16) | (buf[p + 3] << 24));
      p += 4;
    } else if (wt === 1) {
      q = putAscii(b, q, ': 0x');
      q = putHex8(b, q, buf[p + 4] | (buf[p + 5] << 8) | (buf[p + 6] << 16) | (buf[p + 7] << 24));
      q = putHex8(b, q, buf[p] | (buf[p + 1] << 8) | (buf[p + 2] << 16) | (buf[p + 3] << 24));
      p += 8;
    } else {
      // wt 3: a group opens.
      b[q] = 0x20; // " {"
      b[q + 1] = 0x7b;
      q += 2;
      level++;
      budget--;
    }
    b[q] = 0x0a;
    out.pos = q + 1;
  }
}
