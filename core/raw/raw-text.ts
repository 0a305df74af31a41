/**
 * Text renderings of a schema-less decode (`decodeRaw`); the JSON one is raw-json.ts.
 *
 * - `rawToText` prints protoc's `--decode_raw` layout. In 'protoc' mode (the default) the
 *   output is byte-for-byte what protoc 3.21 prints for input it accepts (LEN values shown
 *   as nested messages when they parse, else as C-escaped strings; nesting of LEN messages
 *   limited to 10 as protoc does), plus a `# parsing stopped ...` line where protoc would
 *   fail. In 'best' mode every value is shown as its best-ranked reading.
 */
import type { FieldNode } from '../document/model';
import { cEscape } from '../format/text-escape';
import { decodeRaw, type RawDecodeOptions, type RawDecodeResult, type RawStop } from './raw-decode';
import { readingsOf, type ScalarReading } from './raw-readings';
import { DEFAULT_RAW_LIMITS } from './raw-scan';
import { PROTOC_UNKNOWN_RECURSION_LIMIT, printClose, printLen, printTopLevel } from './raw-text-bytes';
import { ChunkSink, LINE_ROOM, putAscii, putHex8, putIndent, putUint, RAW_TEXT_CHUNK_BYTES } from './raw-text-sink';

/** Options for rawToText. */
export interface RawTextOptions {
  /** 'protoc' (default): as protoc --decode_raw; 'best': each value as its best-ranked reading. */
  mode?: 'protoc' | 'best';
}

export { PROTOC_UNKNOWN_RECURSION_LIMIT } from './raw-text-bytes';

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

/** Prints decoded nodes (input that did not parse completely) the way printLevel prints bytes. */
function printProtoc(fields: readonly FieldNode[], level: number, budget: number, out: ChunkSink): void {
  for (const f of fields) {
    if (f.value.kind !== 'unknown') continue;
    const raw = f.value.raw;
    if (f.wireType === 2) {
      const bytes = raw as Uint8Array;
      printLen(bytes, 0, bytes.length, f.fieldNumber, level, budget, out);
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
  /**
   * Write every chunk into the same buffer (no allocation per chunk): `write` must then
   * consume or copy each chunk before it returns. Default false: each chunk is a new buffer.
   */
  reuseChunks?: boolean;
}

/**
 * Writes protoc --decode_raw text of `bytes` to `write` in ASCII chunks (each a new buffer the
 * callee may keep, unless `reuseChunks`): the text of rawToText(decodeRaw(bytes, options)), stop
 * line included. Top-level fields are printed straight from the bytes as they parse, without
 * building nodes; only input that does not parse completely is decoded to nodes (decodeRaw), for
 * the rest. Returns where parsing stopped, or null when the whole input parsed.
 */
export function writeRawText(bytes: Uint8Array, write: (chunk: Uint8Array) => void, options: RawTextWriteOptions = {}): RawStop | null {
  const text = new RawTextStream(write, options);
  if (bytes.length <= (options.maxBytes ?? DEFAULT_RAW_LIMITS.maxBytes)) text.push(bytes);
  return text.finish(text.needsInput || text.printedEnd < bytes.length ? bytes : null);
}

/**
 * protoc --decode_raw text of an input that arrives in pieces (a file read a window at a time),
 * as writeRawText writes it: `push` prints the top-level fields that a piece holds whole,
 * `finish` ends the text. While the input parses, only a window of it is needed at once; once it
 * does not (`needsInput`), the rest is printed from all of it as decodeRaw reads it.
 */
export class RawTextStream {
  private readonly out: ChunkSink;
  private readonly maxDepth: number;
  /** Offset in the input of the first byte not printed yet: where the next top-level field starts. */
  printedEnd = 0;
  /** True once the rest can only be printed from the whole input (a field that does not parse, or maxNodes given): push no more. */
  needsInput: boolean;

  constructor(
    write: (chunk: Uint8Array) => void,
    private readonly options: RawTextWriteOptions = {},
  ) {
    const chunkBytes = options.chunkBytes ?? RAW_TEXT_CHUNK_BYTES;
    if (!Number.isInteger(chunkBytes) || chunkBytes < 1)
      throw new RangeError(`writeRawText: chunkBytes must be a whole number of at least 1 (got ${chunkBytes})`);
    this.out = new ChunkSink(chunkBytes, write, options.reuseChunks ?? false);
    this.maxDepth = options.maxDepth ?? DEFAULT_RAW_LIMITS.maxDepth;
    // A node limit is decodeRaw's to apply: then every field is printed from its nodes.
    this.needsInput = options.maxNodes !== undefined;
  }

  /**
   * Prints the top-level fields that `piece` (the input from offset printedEnd on) holds whole
   * and that parse; returns how many of its bytes they take. The rest of the piece is a field
   * it does not hold whole: push it again with the input after it, unless needsInput.
   */
  push(piece: Uint8Array): number {
    if (this.needsInput) return 0;
    const r = printTopLevel(piece, this.maxDepth, this.out);
    const used = r >= 0 ? r : ~r;
    if (r >= 0 && r < piece.length) this.needsInput = true; // it does not parse, whatever follows
    this.printedEnd += used;
    return used;
  }

  /**
   * Ends the text. `input`: null when all of the input was pushed and printed; else all of the
   * input, whose fields from printedEnd on are printed as decodeRaw reads them, then the stop
   * line. Returns where parsing stopped, or null when the whole input parsed.
   */
  finish(input: Uint8Array | null): RawStop | null {
    if (input === null) {
      this.out.end();
      return null;
    }
    const result = decodeRaw(input, this.options);
    const fields = result.root.fields;
    let k = 0;
    while (k < fields.length && fields[k].span!.tagStart < this.printedEnd) k++;
    printResultProtoc(result, k === 0 ? fields : fields.slice(k), this.out);
    return result.stoppedAt;
  }
}

/** The line that ends a rendering of input that did not parse completely ('' when it did). */
function stopLine(result: RawDecodeResult): string {
  const stop = result.stoppedAt;
  return stop
    ? `# parsing stopped at byte ${stop.offset}: expected ${stop.reason}; bytes ${result.parsedEnd}..${result.baseOffset + result.bytes.length} not shown\n`
    : '';
}

/** Prints a raw decode's top-level `fields` (all, or the last of them) protoc's way, then the stop line. */
function printResultProtoc(result: RawDecodeResult, fields: readonly FieldNode[], out: ChunkSink): void {
  printProtoc(fields, 0, PROTOC_UNKNOWN_RECURSION_LIMIT, out);
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
  return collectText((write) => printResultProtoc(result, result.root.fields, new ChunkSink(RAW_TEXT_CHUNK_BYTES, write)));
}

// ---------------------------------------------------------------------------------------------
// JSON
