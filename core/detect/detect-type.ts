/**
 * Type detection: ranks message types by how well they explain some bytes.
 *
 * For each candidate type a lean validating walk runs over the wire bytes (no trees are
 * built; per-type field tables are compiled once and cached). It counts, recursively through
 * nested messages up to a depth cap:
 *   knownBytes   bytes of fields whose number is declared and whose value fits the declared
 *                type (nested messages count the tag, the length prefix, and what they explain)
 *   occurrences  field occurrences, and knownOcc of them matched a declared field
 *   mismatches   wrong wire type for a declared field, or a nested message / packed run that
 *                does not parse as declared
 *   badStrings   string fields that are not valid UTF-8
 *   badEnums     enum values the enum does not declare; badBools: bool varints other than 0/1
 *   missingRequired  proto2 required fields absent
 *   usage        distinct top-level fields used / top-level fields declared
 *   typed        share of known occurrences that passed a type-specific check (a declared
 *                enum value, a nested message that parsed as its type)
 *
 * Score (0..1):
 *   base  = 0.74 * knownBytes / totalBytes + 0.20 * knownOcc / occurrences + 0.05 * usage
 *         + 0.01 * typed
 *   score = base * 0.5^mismatches * 0.7^badStrings * 0.85^badEnums * 0.9^badBools
 *                * 0.8^missingRequired * (0.5 when the bytes are malformed / truncated)
 * (An empty ratio counts as 1.) Ties break on more known bytes, then fewer declared-but-unused
 * top-level fields, then the type name. A type's walk stops early after `maxBad` bad signals.
 */
import type { Field, MapField, Type } from 'protobufjs';
import { isValidUtf8 } from '../raw/utf8';

export { isValidUtf8 };

/** One ranked candidate type. */
export interface TypeRank {
  /** Fully-qualified type name without the leading dot. */
  typeName: string;
  /** 0..1; see the module comment for the formula. */
  score: number;
  /** Why, in words (present for the first `reasonsFor` results). */
  reasons?: string[];
}

/** Options for rankTypes. */
export interface RankTypesOptions {
  /** Return at most this many results (default: all). */
  limit?: number;
  /** Give reasons for this many of the best results (default 10). */
  reasonsFor?: number;
  /** Nested messages deeper than this are checked only for wire validity (default 32). */
  maxDepth?: number;
  /** Stop walking a type after this many bad signals (mismatches, bad strings...) (default 8). */
  maxBad?: number;
  /** Bound on field visits per type, nested included; past it nested messages are not descended (default 100000). */
  maxSteps?: number;
  /** Drop results scoring below this (default 0: keep all). */
  minScore?: number;
}

/** Something that lists message types, like the SchemaRegistry. */
export interface MessageTypeSource {
  messageTypes(): Type[];
}

// Field kinds.
const K_VARINT = 0;
const K_BOOL = 1;
const K_ENUM = 2;
const K_FIXED64 = 3;
const K_FIXED32 = 4;
const K_STRING = 5;
const K_BYTES = 6;
const K_MESSAGE = 7;

interface FieldPlan {
  number: number;
  kind: number;
  /** The wire type of one (unpacked) value. */
  wire: number;
  /** Repeated numeric field: a LEN packed run is accepted. */
  packable: boolean;
  required: boolean;
  /** Message fields written as groups (proto2 group / editions DELIMITED). */
  delimited: boolean;
  enumValues: Set<number> | null;
  /** For K_MESSAGE: the nested type, compiled on first use. */
  msgType: Type | null;
  /** For map fields: the entry plan. */
  entry: TypePlan | null;
  /** Walk stamp: the last message instance this field was seen in. */
  stamp: number;
}

interface TypePlan {
  name: string;
  fields: Map<number, FieldPlan>;
  declared: number;
  requiredCount: number;
}

const SCALAR_KIND: Record<string, [kind: number, wire: number]> = {
  double: [K_FIXED64, 1], fixed64: [K_FIXED64, 1], sfixed64: [K_FIXED64, 1],
  float: [K_FIXED32, 5], fixed32: [K_FIXED32, 5], sfixed32: [K_FIXED32, 5],
  int32: [K_VARINT, 0], int64: [K_VARINT, 0], uint32: [K_VARINT, 0], uint64: [K_VARINT, 0],
  sint32: [K_VARINT, 0], sint64: [K_VARINT, 0], bool: [K_BOOL, 0],
  string: [K_STRING, 2], bytes: [K_BYTES, 2],
};

