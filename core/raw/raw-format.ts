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
import { decodeRaw, DEFAULT_RAW_LIMITS, parsesAsMessage, readFieldAt, readingsOf, readingsOfNode, type FieldStep, type RawDecodeOptions, type RawDecodeResult, type RawReading, type ScalarReading } from './raw-decode';

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
const HEX_DIGITS = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]; // 0-9a-f

/**
 * protoc-mode output is pure ASCII (every byte >= 0x7f is escaped), so it is written as bytes
 * into a growable buffer and decoded once at the end: far less garbage than building strings.
 */
class AsciiSink {
  buf = new Uint8Array(1 << 16);
  pos = 0;

  private grow(n: number): void {
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** Appends an ASCII string. */
  str(s: string): void {
    if (this.pos + s.length > this.buf.length) this.grow(s.length);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  indent(level: number): void {
    const n = level * 2;
    if (this.pos + n > this.buf.length) this.grow(n);
    this.buf.fill(0x20, this.pos, this.pos + n);
    this.pos += n;
  }

  /** Appends a non-negative integer below 2^53 in decimal. */
  uint(n: number): void {
    if (this.pos + 20 > this.buf.length) this.grow(20);
    const b = this.buf;
    if (n < 10) {
      b[this.pos++] = 48 + n;
      return;
    }
    let digits = 0;
    for (let m = n; m >= 1; m = Math.floor(m / 10)) digits++;
    let p = this.pos + digits;
    this.pos = p;
    while (n >= 1) {
      const q = Math.floor(n / 10);
      b[--p] = 48 + (n - q * 10);
      n = q;
    }
  }

  /** Appends an unsigned 64-bit value given as two 32-bit halves, in decimal. */
  u64(lo: number, hi: number): void {
    if (hi < 0x200000) this.uint(hi * TWO32 + lo);
    else this.str(((BigInt(hi) << 32n) | BigInt(lo)).toString());
  }

  /** Appends 8 lowercase hex digits of a 32-bit value. */
  hex8(v: number): void {
    if (this.pos + 8 > this.buf.length) this.grow(8);
    const b = this.buf;
    for (let i = 7; i >= 0; i--) {
      b[this.pos + i] = HEX_DIGITS[v & 15];
      v >>>= 4;
    }
    this.pos += 8;
  }

  /** Appends bytes escaped as protoc's CEscape does. */
  escaped(src: Uint8Array, start: number, end: number): void {
    if (this.pos + (end - start) * 4 > this.buf.length) this.grow((end - start) * 4);
    const b = this.buf;
    let p = this.pos;
    for (let i = start; i < end; i++) {
      const c = src[i];
      if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x27 && c !== 0x5c) {
        b[p++] = c;
        continue;
      }
      b[p++] = 0x5c; // backslash
      switch (c) {
        case 0x0a: b[p++] = 0x6e; break; // n
        case 0x0d: b[p++] = 0x72; break; // r
        case 0x09: b[p++] = 0x74; break; // t
        case 0x22: case 0x27: case 0x5c: b[p++] = c; break;
        default:
          b[p++] = 48 + ((c >> 6) & 7);
          b[p++] = 48 + ((c >> 3) & 7);
          b[p++] = 48 + (c & 7);
      }
    }
    this.pos = p;
  }

  text(): string {
    return asciiDecoder.decode(this.buf.subarray(0, this.pos));
  }
}

const asciiDecoder = new TextDecoder();

/** Prints a LEN value at its budget: as a nested message when it parses (protoc's rule), else as an escaped string. */
function printLenProtoc(buf: Uint8Array, start: number, end: number, fieldNumber: number, level: number, budget: number, out: AsciiSink): void {
  out.indent(level);
  out.uint(fieldNumber);
  if (budget > 0 && end > start && parsesAsMessage(buf, start, end, budget)) {
    out.str(' {\n');
    printBytesProtoc(buf, start, end, level + 1, budget - 1, out);
    out.indent(level);
    out.str('}\n');
  } else {
    out.str(': "');
    out.escaped(buf, start, end);
    out.str('"\n');
  }
}

const STEP: FieldStep = { fieldNumber: 0, wireType: 0, valueStart: 0, end: 0, lo: 0, hi: 0 };

/** Prints already-validated message bytes the way protoc prints unknown fields, without building nodes. */
function printBytesProtoc(buf: Uint8Array, start: number, end: number, level: number, budget: number, out: AsciiSink): void {
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
      out.indent(level);
      out.str('}\n');
      continue;
    }
    out.indent(level);
    out.uint(step.fieldNumber);
    switch (wt) {
      case 0:
        out.str(': ');
        out.u64(step.lo, step.hi);
        break;
      case 5:
        out.str(': 0x');
        out.hex8(step.lo);
        break;
      case 1:
        out.str(': 0x');
        out.hex8(step.hi);
        out.hex8(step.lo);
        break;
      case 3:
        out.str(' {');
        level++;
        budget--;
        break;
    }
    out.str('\n');
  }
}

