/**
 * Type detection: ranks message types by how well they explain some bytes.
 *
 * For each candidate type a lean validating walk runs over the wire bytes (no trees are
 * built, nothing is allocated per field; per-type field tables are compiled once and cached).
 * It counts, recursively through nested messages up to a depth cap:
 *   solidBytes   bytes explained by declared fields whose value fits the declared type, each
 *                weighed by how much the match says: numbers, enums, packed runs, text in a
 *                string field, opaque binary in a bytes field and the tag and length of every
 *                field count in full; a nested message counts its tag and length and then what
 *                its own fields explain. A string or bytes field whose content is not text but
 *                parses as a protobuf message of its own (what a message-typed field would
 *                hold) explains that content only at OPAQUE_WEIGHT (0.25): such a field can
 *                swallow anything, so it must not beat a type that explains the same bytes
 *                field by field. The same holds for a packed numeric run (almost any message
 *                is a valid run of varints), whose enum values must also be declared.
 *                (knownBytes, shown in the reasons, counts all of these in full.)
 *   occurrences  field occurrences, and knownOcc of them matched a declared field; the fields
 *                inside such an opaque nested message count as occurrences nothing explained
 *   mismatches   wrong wire type for a declared field, or a nested message / packed run that
 *                does not parse as declared
 *   badStrings   string fields that are not valid UTF-8
 *   badEnums     enum values the enum does not declare; badBools: bool varints other than 0/1
 *   missingRequired  proto2 required fields absent
 *   usage        top-level slots used / declared, where a slot is a field outside any oneof or
 *                a whole oneof (a oneof wrapper such as SignalRequest uses all it can with one
 *                member set)
 *   typed        share of known occurrences that passed a type-specific check (a declared
 *                enum value, a nested message that parsed as its type)
 *
 * Score (0..1):
 *   base  = 0.74 * solidBytes / totalBytes + 0.20 * knownOcc / occurrences + 0.05 * usage
 *         + 0.01 * typed
 *   score = base * 0.5^mismatches * 0.7^badStrings * 0.85^badEnums * 0.9^badBools
 *                * 0.8^missingRequired * (0.5 when the bytes are malformed / truncated)
 * (An empty ratio counts as 1.) Ties (types that read the bytes identically) break on more
 * solid bytes, then fewer declared-but-unused top-level slots, then fewer unused slots summed
 * over the nested message instances, then fewer singular top-level fields (or oneofs) written
 * more than once, then fewer repeated top-level fields holding a single element (one occurrence
 * fits a singular field better than a list), then the type name. A type's walk stops early
 * after `maxBad` bad signals.
 */
import type { Field, MapField, Type } from 'protobufjs';
import { isValidUtf8 } from '../wire/utf8';
import { readVarint, type VarintResult } from '../wire/varint';

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
  /**
   * Judge at most about this many bytes (default 256 KiB): a bigger message is judged on its
   * top-level fields up to the last one that ends within the bound, so detecting the type of a
   * 1 GB file costs what a 256 KiB one does. Reasons then say how much was judged.
   */
  maxBytes?: number;
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
  /** Usage slot: its own, or shared by the members of its oneof. */
  slot: number;
}

interface TypePlan {
  name: string;
  fields: Map<number, FieldPlan>;
  declared: number;
  requiredCount: number;
  /** Usage slots: fields outside oneofs plus oneofs. */
  slots: number;
  /** Per slot: occurrences at the top level in the current walk (reset before each top-level walk). */
  topCount: Int32Array;
  /** Per slot: 1 when the slot is a repeated field (or a map). */
  slotRepeated: Uint8Array;
}

const SCALAR_KIND: Record<string, [kind: number, wire: number]> = {
  double: [K_FIXED64, 1],
  fixed64: [K_FIXED64, 1],
  sfixed64: [K_FIXED64, 1],
  float: [K_FIXED32, 5],
  fixed32: [K_FIXED32, 5],
  sfixed32: [K_FIXED32, 5],
  int32: [K_VARINT, 0],
  int64: [K_VARINT, 0],
  uint32: [K_VARINT, 0],
  uint64: [K_VARINT, 0],
  sint32: [K_VARINT, 0],
  sint64: [K_VARINT, 0],
  bool: [K_BOOL, 0],
  string: [K_STRING, 2],
  bytes: [K_BYTES, 2],
};