const planCache = new WeakMap<object, TypePlan>();

function enumValueSet(e: { values: Record<string, number> }): Set<number> {
  return new Set(Object.values(e.values));
}

function scalarPlan(number: number, typeName: string, resolved: unknown, repeated: boolean): FieldPlan {
  const base: FieldPlan = { number, kind: K_BYTES, wire: 2, packable: false, required: false, delimited: false, enumValues: null, msgType: null, entry: null, stamp: 0 };
  const s = SCALAR_KIND[typeName];
  if (s) {
    base.kind = s[0];
    base.wire = s[1];
  } else if (resolved && typeof resolved === 'object' && 'values' in resolved && !('fields' in resolved)) {
    base.kind = K_ENUM;
    base.wire = 0;
    base.enumValues = enumValueSet(resolved as { values: Record<string, number> });
  } else if (resolved && typeof resolved === 'object' && 'fields' in resolved) {
    base.kind = K_MESSAGE;
    base.wire = 2;
    base.msgType = resolved as Type;
  }
  base.packable = repeated && base.wire !== 2;
  return base;
}

function compile(type: Type): TypePlan {
  const cached = planCache.get(type);
  if (cached) return cached;
  const fields = new Map<number, FieldPlan>();
  let requiredCount = 0;
  for (const f of type.fieldsArray as Field[]) {
    let fp: FieldPlan;
    if ((f as Field & { map?: boolean }).map) {
      const mf = f as unknown as MapField;
      const entryFields = new Map<number, FieldPlan>();
      entryFields.set(1, scalarPlan(1, mf.keyType, null, false));
      entryFields.set(2, scalarPlan(2, mf.type, mf.resolvedType, false));
      fp = { number: f.id, kind: K_MESSAGE, wire: 2, packable: false, required: false, delimited: false, enumValues: null, msgType: null, stamp: 0,
        entry: { name: `${type.fullName.replace(/^\./, '')}.${f.name}Entry`, fields: entryFields, declared: 2, requiredCount: 0 } };
    } else {
      fp = scalarPlan(f.id, f.type, f.resolvedType, f.repeated);
      fp.required = f.required;
      if (fp.kind === K_MESSAGE && f.delimited) {
        fp.delimited = true;
        fp.wire = 3;
      }
    }
    if (fp.required) requiredCount++;
    fields.set(f.id, fp);
  }
  const plan: TypePlan = { name: type.fullName.replace(/^\./, ''), fields, declared: fields.size, requiredCount };
  planCache.set(type, plan);
  return plan;
}

interface Stats {
  knownBytes: number;
  occurrences: number;
  knownOcc: number;
  mismatches: number;
  badStrings: number;
  badEnums: number;
  badBools: number;
  missingRequired: number;
  topUsed: number;
  malformedAt: number;
  steps: number;
  bad: number;
  /** Occurrences that passed a type-specific check: a declared enum value, a nested message of its type. */
  strong: number;
  firstMismatch: string;
}

/** The counters that a failed nested walk must roll back. */
type Snapshot = [number, number, number, number, number, number, number, number, number, number];

function snapshot(st: Stats): Snapshot {
  return [st.knownBytes, st.occurrences, st.knownOcc, st.mismatches, st.badStrings, st.badEnums, st.badBools, st.missingRequired, st.bad, st.strong];
}

function restore(st: Stats, s: Snapshot): void {
  [st.knownBytes, st.occurrences, st.knownOcc, st.mismatches, st.badStrings, st.badEnums, st.badBools, st.missingRequired, st.bad, st.strong] = s;
  st.malformedAt = -1;
}

function newStats(): Stats {
  return { knownBytes: 0, occurrences: 0, knownOcc: 0, mismatches: 0, badStrings: 0, badEnums: 0, badBools: 0, missingRequired: 0, topUsed: 0, malformedAt: -1, steps: 0, bad: 0, strong: 0, firstMismatch: '' };
}

