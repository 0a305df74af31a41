/**
 * Scalar values in text format, read as protoc 36's TextFormat parser reads them
 * (ConsumeFieldValue): signs as their own token, integers in decimal, hex or octal with their
 * type's range, doubles from decimal integers, floats, `inf`, `infinity` and `nan` in any case
 * (signed too), strings as adjacent literals joined, bools as true/True/t/false/False/f/0/1,
 * enums by name or number. Each error names the token protoc names, at the position protoc
 * reports it: before the token for a malformed value, after it for a value the field refuses.
 */
import type { Enum, Field } from 'protobufjs';
import type { ScalarType } from '../document/model';
import type { ScalarInput } from '../document/build';
import { isClosedEnum } from './message-state';
import { errorAt, type Lexer } from './text-lexer';
import { unescapeBytes } from './text-escape';

/** A scalar read from text: its value, and for strings the exact bytes (kept when they are not valid UTF-8, or hold a BOM). */
export interface TextScalar {
  value: ScalarInput;
  bytes?: Uint8Array;
}

/** An enum value name the field does not have, skipped as protoc does with AllowUnknownEnum (ignoreUnknownFields). */
export const SKIPPED_ENUM = Symbol('skipped enum value');

/** UTF-8 text of string bytes, a leading U+FEFF kept (TextDecoder drops it by default). */
const utf8Text = new TextDecoder('utf-8', { ignoreBOM: true });

const INT32_MAX = 2n ** 31n - 1n;
const UINT32_MAX = 2n ** 32n - 1n;
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** io::Tokenizer::ParseInteger: decimal, 0x hex or leading-0 octal; null when a digit does not fit the base or the value exceeds max. */
export function parseIntegerToken(text: string, max: bigint): bigint | null {
  let base = 10;
  let digits = text;
  if (text[0] === '0' && (text[1] === 'x' || text[1] === 'X')) {
    base = 16;
    digits = text.slice(2);
  } else if (text[0] === '0') base = 8;
  let v = 0n;
  for (const c of digits) {
    const d = parseInt(c, 16);
    if (Number.isNaN(d) || d >= base) return null;
    v = v * BigInt(base) + BigInt(d);
    if (v > UINT64_MAX) return null;
  }
  return v <= max ? v : null;
}

/** ConsumeUnsignedInteger: an integer token within max. */
function unsigned(lx: Lexer, max: bigint): bigint {
  const t = lx.current;
  if (t.kind !== 'int') throw errorAt(t, `Expected integer, got: ${t.text}`);
  const v = parseIntegerToken(t.text, max);
  if (v === null) throw errorAt(t, `Integer out of range (${t.text})`);
  lx.next();
  return v;
}

/** ConsumeSignedInteger: an optional `-`, then an integer within max (one more when negative). */
function signed(lx: Lexer, max: bigint): bigint {
  const negative = lx.tryConsume('-');
  const v = unsigned(lx, negative ? max + 1n : max);
  return negative ? -v : v;
}

/** ConsumeDouble: an optional `-`, then a decimal integer, a float, or inf / infinity / nan (any case). */
function double(lx: Lexer): number {
  const negative = lx.tryConsume('-');
  const t = lx.current;
  let v: number;
  if (t.kind === 'int') {
    if (/^0[xX]/.test(t.text) || /^0\d/.test(t.text)) throw errorAt(t, `Expect a decimal number, got: ${t.text}`);
    v = Number(t.text); // beyond 2^64 protoc reads it as a double too
  } else if (t.kind === 'float') {
    v = Number(t.text.replace(/[fF]$/, '').replace(/^\./, '0.'));
  } else if (t.kind === 'ident') {
    const l = t.text.toLowerCase();
    if (l === 'inf' || l === 'infinity') v = Infinity;
    else if (l === 'nan') v = NaN;
    else throw errorAt(t, `Expected double, got: ${l}`);
  } else throw errorAt(t, `Expected double, got: ${t.text}`);
  lx.next();
  return negative ? -v : v; // -nan keeps its sign bit, as protoc writes it
}

/** ConsumeString: one or more adjacent string literals, joined. */
export function stringBytes(lx: Lexer): Uint8Array {
  const t = lx.current;
  if (t.kind !== 'string') throw errorAt(t, `Expected string, got: ${t.text}`);
  const parts: Uint8Array[] = [];
  while (lx.current.kind === 'string') parts.push(unescapeBytes(lx.next().text.slice(1, -1)));
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** One scalar value of `field` (of scalar type `type`) at the lexer's position. */
export function consumeScalar(lx: Lexer, field: Field, type: ScalarType, ignoreUnknown: boolean): TextScalar | typeof SKIPPED_ENUM {
  switch (type) {
    case 'int32':
    case 'sint32':
    case 'sfixed32':
      return { value: Number(signed(lx, INT32_MAX)) };
    case 'uint32':
    case 'fixed32':
      return { value: Number(unsigned(lx, UINT32_MAX)) };
    case 'int64':
    case 'sint64':
    case 'sfixed64':
      return { value: signed(lx, INT64_MAX) };
    case 'uint64':
    case 'fixed64':
      return { value: unsigned(lx, UINT64_MAX) };
    case 'double':
      return { value: double(lx) };
    case 'float':
      return { value: Math.fround(double(lx)) };
    case 'string': {
      const bytes = stringBytes(lx);
      return { value: utf8Text.decode(bytes), bytes };
    }
    case 'bytes':
      return { value: stringBytes(lx) };
    case 'bool': {
      if (lx.current.kind === 'int') return { value: unsigned(lx, 1n) === 1n };
      const t = lx.current;
      if (t.kind !== 'ident') throw errorAt(t, `Expected identifier, got: ${t.text}`);
      lx.next();
      if (t.text === 'true' || t.text === 'True' || t.text === 't') return { value: true };
      if (t.text === 'false' || t.text === 'False' || t.text === 'f') return { value: false };
      throw errorAt(lx.current, `Invalid value for boolean field "${field.name}". Value: "${t.text}".`);
    }
    case 'enum': {
      const e = field.resolvedType as Enum;
      const t = lx.current;
      if (t.kind === 'ident') {
        lx.next();
        if (Object.prototype.hasOwnProperty.call(e.values, t.text)) return { value: e.values[t.text] };
        if (ignoreUnknown) return SKIPPED_ENUM;
        throw errorAt(lx.current, `Unknown enumeration value of "${t.text}" for field "${field.name}".`);
      }
      if (t.kind === 'int' || lx.lookingAt('-')) {
        const n = Number(signed(lx, INT32_MAX));
        if (Object.prototype.hasOwnProperty.call(e.valuesById, n) || !isClosedEnum(e)) return { value: n };
        throw errorAt(lx.current, `Unknown enumeration value of "${n}" for field "${field.name}".`);
      }
      throw errorAt(t, `Expected integer or identifier, got: ${t.text}`);
    }
  }
}