const planCache = new WeakMap<object, TypePlan>();

function enumValueSet(e: { values: Record<string, number> }): Set<number> {
  return new Set(Object.values(e.values));
}

function scalarPlan(number: number, typeName: string, resolved: unknown, repeated: boolean): FieldPlan {
  const base: FieldPlan = {
    number,
    kind: K_BYTES,
    wire: 2,
    packable: false,
    required: false,
    delimited: false,
    enumValues: null,
    msgType: null,
    entry: null,
    stamp: 0,
    slot: 0,
  };
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

function plainPlan(name: string, fields: Map<number, FieldPlan>, requiredCount: number, slots: number, slotRepeated: Uint8Array): TypePlan {
  return { name, fields, declared: fields.size, requiredCount, slots, topCount: new Int32Array(slots), slotRepeated };
}

function compile(type: Type): TypePlan {
  const cached = planCache.get(type);
  if (cached) return cached;
  const fields = new Map<number, FieldPlan>();
  let requiredCount = 0;
  const oneofSlot = new Map<object, number>();
  const repeatedSlots: number[] = [];
  let slots = 0;
  for (const f of type.fieldsArray as Field[]) {
    let fp: FieldPlan;
    if ((f as Field & { map?: boolean }).map) {
      const mf = f as unknown as MapField;
      const entryFields = new Map<number, FieldPlan>();
      entryFields.set(1, scalarPlan(1, mf.keyType, null, false));
      entryFields.set(2, scalarPlan(2, mf.type, mf.resolvedType, false));
      entryFields.get(2)!.slot = 1;
      fp = {
        number: f.id,
        kind: K_MESSAGE,
        wire: 2,
        packable: false,
        required: false,
        delimited: false,
        enumValues: null,
        msgType: null,
        stamp: 0,
        slot: 0,
        entry: plainPlan(`${type.fullName.replace(/^\./, '')}.${f.name}Entry`, entryFields, 0, 2, new Uint8Array(2)),
      };
    } else {
      fp = scalarPlan(f.id, f.type, f.resolvedType, f.repeated);
      fp.required = f.required;
      if (fp.kind === K_MESSAGE && f.delimited) {
        fp.delimited = true;
        fp.wire = 3;
      }
    }
    // Members of one oneof share a usage slot (proto3 `optional` makes a one-member oneof: its own slot).
    const oneof = f.partOf;
    if (oneof && oneof.fieldsArray.length > 1) {
      let slot = oneofSlot.get(oneof);
      if (slot === undefined) {
        slot = slots++;
        oneofSlot.set(oneof, slot);
      }
      fp.slot = slot;
    } else {
      fp.slot = slots++;
      if (f.repeated || (f as Field & { map?: boolean }).map) repeatedSlots.push(fp.slot);
    }
    if (fp.required) requiredCount++;
    fields.set(f.id, fp);
  }
  const slotRepeated = new Uint8Array(slots);
  for (const i of repeatedSlots) slotRepeated[i] = 1;
  const plan = plainPlan(type.fullName.replace(/^\./, ''), fields, requiredCount, slots, slotRepeated);
  planCache.set(type, plan);
  return plan;
}

/** The weight of content that a string or bytes field holds but a message would explain better. */
const OPAQUE_WEIGHT = 0.25;

interface Stats {
  knownBytes: number;
  /** Known bytes weighed by how much their match says (see the module comment). */
  solid: number;
  /** Bytes of string / bytes fields whose content parses as a message of its own. */
  opaqueBytes: number;
  occurrences: number;
  knownOcc: number;
  mismatches: number;
  badStrings: number;
  badEnums: number;
  badBools: number;
  missingRequired: number;
  topUsed: number;
  /** Repeated top-level fields holding exactly one element. */
  singles: number;
  /** Singular top-level fields (or oneofs) written more than once. */
  dupSingular: number;
  /** Over nested message instances: declared slots left unused. */
  nestedUnused: number;
  malformedAt: number;
  steps: number;
  bad: number;
  /** Occurrences that passed a type-specific check: a declared enum value, a nested message of its type. */
  strong: number;
  firstMismatch: string;
}

function newStats(): Stats {
  return {
    knownBytes: 0,
    solid: 0,
    opaqueBytes: 0,
    occurrences: 0,
    knownOcc: 0,
    mismatches: 0,
    badStrings: 0,
    badEnums: 0,
    badBools: 0,
    missingRequired: 0,
    topUsed: 0,
    singles: 0,
    dupSingular: 0,
    nestedUnused: 0,
    malformedAt: -1,
    steps: 0,
    bad: 0,
    strong: 0,
    firstMismatch: '',
  };
}

interface Limits {
  maxDepth: number;
  maxBad: number;
  maxSteps: number;
}

// Scratch result of readVarint (core/wire/varint); a value of 2^32 or more has V.hi !== 0.
const V: VarintResult = { lo: 0, hi: 0 };

/** Skips a value of wire type wt at p; returns the new position or -1 (groups: past the end tag). */
function skipValue(buf: Uint8Array, p: number, end: number, wt: number, fieldNumber: number, depth: number): number {
  switch (wt) {
    case 0:
      return readVarint(buf, p, end, V);
    case 1:
      return p + 8 <= end ? p + 8 : -1;
    case 5:
      return p + 4 <= end ? p + 4 : -1;
    case 2: {
      const r = readVarint(buf, p, end, V);
      if (r < 0 || V.hi !== 0 || V.lo > end - r) return -1;
      return r + V.lo;
    }
    case 3: {
      if (depth > 100) return -1;
      while (p < end) {
        const q = readVarint(buf, p, end, V);
        if (q < 0 || V.hi !== 0) return -1;
        const t = V.lo;
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
    p = readVarint(buf, p, end, V);
    if (p < 0) return false;
  }
  return true;
}

/** Whether every value of a packed enum run [p, end) is declared (the run is known to be valid). */
function packedEnumsOk(buf: Uint8Array, p: number, end: number, values: Set<number>): boolean {
  while (p < end) {
    p = readVarint(buf, p, end, V);
    if (p < 0 || !values.has(V.lo | 0)) return false;
  }
  return true;
}

/** Whether [p, end) reads as text: no C0 control characters but tab, LF and CR, and no DEL (the caller checks UTF-8). */
function isText(buf: Uint8Array, p: number, end: number): boolean {
  for (; p < end; p++) {
    const c = buf[p];
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return false;
  }
  return true;
}

/** The number of top-level fields when [p, end) parses as a non-empty message, else 0. */
function messageFieldCount(buf: Uint8Array, p: number, end: number, depth: number): number {
  let n = 0;
  while (p < end) {
    const q = readVarint(buf, p, end, V);
    if (q < 0 || V.hi !== 0) return 0;
    const wt = V.lo & 7;
    const fn = V.lo >>> 3;
    if (fn === 0 || wt > 5 || wt === 4) return 0;
    p = skipValue(buf, q, end, wt, fn, depth);
    if (p < 0) return 0;
    n++;
  }
  return n;
}

/**
 * Credits the content [p, end) of a string or bytes field: in full, unless it is not text and
 * parses as a message of its own (then at OPAQUE_WEIGHT, its fields counted as unexplained occurrences).
 */
function creditOpaque(buf: Uint8Array, p: number, end: number, depth: number, st: Stats): void {
  const len = end - p;
  if (len >= 2 && !isText(buf, p, end)) {
    const n = messageFieldCount(buf, p, end, depth);
    if (n > 0) {
      st.solid += OPAQUE_WEIGHT * len;
      st.opaqueBytes += len;
      st.occurrences += n;
      return;
    }
  }
  st.solid += len;
}

let stampCounter = 0;

/**
 * Walks one message level [p, end) against plan. `endGroup` > 0 when walking a group body.
 * Returns the position after the message (after the end-group tag for groups) or -1 when
 * malformed (stats.malformedAt set).
 */
function walk(
  buf: Uint8Array,
  p: number,
  end: number,
  plan: TypePlan,
  depth: number,
  endGroup: number,
  st: Stats,
  lim: Limits,
  top: boolean,
): number {
  const stamp = ++stampCounter;
  let requiredSeen = 0;
  let distinct = 0;
  while (p < end) {
    if (st.bad >= lim.maxBad) return end;
    st.steps++;
    const tagStart = p;
    const q = readVarint(buf, p, end, V);
    if (q < 0 || V.hi !== 0) {
      st.malformedAt = tagStart;
      return -1;
    }
    const wt = V.lo & 7;
    const fn = V.lo >>> 3;
    if (fn === 0 || wt > 5) {
      st.malformedAt = tagStart;
      return -1;
    }
    if (wt === 4) {
      if (endGroup === fn) {
        if (requiredSeen < plan.requiredCount) st.missingRequired += plan.requiredCount - requiredSeen;
        if (distinct < plan.slots) st.nestedUnused += plan.slots - distinct;
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
      distinct++;
      if (fp.required) requiredSeen++;
    }
    if (top) plan.topCount[fp.slot]++;
    let ok = true;
    switch (wt) {
      case 0: {
        const r = readVarint(buf, p, end, V);
        if (r < 0) {
          st.malformedAt = tagStart;
          return -1;
        }
        if (fp.kind === K_BOOL && (V.lo > 1 || V.hi !== 0)) {
          st.badBools++;
          st.bad++;
        } else if (fp.kind === K_ENUM && fp.enumValues) {
          if (fp.enumValues.has(V.lo | 0)) st.strong++;
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
        const r = readVarint(buf, p, end, V);
        if (r < 0 || V.hi !== 0 || V.lo > end - r) {
          st.malformedAt = tagStart;
          return -1;
        }
        const vEnd = r + V.lo;
        if (packed) {
          if (!packedOk(buf, r, vEnd, fp.wire)) {
            ok = false;
            st.mismatches++;
            st.bad++;
            if (!st.firstMismatch) st.firstMismatch = `field ${fn} of ${plan.name} is not a valid packed run`;
          } else if (fp.enumValues && !packedEnumsOk(buf, r, vEnd, fp.enumValues)) {
            ok = false;
            st.badEnums++;
            st.bad++;
          } else {
            // Almost any message is also a valid run of varints: weigh the content like a string's.
            if (fp.enumValues) st.strong++;
            st.knownBytes += vEnd - tagStart;
            st.knownOcc++;
            st.solid += r - tagStart;
            creditOpaque(buf, r, vEnd, depth, st);
            p = vEnd;
            continue;
          }
        } else if (fp.kind === K_STRING || fp.kind === K_BYTES) {
          if (fp.kind === K_STRING && !isValidUtf8(buf, r, vEnd)) {
            ok = false;
            st.badStrings++;
            st.bad++;
          } else {
            // The tag and length in full; the content by what it looks like.
            st.knownBytes += vEnd - tagStart;
            st.knownOcc++;
            st.solid += r - tagStart;
            creditOpaque(buf, r, vEnd, depth, st);
            p = vEnd;
            continue;
          }
        } else if (fp.kind === K_MESSAGE) {
          const sub = fp.entry ?? (fp.msgType ? compile(fp.msgType) : null);
          if (sub) {
            // What a failed nested walk must roll back (kept in locals: no allocation).
            const kb = st.knownBytes,
              so = st.solid,
              ob = st.opaqueBytes,
              oc = st.occurrences,
              ko = st.knownOcc,
              mm = st.mismatches;
            const bs = st.badStrings,
              be = st.badEnums,
              bb = st.badBools,
              mr = st.missingRequired,
              bd = st.bad,
              sg = st.strong;
            const firstBefore = st.firstMismatch;
            let r2: number;
            if (depth + 1 > lim.maxDepth || st.steps > lim.maxSteps) {
              // Too deep or too much work: check wire validity only.
              r2 = messageFieldCount(buf, r, vEnd, depth) > 0 || r === vEnd ? vEnd : -1;
              if (r2 >= 0) {
                st.knownBytes += vEnd - r;
                st.solid += vEnd - r;
              }
            } else {
              r2 = walk(buf, r, vEnd, sub, depth + 1, 0, st, lim, false);
            }
            if (r2 < 0) {
              // Does not parse as the declared type: one mismatch (what the walk counted inside is dropped).
              st.knownBytes = kb;
              st.solid = so;
              st.opaqueBytes = ob;
              st.occurrences = oc;
              st.knownOcc = ko;
              st.mismatches = mm;
              st.badStrings = bs;
              st.badEnums = be;
              st.badBools = bb;
              st.missingRequired = mr;
              st.bad = bd;
              st.strong = sg;
              st.malformedAt = -1;
              st.firstMismatch = firstBefore;
              ok = false;
              st.mismatches++;
              st.bad++;
              if (!st.firstMismatch) st.firstMismatch = `field ${fn} of ${plan.name} does not parse as ${sub.name}`;
            } else {
              st.knownBytes += r - tagStart;
              st.solid += r - tagStart;
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
        st.solid += p - tagStart;
        st.knownOcc++;
        st.strong++;
        p = r;
        continue;
      }
    }
    if (ok) {
      st.knownBytes += p - tagStart;
      st.solid += p - tagStart;
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
  if (!top && distinct < plan.slots) st.nestedUnused += plan.slots - distinct;
  return p;
}

function scoreOf(st: Stats, total: number, slots: number): number {
  const explained = total === 0 ? 1 : Math.min(1, st.solid / total);
  const fieldShare = st.occurrences === 0 ? 1 : st.knownOcc / st.occurrences;
  const usage = slots === 0 ? (st.occurrences === 0 ? 1 : 0) : Math.min(1, st.topUsed / slots);
  const typed = st.knownOcc === 0 ? 0 : Math.min(1, st.strong / st.knownOcc);
  const base = 0.74 * explained + 0.2 * fieldShare + 0.05 * usage + 0.01 * typed;
  const penalty =
    0.5 ** st.mismatches *
    0.7 ** st.badStrings *
    0.85 ** st.badEnums *
    0.9 ** st.badBools *
    0.8 ** st.missingRequired *
    (st.malformedAt >= 0 ? 0.5 : 1);
  return base * penalty;
}

function reasonsOf(st: Stats, total: number, plan: TypePlan, lim: Limits): string[] {
  const r = [
    `explains ${st.knownBytes}/${total} bytes with declared fields`,
    `${st.knownOcc}/${st.occurrences} field occurrences match declared fields`,
    plan.slots === plan.declared
      ? `uses ${st.topUsed}/${plan.declared} declared top-level fields`
      : `uses ${st.topUsed}/${plan.slots} top-level slots (${plan.declared} declared fields, oneof members sharing a slot)`,
  ];
  if (st.opaqueBytes)
    r.push(
      `${st.opaqueBytes} byte(s) of string, bytes or packed fields hold what parses as a nested message (weighed at ${OPAQUE_WEIGHT})`,
    );
  if (st.dupSingular) r.push(`${st.dupSingular} singular top-level field(s) or oneof(s) written more than once`);
  if (st.singles) r.push(`${st.singles} repeated top-level field(s) hold a single element`);
  if (st.mismatches)
    r.push(`${st.mismatches} wire-type or nested-type mismatch(es)${st.firstMismatch ? `, first: ${st.firstMismatch}` : ''}`);
  if (st.badStrings) r.push(`${st.badStrings} string field(s) not valid UTF-8`);
  if (st.badEnums) r.push(`${st.badEnums} enum value(s) not declared`);
  if (st.badBools) r.push(`${st.badBools} bool value(s) other than 0/1`);
  if (st.missingRequired) r.push(`${st.missingRequired} required field(s) missing`);
  if (st.malformedAt >= 0) r.push(`the bytes do not parse past byte ${st.malformedAt}`);
  if (st.bad >= lim.maxBad) r.push('walk stopped early after too many bad signals');
  return r;
}

/** Default of RankTypesOptions.maxBytes. */
export const DETECT_MAX_BYTES = 256 * 1024;

/**
 * Where a judged sample of `buf` ends: after the last whole top-level field that ends within
 * `maxBytes`. The whole buffer when it is not bigger, when its first field alone is (nothing
 * shorter would parse), or when its top level breaks before the bound (the walk reports that).
 */
function sampleEnd(buf: Uint8Array, maxBytes: number): number {
  const end = buf.length;
  if (end <= maxBytes) return end;
  let p = 0;
  let last = 0;
  while (p < end) {
    const q = readVarint(buf, p, end, V);
    if (q < 0 || V.hi !== 0) return end;
    const wt = V.lo & 7;
    const fn = V.lo >>> 3;
    if (fn === 0 || wt > 5 || wt === 4) return end;
    const r = skipValue(buf, q, end, wt, fn, 0);
    if (r < 0) return end;
    if (r > maxBytes) return last > 0 ? last : end;
    last = p = r;
  }
  return end;
}

/** Ranks message types by how well they explain `bytes`, best first (see the module comment for the score). */
export function rankTypes(input: Uint8Array, types: readonly Type[], options: RankTypesOptions = {}): TypeRank[] {
  const lim: Limits = { maxDepth: options.maxDepth ?? 32, maxBad: options.maxBad ?? 8, maxSteps: options.maxSteps ?? 100_000 };
  const judged = sampleEnd(input, options.maxBytes ?? DETECT_MAX_BYTES);
  const bytes = judged < input.length ? input.subarray(0, judged) : input;
  const total = bytes.length;
  const rows: { plan: TypePlan; st: Stats; score: number }[] = [];
  for (const type of types) {
    const plan = compile(type);
    const st = newStats();
    plan.topCount.fill(0);
    walk(bytes, 0, total, plan, 0, 0, st, lim, true);
    for (let i = 0; i < plan.slots; i++) {
      const n = plan.topCount[i];
      if (n > 0) st.topUsed++;
      if (plan.slotRepeated[i] === 1) {
        if (n === 1) st.singles++;
      } else if (n > 1) st.dupSingular++;
    }
    const score = scoreOf(st, total, plan.slots);
    if (score >= (options.minScore ?? 0)) rows.push({ plan, st, score });
  }
  rows.sort(
    (a, b) =>
      b.score - a.score ||
      b.st.solid - a.st.solid ||
      a.plan.slots - a.st.topUsed - (b.plan.slots - b.st.topUsed) ||
      a.st.nestedUnused - b.st.nestedUnused ||
      a.st.dupSingular - b.st.dupSingular ||
      a.st.singles - b.st.singles ||
      (a.plan.name < b.plan.name ? -1 : a.plan.name > b.plan.name ? 1 : 0),
  );
  const limit = Math.min(rows.length, options.limit ?? rows.length);
  const reasonsFor = options.reasonsFor ?? 10;
  const out: TypeRank[] = [];
  for (let i = 0; i < limit; i++) {
    const row = rows[i];
    const rank: TypeRank = { typeName: row.plan.name, score: row.score };
    if (i < reasonsFor) {
      rank.reasons = reasonsOf(row.st, total, row.plan, lim);
      if (judged < input.length) rank.reasons.push(`judged on the top-level fields in the first ${judged} of ${input.length} bytes`);
    }
    out.push(rank);
  }
  return out;
}

/** Ranks every message type of a registry (anything with `messageTypes()`) for `bytes`, best first. */
export function rankRegistryTypes(bytes: Uint8Array, registry: MessageTypeSource, options: RankTypesOptions = {}): TypeRank[] {
  return rankTypes(bytes, registry.messageTypes(), options);
}
