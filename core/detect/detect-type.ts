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
import type { Type } from 'protobufjs';
import { newStats, reasonsOf, scoreOf, type Limits, type Stats } from './detect-stats';
import { sampleEnd, walk } from './detect-walk';
import { compileTypePlan, type TypePlan } from './type-plan';

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

/** Default of RankTypesOptions.maxBytes. */
export const DETECT_MAX_BYTES = 256 * 1024;

/**
 * Ranks message types by how well they explain `bytes`, best first (see the module comment for the
 * score). Empty input ranks nothing: every type reads zero bytes as its empty message, so a
 * ranking would be ties broken by field count and name, not evidence.
 */
export function rankTypes(input: Uint8Array, types: readonly Type[], options: RankTypesOptions = {}): TypeRank[] {
  if (input.length === 0) return [];
  const lim: Limits = { maxDepth: options.maxDepth ?? 32, maxBad: options.maxBad ?? 8, maxSteps: options.maxSteps ?? 100_000 };
  const judged = sampleEnd(input, options.maxBytes ?? DETECT_MAX_BYTES);
  const bytes = judged < input.length ? input.subarray(0, judged) : input;
  const total = bytes.length;
  const rows: { plan: TypePlan; st: Stats; score: number }[] = [];
  for (const type of types) {
    const plan = compileTypePlan(type);
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
