/**
 * The validating walk of detection: one pass over the wire bytes against a type's plan,
 * counting into Stats, allocating nothing per field; and the top-level sample a big input is
 * judged on.
 */
import { isValidUtf8 } from '../wire/utf8';
import { readVarint, type VarintResult } from '../wire/varint';
import { OPAQUE_WEIGHT, type Limits, type Stats } from './detect-stats';
import { compileTypePlan, K_BOOL, K_BYTES, K_ENUM, K_MESSAGE, K_STRING, type TypePlan } from './type-plan';

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
export function walk(
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
          const sub = fp.entry ?? (fp.msgType ? compileTypePlan(fp.msgType) : null);
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
        const sub = fp.msgType ? compileTypePlan(fp.msgType) : null;
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

/**
 * Where a judged sample of `buf` ends: after the last whole top-level field that ends within
 * `maxBytes`. The whole buffer when it is not bigger, when its first field alone is (nothing
 * shorter would parse), or when its top level breaks before the bound (the walk reports that).
 */
export function sampleEnd(buf: Uint8Array, maxBytes: number): number {
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