interface Limits {
  maxDepth: number;
  maxBad: number;
  maxSteps: number;
}

// Scratch results of readVarint.
let V_LO = 0;
let V_BIG = false;

/** Reads a varint; returns the new position or -1. Low 32 bits in V_LO; V_BIG when it has more. */
function readVarint(buf: Uint8Array, p: number, end: number): number {
  let lo = 0;
  for (let i = 0; i < 10; i++) {
    if (p >= end) return -1;
    const b = buf[p++];
    if (i < 5) lo |= (b & 0x7f) << (7 * i);
    if (b < 0x80) {
      V_LO = lo >>> 0;
      V_BIG = i >= 5 || (i === 4 && b > 0x0f);
      return p;
    }
  }
  return -1;
}

/** Skips a value of wire type wt at p; returns the new position or -1 (groups: past the end tag). */
function skipValue(buf: Uint8Array, p: number, end: number, wt: number, fieldNumber: number, depth: number): number {
  switch (wt) {
    case 0:
      return readVarint(buf, p, end);
    case 1:
      return p + 8 <= end ? p + 8 : -1;
    case 5:
      return p + 4 <= end ? p + 4 : -1;
    case 2: {
      const r = readVarint(buf, p, end);
      if (r < 0 || V_BIG || V_LO > end - r) return -1;
      return r + V_LO;
    }
    case 3: {
      if (depth > 100) return -1;
      while (p < end) {
        const q = readVarint(buf, p, end);
        if (q < 0 || V_BIG) return -1;
        const t = V_LO;
        const w = t & 7;
        const fn = t >>> 3;
        if (fn === 0) return -1;
        if (w === 4) return fn === fieldNumber ? q : -1;
        p = skipValue(buf, q, end, w, fn, depth + 1);
        if (p < 0) return -1;
      }
      return -1;
    }
    default:
      return -1;
  }
}

function packedOk(buf: Uint8Array, p: number, end: number, wire: number): boolean {
  const len = end - p;
  if (wire === 1) return len % 8 === 0;
  if (wire === 5) return len % 4 === 0;
  while (p < end) {
    p = readVarint(buf, p, end);
    if (p < 0) return false;
  }
  return true;
}

let stampCounter = 0;

/**
 * Walks one message level [p, end) against plan. `endGroup` > 0 when walking a group body.
 * Returns the position after the message (after the end-group tag for groups) or -1 when
 * malformed (stats.malformedAt set).
 */
