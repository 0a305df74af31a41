/**
 * Text and JSON renderings of a schema-less decode (`decodeRaw`).
 *
 * - `rawToText` prints protoc's `--decode_raw` layout. In 'protoc' mode (the default) the
 *   output is byte-for-byte what protoc 3.21 prints for input it accepts (LEN values shown
 *   as nested messages when they parse, else as C-escaped strings; nesting of LEN messages
 *   limited to 10 as protoc does), plus a `# parsing stopped ...` line where protoc would
 *   fail. In 'best' mode every value is shown as its best-ranked reading.
 * - `rawToJson` returns a JSON-ready object (see RawJson) with spans and ranked readings.
 */
import type { FieldNode } from '../document/model';
import { cEscape } from '../format/text-escape';
import { bytesToBase64 } from '../wire/base64';
import {
  decodeRaw,
  DEFAULT_RAW_LIMITS,
  parsesAsMessage,
  readFieldAt,
  readingsOf,
  readingsOfNode,
  type FieldStep,
  type RawDecodeOptions,
  type RawDecodeResult,
  type RawReading,
  type RawStop,
  type ScalarReading,
} from './raw-decode';

/** Options for rawToText. */
export interface RawTextOptions {
  /** 'protoc' (default): as protoc --decode_raw; 'best': each value as its best-ranked reading. */
  mode?: 'protoc' | 'best';
}

/** protoc prints LEN values as nested messages at most this deep (kUnknownFieldRecursionLimit). */
export const PROTOC_UNKNOWN_RECURSION_LIMIT = 10;

/** Escapes a string for text format, keeping printable Unicode as it is. */
function escapeText(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x22) out += '\\"';
    else if (c === 0x27) out += "\\'";
    else if (c === 0x5c) out += '\\\\';
    else if (c < 0x20 || c === 0x7f) out += '\\' + ((c >> 6) & 7) + ((c >> 3) & 7) + (c & 7);
    else out += s[i];
  }
  return out;
}

const INDENTS: string[] = [];
function indentAt(level: number): string {
  return INDENTS[level] ?? (INDENTS[level] = '  '.repeat(level));
}

const TWO32 = 4294967296;
const HEX_DIGITS = new Uint8Array([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]); // 0-9a-f

/** Each byte as CEscape prints it (cEscape of that byte), as a little-endian word of up to 4 ASCII bytes, and how many of them are used. */
const ESCAPE_WORDS = new Uint32Array(256);
const ESCAPE_LENGTH = new Uint8Array(256);
for (let b = 0; b < 256; b++) {
  const esc = cEscape(new Uint8Array([b])) || String.fromCharCode(b);
  for (let i = 0; i < esc.length; i++) ESCAPE_WORDS[b] |= esc.charCodeAt(i) << (8 * i);
  ESCAPE_LENGTH[b] = esc.length;
}

// Writers of protoc-mode text: each writes at b[p] (room already made) and returns the new position.

/** `level` indents of two spaces. */
function putIndent(b: Uint8Array, p: number, level: number): number {
  for (const stop = p + 2 * level; p < stop; p++) b[p] = 0x20;
  return p;
}

/** A non-negative integer below 2^53 in decimal: at most 16 bytes. */
function putUint(b: Uint8Array, p: number, n: number): number {
  if (n < 1e8) return putSmallUint(b, p, n);
  // Two halves of at most 8 digits each, so that all the digit arithmetic stays in int32.
  const high = Math.floor(n / 1e8);
  return putDigits(b, putSmallUint(b, p, high), n - high * 1e8, 8);
}

/** An integer in [0, 1e8) in decimal. */
function putSmallUint(b: Uint8Array, p: number, n: number): number {
  if (n < 10) {
    b[p] = 48 + n;
    return p + 1;
  }
  let digits = 2;
  for (let m = 100; m <= n; m *= 10) digits++;
  return putDigits(b, p, n, digits);
}

/** An integer in [0, 1e8) as exactly `digits` decimal digits (zero-padded). */
function putDigits(b: Uint8Array, p: number, n: number, digits: number): number {
  const stop = p + digits;
  for (let i = stop - 1; i >= p; i--) {
    const q = (n / 10) | 0;
    b[i] = 48 + n - q * 10;
    n = q;
  }
  return stop;
}

