/**
 * A small tagged JSON codec for the HTTP transport: keeps what plain JSON loses.
 * BigInt → {"$bigint":"123"}, Uint8Array → {"$bytes":"base64"}, NaN/±Infinity/-0 →
 * {"$num":"NaN"|"Infinity"|"-Infinity"|"-0"}, undefined in objects is dropped (as JSON does).
 * Objects that happen to have a single `$bigint`/`$bytes`/`$num`/`$obj` key are escaped as {"$obj": {...}}.
 */

import { base64ToBytes, bytesToBase64 } from '../wire/base64';

const TAGS = new Set(['$bigint', '$bytes', '$num', '$obj']);

export { base64ToBytes, bytesToBase64 } from '../wire/base64';

function toTagged(v: unknown): unknown {
  if (typeof v === 'bigint') return { $bigint: v.toString() };
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return { $num: 'NaN' };
    if (v === Infinity) return { $num: 'Infinity' };
    if (v === -Infinity) return { $num: '-Infinity' };
    if (Object.is(v, -0)) return { $num: '-0' };
    return v;
  }
  if (v instanceof Uint8Array) return { $bytes: bytesToBase64(v) };
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : toTagged(x)));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toTagged(x);
    const keys = Object.keys(out);
    if (keys.length === 1 && TAGS.has(keys[0])) return { $obj: out };
    return out;
  }
  return v;
}

function fromTagged(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromTagged);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1) {
      const k = keys[0];
      if (k === '$bigint') return BigInt(o.$bigint as string);
      if (k === '$bytes') return base64ToBytes(o.$bytes as string);
      if (k === '$num') return o.$num === '-0' ? -0 : Number(o.$num);
      if (k === '$obj') {
        const inner = o.$obj as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (const [ik, x] of Object.entries(inner)) out[ik] = fromTagged(x);
        return out;
      }
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = fromTagged(x);
    return out;
  }
  return v;
}

/** Serializes a value to tagged JSON text. */
export function encodeTagged(value: unknown): string {
  return JSON.stringify(toTagged(value));
}

/** Parses tagged JSON text back into the value it was made from. */
export function decodeTagged<T = unknown>(text: string): T {
  return fromTagged(JSON.parse(text)) as T;
}
