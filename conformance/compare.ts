/**
 * What the conformance runners share: the comparison categories and their results, and the
 * helpers that compare two outcomes (bytes as hex, JSON values whatever their key order, a
 * refusal caught as an Error value).
 */

/** The comparisons, in the order they run; "deep recursion" runs all five on deep chains. */
export const CATEGORIES = ['text out', 'text in', 'JSON out', 'JSON in', 'JSON read back', 'deep recursion'] as const;

/** One of CATEGORIES. */
export type Category = (typeof CATEGORIES)[number];

/** One comparison's outcome over every message. */
export interface CategoryResult {
  category: Category;
  passed: number;
  /** Messages the comparison does not apply to, counted in `skips` by reason. */
  skipped: number;
  /** Skipped messages per reason. */
  skips: Record<string, number>;
  /** The first differences (at most 5 kept), each with the message's bytes as hex to reproduce it. */
  differences: string[];
  /** How many messages differed. */
  failed: number;
}

/** Empty results for every category. */
export function emptyResults(): Map<Category, CategoryResult> {
  return new Map(CATEGORIES.map((c) => [c, { category: c, passed: 0, skipped: 0, skips: {}, failed: 0, differences: [] as string[] }]));
}

/** Counts a skipped message under its reason. */
export function skip(result: CategoryResult, reason: string): void {
  result.skipped++;
  result.skips[reason] = (result.skips[reason] ?? 0) + 1;
}

/** Counts a comparison: passed, or failed with its detail kept (the first 5). */
export function record(result: CategoryResult, same: boolean, detail: () => string): void {
  if (same) result.passed++;
  else {
    result.failed++;
    if (result.differences.length < 5) result.differences.push(detail());
  }
}

/** The sums of several runs' results, category by category. */
export function sumResults(runs: readonly CategoryResult[][]): CategoryResult[] {
  const total = emptyResults();
  for (const run of runs)
    for (const r of run) {
      const t = total.get(r.category)!;
      t.passed += r.passed;
      t.failed += r.failed;
      t.skipped += r.skipped;
      for (const [reason, n] of Object.entries(r.skips)) t.skips[reason] = (t.skips[reason] ?? 0) + n;
      t.differences.push(...r.differences.slice(0, 5 - t.differences.length));
    }
  return [...total.values()];
}

/** `f()`, or the Error it threw. */
export function guard<T>(f: () => T): T | Error {
  try {
    return f();
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

/** Bytes as lowercase hex. */
export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** An outcome for a difference report: the refusal's message, or the value formatted. */
export function show(v: unknown, format: (x: unknown) => string = (x) => JSON.stringify(x)): string {
  return v instanceof Error ? `refused: ${v.message}` : format(v);
}

/** A JSON value as text with sorted keys and -0 kept, for comparing values whatever their key order. */
export function canonical(v: unknown): string {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/**
 * JSON values equal, -0 apart from 0; a number equal to another when both are the same 32-bit
 * float (a float field: we print the float's shortest decimal, protobuf-es the widened double).
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Object.is(a, b)) return true;
    return Math.fround(b) === b && Math.fround(a) === b && Object.is(Math.sign(a), Math.sign(b));
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return (
      ka.join('\0') === kb.join('\0') && ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return a === b;
}

/** Text with every line indented two spaces (blank lines dropped): an item's body in a batch. */
export const indent = (text: string): string =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => `  ${l}\n`)
    .join('');

/** Whether protoc's text of a message holds unknown fields (lines named by number). */
export const hasUnknownFields = (text: string): boolean => /^\s*\d+(: | \{)/m.test(text);

/**
 * protoc's text without its unknown fields: every `N: value` line and `N {` ... `}` block gone,
 * at any depth. Text format has no input form for unknown fields, so the text input comparison
 * reads this text on both sides.
 */
export function withoutUnknownFields(text: string): string {
  const out: string[] = [];
  let closing: string | null = null; // the line that ends the unknown block being dropped
  for (const line of text.split('\n')) {
    if (closing !== null) {
      if (line === closing) closing = null;
      continue;
    }
    const m = /^(\s*)\d+(: | \{$)/.exec(line);
    if (!m) out.push(line);
    else if (m[2] === ' {') closing = `${m[1]}}`;
  }
  return out.join('\n');
}