/** An unsigned 64-bit value given as two 32-bit halves, in decimal: at most 20 bytes. */
function putU64(b: Uint8Array, p: number, lo: number, hi: number): number {
  if (hi < 0x200000) return putUint(b, p, hi * TWO32 + lo);
  return putAscii(b, p, ((BigInt(hi) << 32n) | BigInt(lo)).toString());
}

/** 8 lowercase hex digits of a 32-bit value. */
function putHex8(b: Uint8Array, p: number, v: number): number {
  for (let i = p + 7; i >= p; i--) {
    b[i] = HEX_DIGITS[v & 15];
    v >>>= 4;
  }
  return p + 8;
}

/** An ASCII string. */
function putAscii(b: Uint8Array, p: number, s: string): number {
  for (let i = 0; i < s.length; i++) b[p++] = s.charCodeAt(i);
  return p;
}

/** Room for one line other than an escaped string's: indent, a 10-digit field number, ": 0x" and 16 hex digits or ": " and 20 digits, newline. */
const LINE_ROOM = 40;

/** Size of the chunks that writeRawText hands out by default. */
export const RAW_TEXT_CHUNK_BYTES = 1 << 16;

/**
 * Where protoc-mode text is written. It is pure ASCII (every byte >= 0x7f is escaped), so it
 * goes as bytes into fixed-size chunks, each handed to `emit` once full: no strings are built
 * and nothing is copied. Writers reserve room for a whole line, then write into `buf` at `pos`.
 */
class ChunkSink {
  buf: Uint8Array;
  pos = 0;
  private view: DataView;

  constructor(
    private readonly size: number,
    private readonly emit: (chunk: Uint8Array) => void,
  ) {
    this.buf = new Uint8Array(size);
    this.view = new DataView(this.buf.buffer);
  }

  /** Makes room for n more bytes (handing over the current chunk when they do not fit); returns the buffer to write to. */
  reserve(n: number): Uint8Array {
    if (this.pos + n > this.buf.length) this.next(n);
    return this.buf;
  }

  private next(n: number): void {
    this.end();
    // Larger than a chunk only when one line's indent does not fit in it (deep nesting, tiny chunks).
    this.buf = new Uint8Array(Math.max(this.size, n));
    this.view = new DataView(this.buf.buffer);
  }

  /** Hands over what is written and not yet handed over (at the end, and when a chunk is full). */
  end(): void {
    if (this.pos > 0) this.emit(this.buf.subarray(0, this.pos));
    this.pos = 0;
  }

  /** Appends an ASCII string. */
  ascii(s: string): void {
    this.pos = putAscii(this.reserve(s.length), this.pos, s);
  }

  /** Appends src[start, end) escaped as protoc's CEscape does, across as many chunks as it takes. */
  escaped(src: Uint8Array, start: number, end: number): void {
    while (start < end) {
      // A byte takes at most 4: escape as many as surely fit here, the rest in the next chunk.
      this.reserve(4);
      const stop = Math.min(end, start + ((this.buf.length - this.pos) >> 2));
      const v = this.view;
      let p = this.pos;
      for (let i = start; i < stop; i++) {
        const c = src[i];
        v.setUint32(p, ESCAPE_WORDS[c], true); // all 4 bytes, then advance by the ones used
        p += ESCAPE_LENGTH[c];
      }
      this.pos = p;
      start = stop;
    }
  }
}

/** Writes `level` indents and a closing brace line. */
function printClose(level: number, out: ChunkSink): void {
  const b = out.reserve(2 * level + 2);
  const p = putIndent(b, out.pos, level);
  b[p] = 0x7d; // }
  b[p + 1] = 0x0a;
  out.pos = p + 2;
}

