/** Scalar field values from JSON values, checked as protojson checks them: types, ranges, exact 64-bit integers. */
import type { Enum, Field, Type } from 'protobufjs';
import type { ScalarType, ScalarValue } from '../document/model';
import { coerceScalar } from '../document/build';
import { INT_RANGES } from '../document/int-ranges';
import { base64ToBytes } from '../wire/base64';
import { JsonFormatError, JsonNumber, type Json } from './json-text';
import { isClosedEnum } from './message-state';
import { fullNameOf, WKT } from './type-lookup';

/** A JSON value in words, for errors ("the string \"x\"", "an array"). */
export function kindOf(v: Json): string {
  if (v === null) return 'null';
  if (v instanceof JsonNumber || typeof v === 'number') return `the number ${String(v)}`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return 'an array';
  return 'an object';
}

/** Whether a JSON value is an object (not null, an array or a number). */
export function isObject(v: Json): v is { [k: string]: Json } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof JsonNumber);
}

/** Whether a scalar holds its type's default (0, -0 excluded; false; ""; empty bytes). */
export function isDefault(x: ScalarValue): boolean {
  if (typeof x === 'number') return Object.is(x, 0);
  if (typeof x === 'bigint') return x === 0n;
  if (typeof x === 'boolean') return !x;
  if (typeof x === 'string') return x === '';
  return x.length === 0;
}

const INT_RE = /^-?\d+$/;

const NUM_RE = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?$/;

/**
 * An integer from JSON: a number, exact for 64-bit values, exponents and fractions allowed when
 * the value is integral; or a string, holding the same for 32-bit types and only plain decimal
 * digits for 64-bit ones ("1e3" and "1.0" are refused there, as protobuf-es and the spec do).
 */
function integerFrom(v: Json, what: string, path: string, is64 = false): bigint {
  let text: string;
  if (v instanceof JsonNumber) text = v.text;
  else if (typeof v === 'number') {
    if (!Number.isFinite(v) || !Number.isInteger(v)) throw new JsonFormatError(path, `expected ${what}, found the number ${v}`);
    if (!Number.isSafeInteger(v))
      throw new JsonFormatError(path, `expected ${what}; ${v} is beyond 2^53 as a JS number, give it as a string`);
    return BigInt(v);
  } else if (typeof v === 'string') text = v.trim() === v ? v : '';
  else throw new JsonFormatError(path, `expected ${what}, found ${kindOf(v)}`);
  if (INT_RE.test(text)) return BigInt(text);
  if (NUM_RE.test(text) && !(is64 && typeof v === 'string')) {
    const exact = exactInteger(text);
    if (exact !== null) return exact;
  }
  throw new JsonFormatError(path, `expected ${what}, found ${kindOf(v)}`);
}

/** The integer a decimal with fraction/exponent denotes, if it is one ("1.5e1" → 15n). */
function exactInteger(text: string): bigint | null {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([-+]?\d+))?$/.exec(text);
  if (!m) return null;
  const [, sign, int, frac = '', expStr = '0'] = m;
  const exp = Number(expStr) - frac.length;
  const digits = (int + frac).replace(/^0+(?=\d)/, '');
  if (exp >= 0) {
    if (exp > 400) return null;
    return BigInt(sign + digits + '0'.repeat(exp));
  }
  const cut = digits.length + exp;
  const tail = cut <= 0 ? digits : digits.slice(cut);
  if (/[1-9]/.test(tail)) return null;
  return BigInt(sign + (cut <= 0 ? '0' : digits.slice(0, cut)));
}

/** What scalarFromJson returns for an enum value the field does not know, when unknown values are ignored. */
export const SKIPPED = Symbol('skipped enum value');

/** A string that holds a lone UTF-16 surrogate cannot be written as UTF-8: a JsonFormatError. */
export function checkWellFormed(s: string, path: string): void {
  const m = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.exec(s);
  if (m)
    throw new JsonFormatError(
      path,
      `the string holds a lone UTF-16 surrogate (\\u${m[0].charCodeAt(0).toString(16).toUpperCase()}), which is not valid Unicode`,
    );
}

/**
 * The value of a scalar field of `type` from a JSON value; a JsonFormatError at `path` when it
 * does not fit. With `ignoreUnknown`, an enum value the field does not know gives SKIPPED (the
 * value is dropped, as protobuf-es, C++ and Go do with ignore-unknown-fields).
 */
export function scalarFromJson(field: Field, type: ScalarType, v: Json, path: string, ignoreUnknown = false): ScalarValue | typeof SKIPPED {
  switch (type) {
    case 'string':
      if (typeof v !== 'string') throw new JsonFormatError(path, `expected a string, found ${kindOf(v)}`);
      checkWellFormed(v, path);
      return v;
    case 'bytes':
      if (typeof v !== 'string') throw new JsonFormatError(path, `expected bytes as a base64 string, found ${kindOf(v)}`);
      try {
        return base64ToBytes(v);
      } catch {
        throw new JsonFormatError(path, `expected bytes as base64, found ${kindOf(v)}`);
      }
    case 'bool':
      if (typeof v !== 'boolean') throw new JsonFormatError(path, `expected true or false, found ${kindOf(v)}`);
      return v;
    case 'float':
    case 'double': {
      let n: number;
      if (typeof v === 'string') {
        if (v === 'NaN') return NaN;
        if (v === 'Infinity') return Infinity;
        if (v === '-Infinity') return -Infinity;
        if (!NUM_RE.test(v)) throw new JsonFormatError(path, `expected a ${type} as a number or string, found ${kindOf(v)}`);
        n = Number(v);
      } else if (v instanceof JsonNumber) n = Number(v.text);
      else if (typeof v === 'number') n = v;
      else throw new JsonFormatError(path, `expected a ${type} as a number or string, found ${kindOf(v)}`);
      if (!Number.isFinite(n)) throw new JsonFormatError(path, `${type} value ${String(v)} is out of range`);
      if (type === 'float') {
        const f = Math.fround(n);
        if (!Number.isFinite(f)) throw new JsonFormatError(path, `value ${String(v)} is out of range for float`);
        return f;
      }
      return n;
    }
    case 'enum': {
      const e = field.resolvedType as Enum;
      const name = fullNameOf(e as unknown as Type);
      if (name === `${WKT}NullValue` && v === null) return 0;
      if (typeof v === 'string') {
        if (Object.prototype.hasOwnProperty.call(e.values, v)) return e.values[v];
        if (ignoreUnknown) return SKIPPED;
        throw new JsonFormatError(path, `"${v}" is not a value of enum ${name}`);
      }
      const n = integerFrom(v, `an enum ${name} value name or number`, path);
      if (n < -(2n ** 31n) || n >= 2n ** 31n) throw new JsonFormatError(path, `enum number ${n} is out of range for int32`);
      // A closed enum holds only its declared values: a runtime would not keep another number in the field.
      if (isClosedEnum(e) && !Object.prototype.hasOwnProperty.call(e.valuesById, Number(n))) {
        if (ignoreUnknown) return SKIPPED;
        throw new JsonFormatError(path, `${n} is not a value of closed enum ${name}`);
      }
      return Number(n);
    }
    default: {
      const is64 = /64/.test(type);
      const what = is64 ? `an ${type} as a string or number` : `an ${type} as a number`;
      const n = integerFrom(v, what, path, is64);
      const [min, max] = INT_RANGES[type]!;
      if (n < min || n > max) throw new JsonFormatError(path, `value ${n} is out of range for ${type}`);
      try {
        return coerceScalar(type, n);
      } catch (e) {
        throw new JsonFormatError(path, (e as Error).message);
      }
    }
  }
}
