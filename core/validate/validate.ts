/**
 * Checks a decoded document against Kik's validation options (`kik.validation.field_validation`
 * on a field, `kik.validation.map_key` on a map field's keys) and proto2 `required`.
 *
 * Semantics (as Kik's validators use them):
 * - `mandatory`: a singular message or explicit-presence field must be present; an implicit-presence
 *   proto3 scalar must be present with a non-default value; a repeated or map field needs at least
 *   one element.
 * - Value rules (lengths, ranges, regex) apply to every value present on the wire (each element of a
 *   repeated field, each map value); absent fields are only checked by `mandatory` / `required`.
 * - `min_repetitions` / `max_repetitions` count the elements of a repeated field (entries of a map)
 *   when the field is present; `ordered` compares consecutive elements (messages compare as the
 *   tuple of their scalar fields in field-number order), equal neighbours allowed.
 * - A singular message field written several times is validated as the merge of its occurrences.
 * - Unknown fields and raw bytes are not checked.
 */
import type { Field, MapField, Type } from 'protobufjs';
import type { FieldNode, MessageNodeValue, MessageRoot, ScalarValue } from '../document/model';
import { fieldOption, isMapField } from '../schema/reflection';

/** The rules a violation can name: the FieldValidation option names, plus proto2 `required`. */
export type ValidationRule =
  | 'required'
  | 'mandatory'
  | 'regex'
  | 'min_codepoints'
  | 'max_codepoints'
  | 'min_byte_length'
  | 'max_byte_length'
  | 'min_val'
  | 'max_val'
  | 'min_double_val'
  | 'max_double_val'
  | 'min_repetitions'
  | 'max_repetitions'
  | 'ordered';

/** A limit or an observed value, in JSON-friendly form where possible (64-bit integers stay bigint). */
export type ValidationValue = number | bigint | string | boolean;

/** One broken rule. */
export interface Violation {
  /** Where, from the document root: `convo_ids[3].one_to_one.users[0].local_part`, `attributes["k"]`. */
  path: string;
  rule: ValidationRule;
  /** The rule's limit (the regex source, the ordering "ASC"/"DESC", a number). Absent for required/mandatory. */
  limit?: ValidationValue;
  /** What the document has (a length, a count, the value, the offending element). */
  actual?: ValidationValue;
  /** `map-key` when the rule came from `kik.validation.map_key` and the key broke it. */
  target?: 'value' | 'map-key';
  /** A one-line human-readable explanation. */
  message: string;
}

/** The FieldValidation option as protobufjs parses it (field names as in the .proto). */
export interface FieldValidation {
  mandatory?: boolean;
  regex?: string;
  min_codepoints?: number;
  max_codepoints?: number;
  min_byte_length?: number;
  max_byte_length?: number;
  min_val?: number | string | bigint;
  max_val?: number | string | bigint;
  min_double_val?: number;
  max_double_val?: number;
  min_repetitions?: number;
  max_repetitions?: number;
  ordered?: 'ASC' | 'DESC' | number;
}

/** Options of validateMessage. */
export interface ValidateOptions {
  /** Stop after this many violations (default 10,000). */
  maxViolations?: number;
  /** Called once per schema problem (e.g. a regex JavaScript cannot compile); such rules are skipped. */
  onSchemaProblem?: (fieldPath: string, problem: string) => void;
}

/** Name of the field option holding a field's rules. */
export const FIELD_VALIDATION_OPTION = '(kik.validation.field_validation)';
/** Name of the field option holding a map field's key rules. */
export const MAP_KEY_OPTION = '(kik.validation.map_key)';

const rulesCache = new WeakMap<Field, { value: FieldValidation | null; key: FieldValidation | null }>();

/** The validation rules declared on a schema field (value rules and map-key rules), cached. */
export function fieldRules(field: Field): { value: FieldValidation | null; key: FieldValidation | null } {
  let r = rulesCache.get(field);
  if (!r) {
    const read = (name: string): FieldValidation | null => {
      const v = fieldOption(field, name);
      return v && typeof v === 'object' ? (v as FieldValidation) : null;
    };
    r = { value: read(FIELD_VALIDATION_OPTION), key: read(MAP_KEY_OPTION) };
    rulesCache.set(field, r);
  }
  return r;
}