/** Prints a LEN value at its budget: as a nested message when it parses (protoc's rule), else as an escaped string. */
function printLenProtoc(
  buf: Uint8Array,
  start: number,
  end: number,
  fieldNumber: number,
  level: number,
  budget: number,
  out: ChunkSink,
): void {
  const b = out.reserve(2 * level + LINE_ROOM);
  let p = putUint(b, putIndent(b, out.pos, level), fieldNumber);
  if (budget > 0 && end > start && parsesAsMessage(buf, start, end, budget)) {
    out.pos = putAscii(b, p, ' {\n');
    printBytesProtoc(buf, start, end, level + 1, budget - 1, out);
    printClose(level, out);
    return;
  }
  out.pos = putAscii(b, p, ': "');
  out.escaped(buf, start, end);
  const c = out.reserve(2);
  p = out.pos;
  c[p] = 0x22; // "
  c[p + 1] = 0x0a;
  out.pos = p + 2;
}

const STEP: FieldStep = { fieldNumber: 0, wireType: 0, valueStart: 0, end: 0, lo: 0, hi: 0 };

/** Prints already-validated message bytes the way protoc prints unknown fields, without building nodes. */
function printBytesProtoc(buf: Uint8Array, start: number, end: number, level: number, budget: number, out: ChunkSink): void {
  const step = STEP;
  let p = start;
  while (p < end) {
    readFieldAt(buf, p, end, step);
    p = step.end;
    const wt = step.wireType;
    if (wt === 2) {
      printLenProtoc(buf, step.valueStart, step.end, step.fieldNumber, level, budget, out);
      continue;
    }
    if (wt === 4) {
      level--;
      budget++;
      printClose(level, out);
      continue;
    }
    const b = out.reserve(2 * level + LINE_ROOM);
    let q = putUint(b, putIndent(b, out.pos, level), step.fieldNumber);
    switch (wt) {
      case 0:
        q = putU64(b, putAscii(b, q, ': '), step.lo, step.hi);
        break;
      case 5:
        q = putHex8(b, putAscii(b, q, ': 0x'), step.lo);
        break;
      case 1:
        q = putHex8(b, putHex8(b, putAscii(b, q, ': 0x'), step.hi), step.lo);
        break;
      case 3:
        q = putAscii(b, q, ' {');
        level++;
        budget--;
        break;
    }
    b[q] = 0x0a;
    out.pos = q + 1;
  }
}

/** Prints decoded nodes (input that did not parse completely) the way printBytesProtoc prints bytes. */
function printProtoc(fields: readonly FieldNode[], level: number, budget: number, out: ChunkSink): void {
  for (const f of fields) {
    if (f.value.kind !== 'unknown') continue;
    const raw = f.value.raw;
    if (f.wireType === 2) {
      const bytes = raw as Uint8Array;
      printLenProtoc(bytes, 0, bytes.length, f.fieldNumber, level, budget, out);
      continue;
    }
    const b = out.reserve(2 * level + LINE_ROOM);
    let q = putUint(b, putIndent(b, out.pos, level), f.fieldNumber);
    if (f.wireType === 3) {
      out.pos = putAscii(b, q, ' {\n');
      printProtoc(raw as readonly FieldNode[], level + 1, budget - 1, out);
      printClose(level, out);
      continue;
    }
    switch (f.wireType) {
      case 0:
        q = putAscii(b, putAscii(b, q, ': '), (raw as bigint).toString());
        break;
      case 5:
        q = putHex8(b, putAscii(b, q, ': 0x'), raw as number);
        break;
      case 1: {
        const v = raw as bigint;
        q = putHex8(b, putHex8(b, putAscii(b, q, ': 0x'), Number(v >> 32n)), Number(v & 0xffffffffn));
        break;
      }
    }
    b[q] = 0x0a;
    out.pos = q + 1;
  }
}

function scalarText(r: ScalarReading): string {
  if (r.type === 'float' || r.type === 'double') {
    const v = r.value as number;
    return Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : String(v);
  }
  return String(r.value);
}

