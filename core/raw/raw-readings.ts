/**
 * Candidate readings of raw values, ranked by a confidence score and all kept: a varint as
 * uint64 / int64 / sint64 / bool, I64 and I32 as fixed, sfixed and floating point, and a LEN
 * value as an embedded message, a UTF-8 string, packed numbers or bytes (computed on demand).
 */
import type { FieldNode } from '../document/model';
import { isValidUtf8 } from '../wire/utf8';
import { readVarint } from '../wire/varint';
import { tryParseMessage } from './raw-decode';
import { parsesAsMessage, SMALL_BIGINTS, V, varintBig } from './raw-scan';

/** A numeric reading of a VARINT, I64 or I32 value under one protobuf scalar type. */
export interface ScalarReading {
  type: 'uint64' | 'int64' | 'sint64' | 'bool' | 'fixed64' | 'sfixed64' | 'double' | 'fixed32' | 'sfixed32' | 'float';
  /** 64-bit integers as bigint; 32-bit integers and floats as number; bool as boolean. */
  value: bigint | number | boolean;
  /** 0..1: how plausible this reading is compared with the others of the same value. */
  confidence: number;
}

/** A LEN value read as an embedded message: it parsed completely; `fields` have absolute spans. */
export interface MessageReading {
  type: 'message';
  fields: readonly FieldNode[];
  confidence: number;
}

/** A LEN value read as a UTF-8 string (valid UTF-8). */
export interface StringReading {
  type: 'string';
  /** The text (decoded on first access). */
  readonly value: string;
  /** Its length in UTF-16 code units (value.length), known without decoding it. */
  readonly length: number;
  confidence: number;
}

/** A LEN value read as a packed run of varints (unsigned 64-bit each). */
export interface PackedVarintReading {
  type: 'packed-varint';
  /** The elements (materialized on first access). */
  readonly values: bigint[];
  /** Number of elements. */
  count: number;
  confidence: number;
}

/** A LEN value read as a packed run of fixed32 (unsigned 32-bit each; reinterpret as float/sfixed32 as needed). */
export interface PackedFixed32Reading {
  type: 'packed-fixed32';
  /** The elements (materialized on first access). */
  readonly values: number[];
  /** Number of elements. */
  count: number;
  confidence: number;
}

/** A LEN value read as a packed run of fixed64 (unsigned 64-bit each). */
export interface PackedFixed64Reading {
  type: 'packed-fixed64';
  /** The elements (materialized on first access). */
  readonly values: bigint[];
  /** Number of elements. */
  count: number;
  confidence: number;
}

/** A LEN value read as plain bytes (always possible). */
export interface BytesReading {
  type: 'bytes';
  value: Uint8Array;
  confidence: number;
}

/** A group's fields (a group has exactly one reading). */
export interface GroupReading {
  type: 'group';
  fields: readonly FieldNode[];
  confidence: number;
}

/** A candidate reading of a LEN value. */
export type LenReading = MessageReading | StringReading | PackedVarintReading | PackedFixed32Reading | PackedFixed64Reading | BytesReading;

/** Any candidate reading of a raw node. */
export type RawReading = ScalarReading | LenReading | GroupReading;

/** Options for interpretLen. */
export interface InterpretOptions {
  /** Maximum group nesting inside the embedded-message reading (default 100). */
  maxDepth?: number;
  /** Maximum nodes created by the embedded-message reading (default 50 million). */
  maxNodes?: number;
}

const byConfidence = (a: { confidence: number }, b: { confidence: number }) => b.confidence - a.confidence;