/** Whether any field reachable from `type` carries validation options or proto2 `required` (a cheap pre-check). */
export function hasValidationRules(type: Type): boolean {
  const seen = new Set<Type>();
  const visit = (t: Type): boolean => {
    if (seen.has(t)) return false;
    seen.add(t);
    for (const f of t.fieldsArray) {
      f.resolve();
      const r = fieldRules(f);
      if (r.value || r.key || f.required) return true;
      const sub = f.resolvedType;
      if (sub && 'fieldsArray' in sub && visit(sub as Type)) return true;
    }
    return false;
  };
  return visit(type);
}

class LimitReached extends Error {}

/** One logical value of a field: scalars as their JS value, messages as the nested node value. */
type Element = { scalar: ScalarValue; invalidUtf8?: Uint8Array; embedded?: MessageNodeValue } | { message: MessageNodeValue };

/** Validates a decoded document; returns every violation found, in field order. */
export function validateMessage(root: MessageRoot, options: ValidateOptions = {}): Violation[] {
  if (!root.type) return [];
  const v = new Validator(options);
  try {
    v.message(root.fields, root.type, '');
  } catch (e) {
    if (!(e instanceof LimitReached)) throw e;
  }
  return v.out;
}

/** Formats a violation as one line: `path: message (rule)`. */
export function formatViolation(v: Violation): string {
  return `${v.path || '(root)'}: ${v.message} (${v.target === 'map-key' ? 'map_key.' : ''}${v.rule})`;
}

/** A violation as plain JSON (64-bit values as decimal strings). */
export function violationToJson(v: Violation): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, val] of Object.entries(v))
    if (val !== undefined) out[k] = typeof val === 'bigint' ? val.toString() : (val as string | number | boolean);
  return out;
}

class Validator {
  readonly out: Violation[] = [];
  private readonly max: number;
  private readonly regexCache = new Map<string, RegExp | null>();

  constructor(private readonly options: ValidateOptions) {
    this.max = options.maxViolations ?? 10_000;
  }

  private add(v: Violation): void {
    this.out.push(v);
    if (this.out.length >= this.max) throw new LimitReached();
  }

  message(fields: readonly FieldNode[], type: Type, path: string): void {
    // Group occurrences by schema field, keeping wire order within each.
    const byNumber = new Map<number, FieldNode[]>();
    for (const n of fields) {
      if (!n.field || n.value.kind === 'unknown' || n.value.kind === 'raw-bytes') continue;
      const list = byNumber.get(n.fieldNumber);
      if (list) list.push(n);
      else byNumber.set(n.fieldNumber, [n]);
    }
    for (const field of [...type.fieldsArray].sort((a, b) => a.id - b.id)) {
      if (field.declaringField) continue; // extensions: not validated
      field.resolve();
      this.field(field, byNumber.get(field.id) ?? [], path ? `${path}.${field.name}` : field.name);
    }
  }

  private field(field: Field, nodes: FieldNode[], path: string): void {
    const rules = fieldRules(field);
    const isMap = isMapField(field);
    const present = nodes.length > 0;

    if (field.required && !present) {
      this.add({ path, rule: 'required', message: 'required field is missing' });
    }

    if (isMap) {
      this.mapField(field as unknown as MapField, nodes, path, rules.value, rules.key);
      return;
    }

    const elements = this.elements(nodes);
    const nested = field.resolvedType && 'fieldsArray' in field.resolvedType ? (field.resolvedType as Type) : null;

    if (field.repeated) {
      if (rules.value) {
        const r = rules.value;
        if (r.mandatory && elements.length === 0)
          this.add({ path, rule: 'mandatory', actual: 0, message: 'mandatory repeated field has no elements' });
        if (present) this.repetitions(path, r, elements.length);
        if (r.ordered !== undefined && elements.length > 1) this.ordered(path, r.ordered, elements);
      }
      elements.forEach((el, i) => this.element(el, `${path}[${i}]`, rules.value, nested, 'value', field));
      return;
    }

    // Singular field: messages merge, scalars take the last occurrence.
    let el: Element | undefined;
    if (nested && elements.length > 0) {
      const merged = elements.flatMap((e) => ('message' in e ? e.message.fields : []));
      el = { message: { kind: 'message', typeName: nested.fullName.slice(1), fields: merged } };
    } else {
      el = elements[elements.length - 1];
    }
    if (rules.value?.mandatory && !this.isSet(field, el)) {
      this.add({ path, rule: 'mandatory', message: present ? 'mandatory field has its default value' : 'mandatory field is missing' });
    }
    if (el) this.element(el, path, rules.value, nested, 'value', field);
  }