function printBest(fields: readonly FieldNode[], level: number, depth: number, out: string[]): void {
  const ind = indentAt(level);
  for (const f of fields) {
    if (f.value.kind !== 'unknown') continue;
    if (f.wireType === 3) {
      out.push(`${ind}${f.fieldNumber} {  # group`);
      printBest(f.value.raw as readonly FieldNode[], level + 1, depth + 1, out);
      out.push(`${ind}}`);
      continue;
    }
    const readings = depth < 100 ? readingsOf(f) : readingsOf(f).filter((r) => r.type !== 'message');
    const best = readings[0];
    switch (best.type) {
      case 'message':
        out.push(`${ind}${f.fieldNumber} {`);
        printBest(best.fields, level + 1, depth + 1, out);
        out.push(`${ind}}`);
        break;
      case 'string':
        out.push(`${ind}${f.fieldNumber}: "${escapeText(best.value)}"`);
        break;
      case 'bytes':
        out.push(`${ind}${f.fieldNumber}: "${cEscape(best.value)}"  # bytes`);
        break;
      case 'packed-varint':
      case 'packed-fixed64':
      case 'packed-fixed32':
        out.push(`${ind}${f.fieldNumber}: [${best.values.join(', ')}]  # ${best.type}`);
        break;
      case 'group':
        break;
      default:
        out.push(`${ind}${f.fieldNumber}: ${scalarText(best)}${f.wireType === 0 && best.type === 'uint64' ? '' : `  # ${best.type}`}`);
    }
  }
}

/** Options for writeRawText. */
export interface RawTextWriteOptions extends RawDecodeOptions {
  /** Bytes per chunk handed to `write` (default RAW_TEXT_CHUNK_BYTES); a chunk is larger only when one indent or number does not fit in it. */
  chunkBytes?: number;
}

/**
 * Writes protoc --decode_raw text of `bytes` to `write` in ASCII chunks (each a new buffer the
 * callee may keep): the text of rawToText(decodeRaw(bytes, options)), stop line included.
 * Input that parses completely is printed straight from the bytes, without building nodes.
 * Returns where parsing stopped, or null when the whole input parsed.
 */
export function writeRawText(bytes: Uint8Array, write: (chunk: Uint8Array) => void, options: RawTextWriteOptions = {}): RawStop | null {
  const chunkBytes = options.chunkBytes ?? RAW_TEXT_CHUNK_BYTES;
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1)
    throw new RangeError(`writeRawText: chunkBytes must be a whole number of at least 1 (got ${chunkBytes})`);
  const out = new ChunkSink(chunkBytes, write);
  const maxDepth = options.maxDepth ?? DEFAULT_RAW_LIMITS.maxDepth;
  const maxBytes = options.maxBytes ?? DEFAULT_RAW_LIMITS.maxBytes;
  if (options.maxNodes === undefined && bytes.length <= maxBytes && parsesAsMessage(bytes, 0, bytes.length, maxDepth, true)) {
    printBytesProtoc(bytes, 0, bytes.length, 0, PROTOC_UNKNOWN_RECURSION_LIMIT, out);
    out.end();
    return null;
  }
  const result = decodeRaw(bytes, options);
  printResultProtoc(result, out);
  return result.stoppedAt;
}

/** The line that ends a rendering of input that did not parse completely ('' when it did). */
function stopLine(result: RawDecodeResult): string {
  const stop = result.stoppedAt;
  return stop
    ? `# parsing stopped at byte ${stop.offset}: expected ${stop.reason}; bytes ${result.parsedEnd}..${result.baseOffset + result.bytes.length} not shown\n`
    : '';
}

/** Prints a raw decode protoc's way, then the stop line. */
function printResultProtoc(result: RawDecodeResult, out: ChunkSink): void {
  printProtoc(result.root.fields, 0, PROTOC_UNKNOWN_RECURSION_LIMIT, out);
  out.ascii(stopLine(result));
  out.end();
}

const asciiDecoder = new TextDecoder();

/** Collects what a chunk writer writes into one string. */
function collectText(print: (write: (chunk: Uint8Array) => void) => void): string {
  const parts: string[] = [];
  print((chunk) => parts.push(asciiDecoder.decode(chunk)));
  return parts.join('');
}

/** protoc --decode_raw text of bytes as one string (writeRawText streams it instead). */
export function rawTextOf(bytes: Uint8Array, options: RawDecodeOptions = {}): string {
  return collectText((write) => writeRawText(bytes, write, options));
}

