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
import { isMapField } from '../schema/reflection';
import {
  bigOrNumber,
  codepoints,
  compareElements,
  defaultKey,
  describeElement,
  lastOf,
  lessThan,
  toBig,
  utf8Length,
  type Element,
} from './validate-values';
import {
  compilePattern,
  fieldRules,
  mayHaveViolations,
  type FieldValidation,
  type ValidateOptions,
  type Violation,
} from './validation-rules';

class LimitReached extends Error {}

const sortedFields = new WeakMap<Type, readonly Field[]>();

/** A type's fields in field-number order (cached: sorting them for each of millions of messages showed in profiles). */
function fieldsInOrder(type: Type): readonly Field[] {
  let fields = sortedFields.get(type);
  if (!fields) sortedFields.set(type, (fields = [...type.fieldsArray].sort((a, b) => a.id - b.id)));
  return fields;
}

/** Validates a decoded document; returns every violation found, in field order. */
export function validateMessage(root: MessageRoot, options: ValidateOptions = {}): Violation[] {
  if (!root.type || !mayHaveViolations(root.type)) return [];
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
    for (const field of fieldsInOrder(type)) {
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
    if (nested && elements.length > 0 && mayHaveViolations(nested)) {
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
      // A message that cannot break a rule is not read at all (its fields stay unbuilt).
      if (nested && mayHaveViolations(nested)) this.message(el.message.fields, nested, path);
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
      if (t && mayHaveViolations(t)) this.message(el.embedded.fields, t, path);
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