/** Readings of a varint (unsigned 64-bit): uint64, int64, sint64, and bool when 0 or 1; best first. */
export function interpretVarint(v: bigint): ScalarReading[] {
  const negative = v >= 0x8000000000000000n;
  const out: ScalarReading[] = [
    { type: 'uint64', value: v, confidence: negative ? 0.2 : 0.5 },
    { type: 'int64', value: BigInt.asIntN(64, v), confidence: negative ? 0.8 : 0.45 },
    { type: 'sint64', value: BigInt.asIntN(64, (v >> 1n) ^ -(v & 1n)), confidence: 0.25 },
  ];
  if (v === 0n || v === 1n) out.push({ type: 'bool', value: v === 1n, confidence: 0.4 });
  return out.sort(byConfidence);
}

const F64 = new Float64Array(1);

const F64_U32 = new Uint32Array(F64.buffer);

const F32 = new Float32Array(1);

const F32_U32 = new Uint32Array(F32.buffer);

function niceFloat(x: number): boolean {
  if (!Number.isFinite(x)) return false;
  const a = Math.abs(x);
  return a === 0 || (a >= 1e-6 && a <= 1e12);
}

/** Reinterprets a fixed64 bit pattern as a double. */
export function bitsToDouble(v: bigint): number {
  F64_U32[0] = Number(v & 0xffffffffn);
  F64_U32[1] = Number(v >> 32n);
  return F64[0];
}

/** Reinterprets a fixed32 bit pattern as a float. */
export function bitsToFloat(v: number): number {
  F32_U32[0] = v >>> 0;
  return F32[0];
}

/** Readings of an I64 value (unsigned 64-bit): fixed64, sfixed64, double; best first. */
export function interpretI64(v: bigint): ScalarReading[] {
  const d = bitsToDouble(v);
  const s = BigInt.asIntN(64, v);
  const out: ScalarReading[] = [
    { type: 'fixed64', value: v, confidence: s < 0n ? 0.25 : 0.4 },
    { type: 'sfixed64', value: s, confidence: s < 0n && s > -(2n ** 53n) ? 0.45 : 0.3 },
    { type: 'double', value: d, confidence: niceFloat(d) && d !== 0 ? 0.6 : 0.1 },
  ];
  return out.sort(byConfidence);
}

/** Readings of an I32 value (unsigned 32-bit): fixed32, sfixed32, float; best first. */
export function interpretI32(v: number): ScalarReading[] {
  const f = bitsToFloat(v);
  const s = v | 0;
  const out: ScalarReading[] = [
    { type: 'fixed32', value: v >>> 0, confidence: s < 0 ? 0.25 : 0.4 },
    { type: 'sfixed32', value: s, confidence: s < 0 && s > -1_000_000 ? 0.45 : 0.3 },
    { type: 'float', value: f, confidence: niceFloat(f) && f !== 0 ? 0.6 : 0.1 },
  ];
  return out.sort(byConfidence);
}

const utf8Fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Share of code points of valid UTF-8 bytes that are printable (C0/C1 controls other than \t \n \r are not). */
function printableShareUtf8(b: Uint8Array): number {
  let total = 0;
  let printable = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c >= 0x80 && c < 0xc0) continue; // continuation byte: counted with its lead byte
    total++;
    if (c < 0x80) {
      if ((c >= 0x20 && c !== 0x7f) || c === 0x09 || c === 0x0a || c === 0x0d) printable++;
    } else if (!(c === 0xc2 && b[i + 1] < 0xa0)) printable++; // U+0080..U+009F are C1 controls
  }
  return total === 0 ? 1 : printable / total;
}

function isPrintableAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (!((b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d)) return false;
  }
  return true;
}

/** A cheap check that bytes are plausibly structured: valid mostly-printable UTF-8 or a message that parses one level. */
function plausiblyStructured(bytes: Uint8Array): boolean {
  if (isValidUtf8(bytes) && printableShareUtf8(bytes) >= 0.9) return true;
  return parsesAsMessage(bytes, 0, bytes.length, 8);
}