  private mapField(
    field: MapField,
    nodes: FieldNode[],
    path: string,
    valueRules: FieldValidation | null,
    keyRules: FieldValidation | null,
  ): void {
    const entries = nodes.filter((n) => n.value.kind === 'message');
    if (valueRules?.mandatory && entries.length === 0)
      this.add({ path, rule: 'mandatory', actual: 0, message: 'mandatory map field has no entries' });
    if (valueRules && entries.length > 0) this.repetitions(path, valueRules, entries.length);
    const nested = field.resolvedType && 'fieldsArray' in field.resolvedType ? (field.resolvedType as Type) : null;
    for (const entry of entries) {
      const inner = (entry.value as MessageNodeValue).fields;
      const keyNode = lastOf(inner, 1);
      const valueNode = lastOf(inner, 2);
      const key: ScalarValue = keyNode && keyNode.value.kind === 'scalar' ? keyNode.value.value : defaultKey(field.keyType);
      const entryPath = `${path}[${typeof key === 'string' ? JSON.stringify(key) : String(key)}]`;
      if (keyRules && keyNode && keyNode.value.kind === 'scalar') {
        this.scalar({ scalar: keyNode.value.value, invalidUtf8: keyNode.value.invalidUtf8 }, entryPath, keyRules, 'map-key');
      }
      if (!valueNode) continue;
      const els = this.elements([valueNode]);
      for (const el of els) this.element(el, entryPath, valueRules, nested, 'value');
    }
  }

  /** Flattens occurrences (including packed runs) into logical values. */
  private elements(nodes: FieldNode[]): Element[] {
    const out: Element[] = [];
    for (const n of nodes) {
      const v = n.value;
      if (v.kind === 'scalar') out.push({ scalar: v.value, invalidUtf8: v.invalidUtf8, embedded: v.embedded });
      else if (v.kind === 'packed') for (const e of v.elements) out.push({ scalar: e.value });
      else if (v.kind === 'message') out.push({ message: v });
    }
    return out;
  }

  private element(
    el: Element,
    path: string,
    rules: FieldValidation | null,
    nested: Type | null,
    target: 'value' | 'map-key',
    field?: Field,
  ): void {
    if ('message' in el) {
      if (nested) this.message(el.message.fields, nested, path);
      return;
    }
    if (rules) this.scalar(el, path, rules, target);
    // google.protobuf.Any: the payload decoded as its named type is validated too.
    if (el.embedded?.typeName && field) {
      let t: Type | null;
      try {
        t = field.root.lookupType(el.embedded.typeName);
      } catch {
        t = null;
      }
      if (t) this.message(el.embedded.fields, t, path);
    }
  }

  private isSet(field: Field, el: Element | undefined): boolean {
    if (!el) return false;
    if ('message' in el) return true;
    // Explicit presence (proto2 optional, proto3 optional, oneof members, messages): being on the wire is enough.
    if (field.hasPresence) return true;
    const v = el.scalar;
    if (typeof v === 'string') return v.length > 0 || !!el.invalidUtf8;
    if (v instanceof Uint8Array) return v.length > 0;
    if (typeof v === 'bigint') return v !== 0n;
    if (typeof v === 'number') return v !== 0 || Object.is(v, -0);
    return v === true;
  }

  private repetitions(path: string, r: FieldValidation, count: number): void {
    if (r.min_repetitions !== undefined && count < r.min_repetitions) {
      this.add({
        path,
        rule: 'min_repetitions',
        limit: r.min_repetitions,
        actual: count,
        message: `${count} element${count === 1 ? '' : 's'}, at least ${r.min_repetitions} required`,
      });
    }
    if (r.max_repetitions !== undefined && count > r.max_repetitions) {
      this.add({
        path,
        rule: 'max_repetitions',
        limit: r.max_repetitions,
        actual: count,
        message: `${count} elements, at most ${r.max_repetitions} allowed`,
      });
    }
  }