function printProtoc(fields: readonly FieldNode[], level: number, budget: number, out: AsciiSink): void {
  for (const f of fields) {
    if (f.value.kind !== 'unknown') continue;
    const raw = f.value.raw;
    if (f.wireType === 2) {
      const bytes = raw as Uint8Array;
      printLenProtoc(bytes, 0, bytes.length, f.fieldNumber, level, budget, out);
      continue;
    }
    out.indent(level);
    out.uint(f.fieldNumber);
    switch (f.wireType) {
      case 0: {
        const v = raw as bigint;
        out.str(': ');
        out.str(v.toString());
        break;
      }
      case 5:
        out.str(': 0x');
        out.hex8(raw as number);
        break;
      case 1: {
        const v = raw as bigint;
        out.str(': 0x');
        out.hex8(Number(v >> 32n));
        out.hex8(Number(v & 0xffffffffn));
        break;
      }
      case 3:
        out.str(' {\n');
        printProtoc(raw as readonly FieldNode[], level + 1, budget - 1, out);
        out.indent(level);
        out.str('}');
        break;
    }
    out.str('\n');
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

/**
 * protoc --decode_raw text straight from bytes (the 'protoc' mode of rawToText without building
 * nodes): the fast path for big inputs. Falls back to decodeRaw + rawToText when the input does
 * not parse completely, so the stop line is the same.
 */
export function rawTextOf(bytes: Uint8Array, options: RawDecodeOptions = {}): string {
  const maxDepth = options.maxDepth ?? DEFAULT_RAW_LIMITS.maxDepth;
  const maxBytes = options.maxBytes ?? DEFAULT_RAW_LIMITS.maxBytes;
  if (options.maxNodes !== undefined || bytes.length > maxBytes || !parsesAsMessage(bytes, 0, bytes.length, maxDepth, true)) {
    return rawToText(decodeRaw(bytes, options));
  }
  const sink = new AsciiSink();
  printBytesProtoc(bytes, 0, bytes.length, 0, PROTOC_UNKNOWN_RECURSION_LIMIT, sink);
  return sink.text();
}

/** Renders a raw decode as protoc --decode_raw text (see RawTextOptions); a trailing `#` line says where parsing stopped. */
export function rawToText(result: RawDecodeResult, options: RawTextOptions = {}): string {
  const stop = result.stoppedAt
    ? `# parsing stopped at byte ${result.stoppedAt.offset}: expected ${result.stoppedAt.reason}; bytes ${result.parsedEnd}..${result.baseOffset + result.bytes.length} not shown\n`
    : '';
  if (options.mode === 'best') {
    const out: string[] = [];
    printBest(result.root.fields, 0, 0, out);
    return (out.length ? out.join('\n') + '\n' : '') + stop;
  }
  const sink = new AsciiSink();
  printProtoc(result.root.fields, 0, PROTOC_UNKNOWN_RECURSION_LIMIT, sink);
  return sink.text() + stop;
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
    if (r.type === 'string') return { type: r.type, confidence, count: r.value.length };
    if (r.type === 'packed-varint' || r.type === 'packed-fixed32' || r.type === 'packed-fixed64') return { type: r.type, confidence, count: r.values.length };
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
      out.push({ field: f.fieldNumber, wireType: 'group', span, as: 'group', message: fieldsJson(raw as readonly FieldNode[], depth + 1, opts) });
      continue;
    }
    let readings = readingsOfNode(f, {}, false);
    if (f.wireType === 2 && depth >= opts.maxDepth && readings[0].type === 'message') readings = readings.slice(1);
    const best = readings[0];
    let j: RawFieldJson;
    if (f.wireType === 2) {
      const bytes = raw as Uint8Array;
      // A LEN read as a message is shown by its fields (its bytes are at `span`).
      j = best.type === 'message'
        ? { field: f.fieldNumber, wireType: 'len', span, length: bytes.length, as: best.type }
        : { field: f.fieldNumber, wireType: 'len', span, value: bytesToBase64(bytes), length: bytes.length, as: best.type };
    } else {
      j = { field: f.fieldNumber, wireType: WIRE_NAMES[f.wireType], span, value: f.wireType === 5 ? (raw as number) : (raw as bigint).toString(), as: best.type };
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

/** Renders a raw decode as a JSON-ready object (see RawJson); 64-bit values are decimal strings. */
export function rawToJson(result: RawDecodeResult, options: RawJsonOptions = {}): RawJson {
  const opts: Required<RawJsonOptions> = { readings: options.readings ?? true, maxDepth: options.maxDepth ?? 100 };
  return {
    size: result.bytes.length,
    complete: result.stoppedAt === null,
    parsedEnd: result.parsedEnd,
    stoppedAt: result.stoppedAt,
    fields: fieldsJson(result.root.fields, 0, opts),
  };
}
