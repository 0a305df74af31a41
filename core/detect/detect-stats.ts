/** What a detection walk counts for one type, and the score and reasons made of it (formula in detect-type.ts). */
import type { TypePlan } from './type-plan';

/** The weight of content that a string or bytes field holds but a message would explain better. */
export const OPAQUE_WEIGHT = 0.25;

/** The counts of one walk (see the module comment of detect-type.ts). */
export interface Stats {
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

/** Counts at zero. */
export function newStats(): Stats {
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

/** Bounds on one walk (see RankTypesOptions). */
export interface Limits {
  maxDepth: number;
  maxBad: number;
  maxSteps: number;
}

/** The 0..1 score of a walk's counts (the formula is in the module comment of detect-type.ts). */
export function scoreOf(st: Stats, total: number, slots: number): number {
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

/** The counts of a walk in words, for TypeRank.reasons. */
export function reasonsOf(st: Stats, total: number, plan: TypePlan, lim: Limits): string[] {
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
