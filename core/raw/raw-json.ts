/** The JSON rendering of a schema-less decode (`decodeRaw`): spans and ranked readings, as `protodesk raw --json` prints it. */
import type { FieldNode } from '../document/model';
import { bytesToBase64 } from '../wire/base64';
import type { RawDecodeResult } from './raw-decode';
import { readingsOfNode, type RawReading } from './raw-readings';
import { RAW_TEXT_CHUNK_BYTES } from './raw-text-sink';

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