function messageConfidence(bytes: Uint8Array, fields: readonly FieldNode[], printable: boolean): number {
  if (fields.length === 0) return 0.2; // empty LEN: an empty message is possible, a string more likely
  let maxField = 0;
  let groups = false;
  let lenCovered = 0;
  let lenPlausible = true;
  for (const f of fields) {
    if (f.fieldNumber > maxField) maxField = f.fieldNumber;
    if (f.wireType === 3) groups = true;
    if (f.wireType === 2) {
      const raw = (f.value as { raw: Uint8Array }).raw;
      if (raw.length > 0) {
        lenCovered += raw.length;
        if (lenPlausible && !plausiblyStructured(raw)) lenPlausible = false;
      }
    }
  }
  let c = 0.6;
  if (maxField <= 100) c += 0.2;
  else if (maxField <= 1000) c += 0.1;
  else if (maxField > 65535) c -= 0.3;
  if (lenPlausible && lenCovered * 2 >= bytes.length) c += 0.15;
  if (printable && bytes.length / fields.length < 6) c -= 0.35;
  if (groups) c -= 0.1;
  if (bytes.length <= 2) c -= 0.05;
  return Math.min(0.97, Math.max(0.05, c));
}

/** Number of varints that exactly fill bytes, or -1 when they do not. Allocation-free. */
function countPackedVarints(bytes: Uint8Array): number {
  let n = 0;
  let p = 0;
  while (p < bytes.length) {
    const r = readVarint(bytes, p, bytes.length, V);
    if (r < 0) return -1;
    n++;
    p = r;
  }
  return n;
}

/** A string reading whose text is decoded on first use. */
class LazyStringReading implements StringReading {
  readonly type = 'string';
  private text: string | null = null;
  constructor(
    private readonly bytes: Uint8Array,
    readonly confidence: number,
  ) {}
  get value(): string {
    return (this.text ??= utf8Fatal.decode(this.bytes));
  }
  get length(): number {
    return this.text !== null ? this.text.length : utf16Length(this.bytes);
  }
}

/** UTF-16 length of valid UTF-8: one unit per sequence, two for 4-byte ones (outside the BMP). */
function utf16Length(bytes: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if ((b & 0xc0) !== 0x80) n += b >= 0xf0 ? 2 : 1;
  }
  return n;
}

/** A packed reading whose values are materialized on first use (a big LEN would otherwise allocate millions). */
class LazyPackedReading<T extends 'packed-varint' | 'packed-fixed32' | 'packed-fixed64'> {
  private vals: (T extends 'packed-fixed32' ? number : bigint)[] | null = null;
  constructor(
    readonly type: T,
    private readonly bytes: Uint8Array,
    /** Number of elements. */
    readonly count: number,
    readonly confidence: number,
  ) {}
  get values(): (T extends 'packed-fixed32' ? number : bigint)[] {
    if (this.vals === null) this.vals = decodePacked(this.type, this.bytes) as (T extends 'packed-fixed32' ? number : bigint)[];
    return this.vals;
  }
}

function decodePacked(type: 'packed-varint' | 'packed-fixed32' | 'packed-fixed64', bytes: Uint8Array): (number | bigint)[] {
  const out: (number | bigint)[] = [];
  const len = bytes.length;
  if (type === 'packed-varint') {
    for (let p = 0; p < len;) {
      p = readVarint(bytes, p, len, V);
      out.push(varintBig());
    }
  } else if (type === 'packed-fixed32') {
    for (let p = 0; p < len; p += 4) out.push((bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24)) >>> 0);
  } else {
    for (let p = 0; p < len; p += 8) {
      const lo = (bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24)) >>> 0;
      const hi = (bytes[p + 4] | (bytes[p + 5] << 8) | (bytes[p + 6] << 16) | (bytes[p + 7] << 24)) >>> 0;
      out.push(hi === 0 ? (lo < 1024 ? SMALL_BIGINTS[lo] : BigInt(lo)) : (BigInt(hi) << 32n) | BigInt(lo));
    }
  }
  return out;
}