function walk(buf: Uint8Array, p: number, end: number, plan: TypePlan, depth: number, endGroup: number, st: Stats, lim: Limits, top: boolean): number {
  const stamp = ++stampCounter;
  let requiredSeen = 0;
  while (p < end) {
    if (st.bad >= lim.maxBad) return end;
    st.steps++;
    const tagStart = p;
    const q = readVarint(buf, p, end);
    if (q < 0 || V_BIG) {
      st.malformedAt = tagStart;
      return -1;
    }
    const wt = V_LO & 7;
    const fn = V_LO >>> 3;
    if (fn === 0 || wt > 5) {
      st.malformedAt = tagStart;
      return -1;
    }
    if (wt === 4) {
      if (endGroup === fn) {
        if (requiredSeen < plan.requiredCount) st.missingRequired += plan.requiredCount - requiredSeen;
        return q;
      }
      st.malformedAt = tagStart;
      return -1;
    }
    p = q;
    st.occurrences++;
    const fp = plan.fields.get(fn);
    if (fp === undefined) {
      p = skipValue(buf, p, end, wt, fn, depth);
      if (p < 0) {
        st.malformedAt = tagStart;
        return -1;
      }
      continue;
    }
    // The wire type must be the declared one, or LEN for a packable repeated field.
    const packed = wt === 2 && fp.packable;
    if (wt !== fp.wire && !packed) {
      st.mismatches++;
      st.bad++;
      if (!st.firstMismatch) st.firstMismatch = `field ${fn} of ${plan.name} has wire type ${wt}, expected ${fp.wire}`;
      p = skipValue(buf, p, end, wt, fn, depth);
      if (p < 0) {
        st.malformedAt = tagStart;
        return -1;
      }
      continue;
    }
    if (fp.stamp !== stamp) {
      fp.stamp = stamp;
      if (fp.required) requiredSeen++;
      if (top) st.topUsed++;
    }
    let ok = true;
    switch (wt) {
      case 0: {
        const r = readVarint(buf, p, end);
        if (r < 0) {
          st.malformedAt = tagStart;
          return -1;
        }
        if (fp.kind === K_BOOL && (V_LO > 1 || V_BIG)) {
          st.badBools++;
          st.bad++;
        } else if (fp.kind === K_ENUM && fp.enumValues) {
          if (fp.enumValues.has(V_LO | 0)) st.strong++;
          else {
            st.badEnums++;
            st.bad++;
          }
        }
        p = r;
        break;
      }
      case 1:
      case 5: {
        const r = p + (wt === 1 ? 8 : 4);
        if (r > end) {
          st.malformedAt = tagStart;
          return -1;
        }
        p = r;
        break;
      }
      case 2: {
        const r = readVarint(buf, p, end);
        if (r < 0 || V_BIG || V_LO > end - r) {
          st.malformedAt = tagStart;
          return -1;
        }
        const vEnd = r + V_LO;
        if (packed) {
          if (!packedOk(buf, r, vEnd, fp.wire)) {
            ok = false;
            st.mismatches++;
            st.bad++;
            if (!st.firstMismatch) st.firstMismatch = `field ${fn} of ${plan.name} is not a valid packed run`;
          }
        } else if (fp.kind === K_STRING) {
          if (!isValidUtf8(buf, r, vEnd)) {
            ok = false;
            st.badStrings++;
            st.bad++;
          }
        } else if (fp.kind === K_MESSAGE) {
          const sub = fp.entry ?? (fp.msgType ? compile(fp.msgType) : null);
          if (sub) {
            const before = snapshot(st);
            const firstBefore = st.firstMismatch;
            let r2: number;
            if (depth + 1 > lim.maxDepth || st.steps > lim.maxSteps) {
              // Too deep or too much work: check wire validity only.
              r2 = skipMessage(buf, r, vEnd, depth) ? vEnd : -1;
              if (r2 >= 0) st.knownBytes += vEnd - r;
            } else {
              r2 = walk(buf, r, vEnd, sub, depth + 1, 0, st, lim, false);
            }
            if (r2 < 0) {
              // Does not parse as the declared type: one mismatch (what the walk counted inside is dropped).
              restore(st, before);
              st.firstMismatch = firstBefore;
              ok = false;
              st.mismatches++;
              st.bad++;
              if (!st.firstMismatch) st.firstMismatch = `field ${fn} of ${plan.name} does not parse as ${sub.name}`;
            } else {
              st.knownBytes += r - tagStart;
              st.knownOcc++;
              st.strong++;
              p = vEnd;
              continue;
            }
          }
        }
        p = vEnd;
        break;
      }
      case 3: {
        // A delimited (group-encoded) message field.
        const sub = fp.msgType ? compile(fp.msgType) : null;
        if (!sub || depth + 1 > lim.maxDepth) {
          const r = skipValue(buf, p, end, 3, fn, depth);
          if (r < 0) {
            st.malformedAt = tagStart;
            return -1;
          }
          p = r;
          break;
        }
        const r = walk(buf, p, end, sub, depth + 1, fn, st, lim, false);
        if (r < 0) return -1;
        // The body counted itself; count the start tag here (the end tag is left unexplained).
        st.knownBytes += p - tagStart;
        st.knownOcc++;
        st.strong++;
        p = r;
        continue;
      }
    }
    if (ok) {
      st.knownBytes += p - tagStart;
      st.knownOcc++;
    }
  }
  if (endGroup > 0) {
    st.malformedAt = end;
    return -1;
  }
  if (requiredSeen < plan.requiredCount) {
    st.missingRequired += plan.requiredCount - requiredSeen;
  }
  return p;
}

