/** The validation rules: what a violation says, the FieldValidation option, and where a schema declares rules (cached per field). */
import type { Field, Type } from 'protobufjs';
import { fieldOption } from '../schema/reflection';

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

const checkedTypes = new WeakMap<Type, boolean>();

/**
 * Whether a message of `type` can break any rule: some field reachable from it carries rules or
 * proto2 `required`, or is a google.protobuf.Any (whose payload is checked as its own type).
 * Cached: the validator skips every message whose type cannot, however many there are.
 */
export function mayHaveViolations(type: Type): boolean {
  let r = checkedTypes.get(type);
  if (r === undefined) {
    const seen = new Set<Type>();
    const visit = (t: Type): boolean => {
      if (seen.has(t)) return false;
      seen.add(t);
      if (t.fullName === '.google.protobuf.Any') return true;
      for (const f of t.fieldsArray) {
        f.resolve();
        const rules = fieldRules(f);
        if (rules.value || rules.key || f.required) return true;
        const sub = f.resolvedType;
        if (sub && 'fieldsArray' in sub && visit(sub as Type)) return true;
      }
      return false;
    };
    r = visit(type);
    checkedTypes.set(type, r);
  }
  return r;
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