/** Renders a raw decode as protoc --decode_raw text (see RawTextOptions); a trailing `#` line says where parsing stopped. */
export function rawToText(result: RawDecodeResult, options: RawTextOptions = {}): string {
  if (options.mode === 'best') {
    const out: string[] = [];
    printBest(result.root.fields, 0, 0, out);
    return (out.length ? out.join('\n') + '\n' : '') + stopLine(result);
  }
  return collectText((write) => printResultProtoc(result, new ChunkSink(RAW_TEXT_CHUNK_BYTES, write)));
}

// ---------------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------------

/** One candidate reading in JSON: 64-bit integers as decimal strings, non-finite floats as "NaN"/"Infinity"/"-Infinity". */
export interface RawReadingJson {
  type: RawReading['type'];
  /** 0..1, two decimals. */
  confidence: number;
  /**
   * The value for scalar readings, and for the first (chosen) reading of a LEN value: string
   * text. Absent for message readings (see RawFieldJson.message) and bytes (see RawFieldJson.value).
   */
  value?: string | number | boolean;
  /** The elements of a packed reading. */
  values?: (string | number)[];
  /** For alternatives (not the first reading) of a LEN value, which carry no values: elements, fields or UTF-16 length. */
  count?: number;
}

/** One raw field in JSON. */
export interface RawFieldJson {
  /** Field number. */
  field: number;
  /** 'varint' | 'i64' | 'len' | 'group' | 'i32'. */
  wireType: string;
  /** [tagStart, valueStart, end]: absolute offsets (valueStart is after the length prefix for LEN). */
  span: [number, number, number];
  /** varint and i64: unsigned decimal string; i32: unsigned number; len: base64 of the bytes (absent when shown as `message`); groups: absent. */
  value?: string | number;
  /** LEN: the byte length. */
  length?: number;
  /** The reading shown (readings[0].type), e.g. 'message', 'string', 'int64', 'group'. */
  as: string;
  /** Candidate readings, best first (absent for groups). */
  readings?: RawReadingJson[];
  /** Nested fields when `as` is 'message' or 'group'. */
  message?: RawFieldJson[];
}

/** The JSON shape of a raw decode (printed by `protodesk raw --json`). */
export interface RawJson {
  /** Input size in bytes. */
  size: number;
  /** True when the whole input parsed. */
  complete: boolean;
  /** Absolute offset just past the last complete top-level field. */
  parsedEnd: number;
  /** Where and why parsing stopped; null when complete. */
  stoppedAt: { offset: number; reason: string } | null;
  fields: RawFieldJson[];
}

/** Options for rawToJson. */
export interface RawJsonOptions {
  /** Include the ranked readings of each field (default true). */
  readings?: boolean;
  /** Nesting depth up to which LEN values are interpreted as messages (default 100). */
  maxDepth?: number;
}

const WIRE_NAMES: Record<number, string> = { 0: 'varint', 1: 'i64', 2: 'len', 3: 'group', 5: 'i32' };

function jsonNumber(v: number): number | string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return v;
}

function readingJson(r: RawReading, best: boolean): RawReadingJson {
  const confidence = Math.round(r.confidence * 100) / 100;
  if (!best) {
    // Alternatives of a LEN value stay short: their type, confidence and size.
    // Counted without materializing anything: a LEN nested a hundred levels deep has an
    // alternative at every level, and decoding each would cost depth x size.
    if (r.type === 'string') return { type: r.type, confidence, count: r.length };
    if (r.type === 'packed-varint' || r.type === 'packed-fixed32' || r.type === 'packed-fixed64')
      return { type: r.type, confidence, count: r.count };
    if (r.type === 'message') return { type: r.type, confidence, count: r.fields.length };
  }
  switch (r.type) {
    case 'message':
    case 'group':
      return { type: r.type, confidence };
    case 'string':
      return { type: r.type, confidence, value: r.value };
    case 'bytes':
      return { type: r.type, confidence }; // the bytes are the field's `value`
    case 'packed-varint':
    case 'packed-fixed64':
      return { type: r.type, confidence, values: r.values.map((v) => v.toString()) };
    case 'packed-fixed32':
      return { type: r.type, confidence, values: r.values };
    default: {
      const v = r.value;
      return { type: r.type, confidence, value: typeof v === 'bigint' ? v.toString() : typeof v === 'number' ? jsonNumber(v) : v };
    }
  }
}