function skipMessage(buf: Uint8Array, p: number, end: number, depth: number): boolean {
  while (p < end) {
    const q = readVarint(buf, p, end);
    if (q < 0 || V_BIG) return false;
    const wt = V_LO & 7;
    const fn = V_LO >>> 3;
    if (fn === 0 || wt > 5 || wt === 4) return false;
    p = skipValue(buf, q, end, wt, fn, depth);
    if (p < 0) return false;
  }
  return true;
}

function scoreOf(st: Stats, total: number, declared: number): number {
  const explained = total === 0 ? 1 : Math.min(1, st.knownBytes / total);
  const fieldShare = st.occurrences === 0 ? 1 : st.knownOcc / st.occurrences;
  const usage = declared === 0 ? (st.occurrences === 0 ? 1 : 0) : Math.min(1, st.topUsed / declared);
  const typed = st.knownOcc === 0 ? 0 : Math.min(1, st.strong / st.knownOcc);
  const base = 0.74 * explained + 0.2 * fieldShare + 0.05 * usage + 0.01 * typed;
  const penalty =
    0.5 ** st.mismatches * 0.7 ** st.badStrings * 0.85 ** st.badEnums * 0.9 ** st.badBools * 0.8 ** st.missingRequired * (st.malformedAt >= 0 ? 0.5 : 1);
  return base * penalty;
}

function reasonsOf(st: Stats, total: number, plan: TypePlan, lim: Limits): string[] {
  const r = [`explains ${st.knownBytes}/${total} bytes with declared fields`, `${st.knownOcc}/${st.occurrences} field occurrences match declared fields`, `uses ${st.topUsed}/${plan.declared} declared top-level fields`];
  if (st.mismatches) r.push(`${st.mismatches} wire-type or nested-type mismatch(es)${st.firstMismatch ? `, first: ${st.firstMismatch}` : ''}`);
  if (st.badStrings) r.push(`${st.badStrings} string field(s) not valid UTF-8`);
  if (st.badEnums) r.push(`${st.badEnums} enum value(s) not declared`);
  if (st.badBools) r.push(`${st.badBools} bool value(s) other than 0/1`);
  if (st.missingRequired) r.push(`${st.missingRequired} required field(s) missing`);
  if (st.malformedAt >= 0) r.push(`the bytes do not parse past byte ${st.malformedAt}`);
  if (st.bad >= lim.maxBad) r.push('walk stopped early after too many bad signals');
  return r;
}

/** Ranks message types by how well they explain `bytes`, best first (see the module comment for the score). */
export function rankTypes(bytes: Uint8Array, types: readonly Type[], options: RankTypesOptions = {}): TypeRank[] {
  const lim: Limits = { maxDepth: options.maxDepth ?? 32, maxBad: options.maxBad ?? 8, maxSteps: options.maxSteps ?? 100_000 };
  const total = bytes.length;
  const rows: { plan: TypePlan; st: Stats; score: number }[] = [];
  for (const type of types) {
    const plan = compile(type);
    const st = newStats();
    walk(bytes, 0, total, plan, 0, 0, st, lim, true);
    const score = scoreOf(st, total, plan.declared);
    if (score >= (options.minScore ?? 0)) rows.push({ plan, st, score });
  }
  rows.sort((a, b) =>
    b.score - a.score ||
    b.st.knownBytes - a.st.knownBytes ||
    (a.plan.declared - a.st.topUsed) - (b.plan.declared - b.st.topUsed) ||
    (a.plan.name < b.plan.name ? -1 : a.plan.name > b.plan.name ? 1 : 0),
  );
  const limit = Math.min(rows.length, options.limit ?? rows.length);
  const reasonsFor = options.reasonsFor ?? 10;
  const out: TypeRank[] = [];
  for (let i = 0; i < limit; i++) {
    const row = rows[i];
    const rank: TypeRank = { typeName: row.plan.name, score: row.score };
    if (i < reasonsFor) rank.reasons = reasonsOf(row.st, total, row.plan, lim);
    out.push(rank);
  }
  return out;
}

/** Ranks every message type of a registry (anything with `messageTypes()`) for `bytes`, best first. */
export function rankRegistryTypes(bytes: Uint8Array, registry: MessageTypeSource, options: RankTypesOptions = {}): TypeRank[] {
  return rankTypes(bytes, registry.messageTypes(), options);
}
