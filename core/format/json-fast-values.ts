/**
 * Scalar values written as JSON straight into a ByteSink, as toJson + stringify write them: 64-bit
 * integers as quoted decimals, floats in their shortest form, enums by name, strings escaped as
 * JSON.stringify escapes them, bytes as padded standard base64.
 */
import { readNumeric } from '../document/decode-values';
import { S } from '../document/schema-info';
import type { ByteSink } from '../wire/byte-sink';
import { decodeUtf8Lossy, decodeUtf8Strict } from '../wire/utf8';
import type { WireReader } from '../wire/wire-reader';
import { formatDoubleJson, formatFloatJson } from './float-format';
import type { FastField } from './json-fast-fields';
import { enumName } from './type-lookup';

const QUOTE = 0x22;
const encoder = new TextEncoder();
const BACKSLASH = 0x5c;
const B64 = new TextEncoder().encode('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');

/** The numeric, bool or enum value of `ff` at the reader, read and written (int64 and uint64 below 2^53 without a BigInt). */
export function writeNumericAt(out: ByteSink, r: WireReader, ff: FastField): void {
  const code = ff.fi.code;
  if (code === S.INT64 || code === S.UINT64) {
    const start = r.pos;
    const lo = r.varint64Split();
    if (r.hi < 0x200000) {
      out.byte(QUOTE);
      out.int(r.hi * 0x100000000 + lo);
      out.byte(QUOTE);
      return;
    }
    r.pos = start;
  }
  writeNumeric(out, ff, readNumeric(r, code));
}

/** A numeric, bool or enum value of `ff` (as readNumeric returns it). */
export function writeNumeric(out: ByteSink, ff: FastField, v: number | bigint | boolean): void {
  switch (ff.fi.code) {
    case S.INT64:
    case S.UINT64:
    case S.SINT64:
    case S.FIXED64:
    case S.SFIXED64:
      out.byte(QUOTE);
      out.ascii(String(v));
      out.byte(QUOTE);
      return;
    case S.FLOAT:
      writeJsonNumber(out, formatFloatJson(v as number));
      return;
    case S.DOUBLE:
      writeJsonNumber(out, formatDoubleJson(v as number));
      return;
    case S.BOOL:
      out.ascii(v ? 'true' : 'false');
      return;
    case S.ENUM: {
      if (ff.nullValue) {
        out.ascii('null');
        return;
      }
      let json = ff.enumJson!.get(v as number);
      if (json === undefined) {
        const name = enumName(ff.enumType, v as number);
        json = encoder.encode(name === undefined ? String(v) : JSON.stringify(name));
        ff.enumJson!.set(v as number, json);
      }
      out.bytes(json);
      return;
    }
    default:
      out.int(v as number);
  }
}

/** A number as stringify writes it (-0 kept; NaN and the infinities, which arrive as strings, quoted). */
function writeJsonNumber(out: ByteSink, v: number | string): void {
  if (typeof v === 'string') out.ascii(`"${v}"`);
  else if (Object.is(v, -0)) out.ascii('-0');
  else out.ascii(String(v));
}

/** A string value from its UTF-8 bytes src[start, end), escaped as JSON.stringify escapes the decoded string. */
export function writeJsonString(out: ByteSink, src: Uint8Array, start: number, end: number): void {
  for (let i = start; i < end; i++) {
    const c = src[i];
    if (c < 0x20 || c >= 0x7f || c === QUOTE || c === BACKSLASH) {
      const s = decodeUtf8Strict(src, start, end) ?? decodeUtf8Lossy(src.subarray(start, end));
      out.utf8(JSON.stringify(s));
      return;
    }
  }
  out.byte(QUOTE);
  out.bytes(src, start, end);
  out.byte(QUOTE);
}

/** src[start, end) as standard base64 with padding, quoted. */
export function writeBase64(out: ByteSink, src: Uint8Array, start: number, end: number): void {
  const n = end - start;
  const b = out.reserve(2 + 4 * Math.ceil(n / 3));
  let p = out.pos;
  b[p++] = QUOTE;
  let i = start;
  for (; i + 2 < end; i += 3) {
    const v = (src[i] << 16) | (src[i + 1] << 8) | src[i + 2];
    b[p++] = B64[v >>> 18];
    b[p++] = B64[(v >>> 12) & 63];
    b[p++] = B64[(v >>> 6) & 63];
    b[p++] = B64[v & 63];
  }
  if (i < end) {
    const v = (src[i] << 16) | (i + 1 < end ? src[i + 1] << 8 : 0);
    b[p++] = B64[v >>> 18];
    b[p++] = B64[(v >>> 12) & 63];
    b[p++] = i + 1 < end ? B64[(v >>> 6) & 63] : 0x3d;
    b[p++] = 0x3d;
  }
  b[p++] = QUOTE;
  out.pos = p;
}