/**
 * Ranked candidate readings of a LEN value (best first, all kept): embedded message (when it
 * parses completely), UTF-8 string (when valid), packed varint / fixed32 / fixed64 (when the
 * length fits), and bytes (always). `absoluteOffset` is where `bytes` starts in the document.
 */
export function interpretLen(bytes: Uint8Array, absoluteOffset = 0, options: InterpretOptions = {}): LenReading[] {
  const out: LenReading[] = [];
  const len = bytes.length;
  const utf8 = isValidUtf8(bytes);
  const share = utf8 ? printableShareUtf8(bytes) : 0;
  const printableText = utf8 && len > 0 && isPrintableAscii(bytes);
  const fields = tryParseMessage(bytes, absoluteOffset, options.maxDepth, options.maxNodes);
  if (fields) out.push({ type: 'message', fields, confidence: messageConfidence(bytes, fields, printableText) });
  if (utf8) {
    const c = len === 0 ? 0.5 : share >= 0.95 ? 0.9 : share >= 0.8 ? 0.6 : 0.25 * share;
    out.push(new LazyStringReading(bytes, c));
  }
  if (len > 0) {
    const n = countPackedVarints(bytes);
    if (n > 0) {
      const multiByte = n < len;
      let c = 0.3;
      if (printableText) c = 0.15;
      else if (multiByte && (!utf8 || share < 0.8)) c = 0.45;
      out.push(new LazyPackedReading('packed-varint', bytes, n, c));
    }
    if (len % 4 === 0) {
      let nice = true;
      let nonZero = false;
      for (let p = 0; p < len && nice; p += 4) {
        const v = (bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24)) >>> 0;
        if (!niceFloat(bitsToFloat(v))) nice = false;
        if ((v & 0x7fffffff) !== 0) nonZero = true;
      }
      out.push(new LazyPackedReading('packed-fixed32', bytes, len / 4, nice && nonZero && !printableText ? (len > 4 ? 0.5 : 0.3) : 0.12));
    }
    if (len % 8 === 0) {
      let nice = true;
      let nonZero = false;
      for (let p = 0; p < len && nice; p += 8) {
        F64_U32[0] = (bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24)) >>> 0;
        F64_U32[1] = (bytes[p + 4] | (bytes[p + 5] << 8) | (bytes[p + 6] << 16) | (bytes[p + 7] << 24)) >>> 0;
        if (!niceFloat(F64[0])) nice = false;
        if (F64[0] !== 0) nonZero = true;
      }
      out.push(new LazyPackedReading('packed-fixed64', bytes, len / 8, nice && nonZero && !printableText ? 0.48 : 0.12));
    }
  }
  out.push({ type: 'bytes', value: bytes, confidence: len === 0 ? 0.3 : 0.2 });
  return out.sort(byConfidence);
}

const readingCache = new WeakMap<FieldNode, RawReading[]>();

/** Candidate readings of a raw (unknown) node, best first; LEN readings are computed once per node and cached. */
export function readingsOf(node: FieldNode, options: InterpretOptions = {}): RawReading[] {
  return readingsOfNode(node, options, true);
}

/** As readingsOf; `cache` false skips the per-node cache (for one-pass renderings of big trees). */
export function readingsOfNode(node: FieldNode, options: InterpretOptions, cache: boolean): RawReading[] {
  if (node.value.kind !== 'unknown') return [];
  const raw = node.value.raw;
  switch (node.wireType) {
    case 0:
      return interpretVarint(raw as bigint);
    case 1:
      return interpretI64(raw as bigint);
    case 5:
      return interpretI32(raw as number);
    case 3:
      return [{ type: 'group', fields: raw as readonly FieldNode[], confidence: 1 }];
    case 2: {
      const cached = readingCache.get(node);
      if (cached) return cached;
      const r = interpretLen(raw as Uint8Array, node.span ? node.span.valueStart : 0, options);
      if (cache) readingCache.set(node, r);
      return r;
    }
    default:
      return [];
  }
}