  private ordered(path: string, order: FieldValidation['ordered'], elements: Element[]): void {
    const desc = order === 'DESC' || order === 1;
    const name = desc ? 'DESC' : 'ASC';
    for (let i = 1; i < elements.length; i++) {
      const c = compareElements(elements[i - 1], elements[i]);
      if (desc ? c < 0 : c > 0) {
        this.add({
          path: `${path}[${i}]`,
          rule: 'ordered',
          limit: name,
          actual: describeElement(elements[i]),
          message: `elements must be in ${desc ? 'descending' : 'ascending'} order; [${i}] ${describeElement(elements[i])} comes after [${i - 1}] ${describeElement(elements[i - 1])}`,
        });
      }
    }
  }

  private scalar(
    el: { scalar: ScalarValue; invalidUtf8?: Uint8Array },
    path: string,
    r: FieldValidation,
    target: 'value' | 'map-key',
  ): void {
    const v = el.scalar;
    const t = target === 'map-key' ? { target } : {};
    const what = target === 'map-key' ? 'key' : 'value';
    if (typeof v === 'string' || v instanceof Uint8Array) {
      const bytes = el.invalidUtf8 ? el.invalidUtf8.length : typeof v === 'string' ? utf8Length(v) : v.length;
      if (r.min_byte_length !== undefined && bytes < r.min_byte_length) {
        this.add({
          path,
          rule: 'min_byte_length',
          limit: r.min_byte_length,
          actual: bytes,
          ...t,
          message: `${what} is ${bytes} byte${bytes === 1 ? '' : 's'}, at least ${r.min_byte_length} required`,
        });
      }
      if (r.max_byte_length !== undefined && bytes > r.max_byte_length) {
        this.add({
          path,
          rule: 'max_byte_length',
          limit: r.max_byte_length,
          actual: bytes,
          ...t,
          message: `${what} is ${bytes} bytes, at most ${r.max_byte_length} allowed`,
        });
      }
    }
    if (typeof v === 'string') {
      const cps = codepoints(v);
      if (r.min_codepoints !== undefined && cps < r.min_codepoints) {
        this.add({
          path,
          rule: 'min_codepoints',
          limit: r.min_codepoints,
          actual: cps,
          ...t,
          message: `${what} has ${cps} code point${cps === 1 ? '' : 's'}, at least ${r.min_codepoints} required`,
        });
      }
      if (r.max_codepoints !== undefined && cps > r.max_codepoints) {
        this.add({
          path,
          rule: 'max_codepoints',
          limit: r.max_codepoints,
          actual: cps,
          ...t,
          message: `${what} has ${cps} code points, at most ${r.max_codepoints} allowed`,
        });
      }
      if (r.regex !== undefined) {
        const re = this.regex(r.regex, path);
        if (re && !re.test(v))
          this.add({
            path,
            rule: 'regex',
            limit: r.regex,
            actual: v,
            ...t,
            message: `${what} ${JSON.stringify(v)} does not match /${r.regex}/`,
          });
      }
    }
    if (typeof v === 'number' || typeof v === 'bigint') {
      const min = toBig(r.min_val);
      const max = toBig(r.max_val);
      if (min !== null && lessThan(v, min))
        this.add({ path, rule: 'min_val', limit: bigOrNumber(min), actual: v, ...t, message: `${what} ${v} is below the minimum ${min}` });
      if (max !== null && lessThan(max, v))
        this.add({ path, rule: 'max_val', limit: bigOrNumber(max), actual: v, ...t, message: `${what} ${v} is above the maximum ${max}` });
      const n = Number(v);
      if (r.min_double_val !== undefined && !(n >= r.min_double_val))
        this.add({
          path,
          rule: 'min_double_val',
          limit: r.min_double_val,
          actual: v,
          ...t,
          message: `${what} ${v} is below the minimum ${r.min_double_val}`,
        });
      if (r.max_double_val !== undefined && !(n <= r.max_double_val))
        this.add({
          path,
          rule: 'max_double_val',
          limit: r.max_double_val,
          actual: v,
          ...t,
          message: `${what} ${v} is above the maximum ${r.max_double_val}`,
        });
    }
  }

