/**
 * The pieces request checks are made of: a check per kind of value (each saying what it wants, for
 * the error) and the check of an object against a field spec (no unknown fields, none missing).
 */

/** A check of one value: true when it fits; `what` says what fits, for the error. */
export interface Check {
  (v: unknown): boolean;
  readonly what: string;
}

/** Field name → check; a name ending in ? is optional. */
export type Spec = Readonly<Record<string, Check>>;

/** A check named by what it accepts. */
export function check(what: string, test: (v: unknown) => boolean): Check {
  return Object.assign((v: unknown) => test(v), { what });
}

const MAX_STRING = 1 << 26;
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** A plain object (not an array, not bytes). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array);
}

export const str = check('a string', (v) => typeof v === 'string' && v.length < MAX_STRING);
export const nullableStr = check('a string or null', (v) => v === null || str(v));
export const int = check('an integer', isInt);
export const nonNegInt = check('an integer ≥ 0', (v) => isInt(v) && v >= 0);
export const bool = check('true or false', (v) => typeof v === 'boolean');
export const bytes = check('bytes (a Uint8Array)', (v) => v instanceof Uint8Array);
export const object = check('an object', isObject);
export const strings = check('a list of strings', (v) => Array.isArray(v) && v.every((x) => str(x)));
/** A node path: indices from the message root. */
export const path = check(
  'a node path (a list of integers ≥ 0)',
  (v) => Array.isArray(v) && v.length < 10_000 && v.every((x) => nonNegInt(x)),
);
/** A value a tree edit sets. */
export const scalar = check(
  'a number, bigint, boolean, string or bytes',
  (v) => ['number', 'bigint', 'boolean', 'string'].includes(typeof v) || v instanceof Uint8Array,
);
/** A duration in milliseconds. */
export const duration = check('a number of milliseconds ≥ 0', (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0);
export const port = check('a port number (0..65535)', (v) => nonNegInt(v) && (v as number) <= 65535);
/** An http(s) URL (the replay client speaks nothing else). */
export const httpUrl = check('an http(s) URL', (v) => str(v) && /^https?:\/\/[^/\s?#]+(?:[/?#]\S*)?$/i.test(v as string));
/** Header pairs (name, value). */
export const headers = check(
  'a list of [name, value] pairs',
  (v) => Array.isArray(v) && v.length <= 1000 && v.every((h) => Array.isArray(h) && h.length === 2 && str(h[0]) && str(h[1])),
);

/** One of the given strings. */
export function oneOf(...values: readonly string[]): Check {
  return check(`one of ${values.join(', ')}`, (v) => typeof v === 'string' && values.includes(v));
}

/** An object that fits a spec. */
export function shaped(what: string, spec: Spec): Check {
  return check(what, (v) => problem(spec, v) === null);
}

/** An object whose field `tag` picks its spec (a tagged union: an edit's op, an auth's kind). */
export function tagged(what: string, tag: string, specs: Readonly<Record<string, Spec>>): Check {
  return check(
    what,
    (v) => isObject(v) && typeof v[tag] === 'string' && Object.hasOwn(specs, v[tag]) && problem(specs[v[tag]], v) === null,
  );
}

/** The first problem of `v` against `spec` in words, or null when it fits. */
export function problem(spec: Spec, v: unknown): string | null {
  if (!isObject(v)) return 'the request must be an object';
  const fields = new Map(Object.entries(spec).map(([k, c]) => [k.replace(/\?$/, ''), { c, optional: k.endsWith('?') }]));
  for (const k of Object.keys(v)) if (!fields.has(k) && v[k] !== undefined) return `unexpected field "${k}"`;
  for (const [k, { c, optional }] of fields) {
    if (v[k] === undefined) {
      if (!optional) return `missing field "${k}"`;
    } else if (!c(v[k])) return `field "${k}" must be ${c.what}`;
  }
  return null;
}