function fieldsJson(fields: readonly FieldNode[], depth: number, opts: Required<RawJsonOptions>): RawFieldJson[] {
  const out: RawFieldJson[] = [];
  for (const f of fields) {
    if (f.value.kind !== 'unknown') continue;
    const span: [number, number, number] = f.span ? [f.span.tagStart, f.span.valueStart, f.span.end] : [0, 0, 0];
    const raw = f.value.raw;
    if (f.wireType === 3) {
      out.push({
        field: f.fieldNumber,
        wireType: 'group',
        span,
        as: 'group',
        message: fieldsJson(raw as readonly FieldNode[], depth + 1, opts),
      });
      continue;
    }
    let readings = readingsOfNode(f, {}, false);
    if (f.wireType === 2 && depth >= opts.maxDepth && readings[0].type === 'message') readings = readings.slice(1);
    const best = readings[0];
    let j: RawFieldJson;
    if (f.wireType === 2) {
      const bytes = raw as Uint8Array;
      // A LEN read as a message is shown by its fields (its bytes are at `span`).
      j =
        best.type === 'message'
          ? { field: f.fieldNumber, wireType: 'len', span, length: bytes.length, as: best.type }
          : { field: f.fieldNumber, wireType: 'len', span, value: bytesToBase64(bytes), length: bytes.length, as: best.type };
    } else {
      j = {
        field: f.fieldNumber,
        wireType: WIRE_NAMES[f.wireType],
        span,
        value: f.wireType === 5 ? (raw as number) : (raw as bigint).toString(),
        as: best.type,
      };
    }
    if (opts.readings) {
      const rs: RawReadingJson[] = [];
      for (let i = 0; i < readings.length; i++) rs.push(readingJson(readings[i], i === 0));
      j.readings = rs;
    }
    if (best.type === 'message') j.message = fieldsJson(best.fields, depth + 1, opts);
    out.push(j);
  }
  return out;
}

function jsonOptions(options: RawJsonOptions): Required<RawJsonOptions> {
  return { readings: options.readings ?? true, maxDepth: options.maxDepth ?? 100 };
}

/** RawJson without its fields. */
function jsonHead(result: RawDecodeResult): Omit<RawJson, 'fields'> {
  return { size: result.bytes.length, complete: result.stoppedAt === null, parsedEnd: result.parsedEnd, stoppedAt: result.stoppedAt };
}

/** Renders a raw decode as a JSON-ready object (see RawJson); 64-bit values are decimal strings. */
export function rawToJson(result: RawDecodeResult, options: RawJsonOptions = {}): RawJson {
  return { ...jsonHead(result), fields: fieldsJson(result.root.fields, 0, jsonOptions(options)) };
}

/** How JSON.stringify(…, null, 2) prints `{ fields: [x] }` around x: x then sits as an element of RawJson.fields does. */
const FIELDS_OPEN = '{\n  "fields": [\n';
const FIELDS_CLOSE = '\n  ]\n}';

/**
 * Writes the text of JSON.stringify(rawToJson(result, options), null, 2) and a newline to
 * `write` in pieces of about RAW_TEXT_CHUNK_BYTES characters, one top-level field at a time,
 * so neither the whole JSON object nor its text (about 5 times the input) is ever held.
 */
export function writeRawJson(result: RawDecodeResult, write: (text: string) => void, options: RawJsonOptions = {}): void {
  const opts = jsonOptions(options);
  const empty = JSON.stringify({ ...jsonHead(result), fields: [] }, null, 2); // ends with `"fields": []\n}`
  let pending = '';
  let count = 0;
  for (const f of result.root.fields) {
    for (const json of fieldsJson([f], 0, opts)) {
      pending += count++ === 0 ? `${empty.slice(0, -']\n}'.length)}\n` : ',\n';
      // Printed inside a one-element `fields` array and cut out, so it is indented as in the whole document.
      pending += JSON.stringify({ fields: [json] }, null, 2).slice(FIELDS_OPEN.length, -FIELDS_CLOSE.length);
      if (pending.length >= RAW_TEXT_CHUNK_BYTES) {
        write(pending);
        pending = '';
      }
    }
  }
  write(`${pending}${count === 0 ? empty : FIELDS_CLOSE}\n`);
}