  /** Compiles a Java-style pattern: a leading `(?i)` (and other leading inline flags) become JS flags. */
  private regex(source: string, path: string): RegExp | null {
    if (this.regexCache.has(source)) return this.regexCache.get(source)!;
    let re: RegExp | null = null;
    try {
      re = compilePattern(source);
    } catch (e) {
      this.options.onSchemaProblem?.(path, `regex ${JSON.stringify(source)} cannot be compiled: ${(e as Error).message}`);
    }
    this.regexCache.set(source, re);
    return re;
  }
}

/** Compiles a Java-style regular expression for JavaScript (leading inline flags such as `(?i)` become flags; `u` mode when it parses). */
export function compilePattern(source: string): RegExp {
  let flags = 'u';
  let body = source;
  const m = /^\(\?([imsx]+)\)/.exec(body);
  if (m) {
    body = body.slice(m[0].length);
    for (const f of m[1]) if (f !== 'x' && !flags.includes(f)) flags += f;
  }
  // Also accept (?i) right after a leading ^.
  const m2 = /^\^\(\?([ims]+)\)/.exec(body);
  if (m2) {
    body = '^' + body.slice(m2[0].length);
    for (const f of m2[1]) if (!flags.includes(f)) flags += f;
  }
  try {
    return new RegExp(body, flags);
  } catch {
    // Java accepts escapes that Unicode mode rejects (e.g. "\\-" outside a class): retry without it.
    return new RegExp(body, flags.replace('u', ''));
  }
}

function lastOf(fields: readonly FieldNode[], n: number): FieldNode | undefined {
  for (let i = fields.length - 1; i >= 0; i--) if (fields[i].fieldNumber === n) return fields[i];
  return undefined;
}

function defaultKey(keyType: string): ScalarValue {
  if (keyType === 'string') return '';
  if (keyType === 'bool') return false;
  if (/64/.test(keyType)) return 0n;
  return 0;
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function codepoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function toBig(v: unknown): bigint | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? BigInt(Math.trunc(v)) : null;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
  // protobufjs Long
  const l = v as { low?: number; high?: number; unsigned?: boolean };
  if (typeof l.low === 'number' && typeof l.high === 'number') {
    const big = (BigInt(l.high >>> 0) << 32n) | BigInt(l.low >>> 0);
    return l.unsigned ? big : BigInt.asIntN(64, big);
  }
  return null;
}

function bigOrNumber(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function lessThan(a: number | bigint, b: number | bigint): boolean {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b;
  if (typeof a === 'number' && Number.isNaN(a)) return false;
  if (typeof b === 'number' && Number.isNaN(b)) return false;
  // Mixed: compare exactly when both are integers, else as numbers.
  if (typeof a === 'number' && Number.isInteger(a) && typeof b === 'bigint') return BigInt(a) < b;
  if (typeof b === 'number' && Number.isInteger(b) && typeof a === 'bigint') return a < BigInt(b);
  return Number(a) < Number(b);
}

type Comparable = number | bigint | string | boolean | Uint8Array;

function compareScalars(a: Comparable, b: Comparable): number {
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
    return a.length - b.length;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) {
    return lessThan(a, b) ? -1 : lessThan(b, a) ? 1 : 0;
  }
  return 0;
}

/** Scalar fields of a message value in field-number order (last occurrence of each), for ordering. */
function messageKey(m: MessageNodeValue): Comparable[] {
  const last = new Map<number, Comparable>();
  for (const f of m.fields) {
    if (f.value.kind === 'scalar') last.set(f.fieldNumber, f.value.value);
    else if (f.value.kind === 'message') {
      const inner = messageKey(f.value);
      if (inner.length) last.set(f.fieldNumber, inner[0]);
    }
  }
  return [...last.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
}

function compareElements(a: Element, b: Element): number {
  if ('scalar' in a && 'scalar' in b) return compareScalars(a.scalar, b.scalar);
  if ('message' in a && 'message' in b) {
    const ka = messageKey(a.message);
    const kb = messageKey(b.message);
    for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
      const c = compareScalars(ka[i], kb[i]);
      if (c) return c;
    }
    return ka.length - kb.length;
  }
  return 0;
}

function describeElement(e: Element): string {
  const show = (v: Comparable): string =>
    typeof v === 'string' ? JSON.stringify(v) : v instanceof Uint8Array ? `${v.length} bytes` : String(v);
  if ('scalar' in e) return show(e.scalar);
  return `{${messageKey(e.message).map(show).join(', ')}}`;
}
