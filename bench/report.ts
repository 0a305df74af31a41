/** Benchmark result rows and the table they print as. */
import { formatMs, type Timing } from './stats';

/** One line of the results table. */
export interface Row {
  /** Case number and letter, e.g. "2b". */
  id: string;
  /** What was measured, in words. */
  name: string;
  /** Our median, formatted ("not measured" when it could not be). */
  ours: string;
  /** The baseline's median from the same run, formatted ("" when there is none). */
  baseline: string;
  /** Baseline time / our time (higher is better); null without a baseline. */
  ratio: number | null;
  /** The target, in words ("≥ 0.5x", "≤ 10 ms"). */
  target: string;
  /** Whether the target was met; null when not measured or informational. */
  met: boolean | null;
  /** Details printed under the table (memory, sizes, checks, reasons). */
  notes: string[];
  /** Raw timings, kept in the JSON output. */
  oursTiming?: Timing;
  baselineTiming?: Timing;
}

/** A row comparing our time with a baseline's time against a minimum speed ratio. */
export function ratioRow(
  id: string,
  name: string,
  ours: Timing,
  baseline: Timing,
  baselineName: string,
  minRatio: number,
  notes: string[] = [],
): Row {
  const ratio = baseline.median / ours.median;
  return {
    id,
    name,
    ours: formatMs(ours.median),
    baseline: `${formatMs(baseline.median)} ${baselineName}`,
    ratio,
    target: `≥ ${minRatio}x`,
    met: ratio >= minRatio,
    notes,
    oursTiming: ours,
    baselineTiming: baseline,
  };
}

/** A row checking our time against an absolute limit in ms (`strict`: under, not at most). */
export function limitRow(id: string, name: string, ours: Timing, limitMs: number, notes: string[] = [], strict = false): Row {
  return {
    id,
    name,
    ours: formatMs(ours.median),
    baseline: '',
    ratio: null,
    target: `${strict ? '<' : '≤'} ${formatMs(limitMs)}`,
    met: strict ? ours.median < limitMs : ours.median <= limitMs,
    notes,
    oursTiming: ours,
  };
}

/** A row with no target (context for another row). */
export function infoRow(id: string, name: string, ours: Timing, notes: string[] = [], baseline?: { timing: Timing; name: string }): Row {
  return {
    id,
    name,
    ours: formatMs(ours.median),
    baseline: baseline ? `${formatMs(baseline.timing.median)} ${baseline.name}` : '',
    ratio: baseline ? baseline.timing.median / ours.median : null,
    target: '(info)',
    met: null,
    notes,
    oursTiming: ours,
    ...(baseline ? { baselineTiming: baseline.timing } : {}),
  };
}

/** A row for a step that did not finish within `waitedMs` (so it missed its target of `limitMs`). */
export function timedOutRow(id: string, name: string, limitMs: number, waitedMs: number, notes: string[] = [], strict = false): Row {
  return {
    id,
    name,
    ours: `> ${formatMs(waitedMs)}`,
    baseline: '',
    ratio: null,
    target: `${strict ? '<' : '≤'} ${formatMs(limitMs)}`,
    met: false,
    notes,
  };
}

/** A row for a case that could not be measured, with the reason. */
export function notMeasuredRow(id: string, name: string, target: string, reason: string): Row {
  return { id, name, ours: 'not measured', baseline: '', ratio: null, target, met: null, notes: [reason] };
}

/** A row whose value is a measured quantity other than time (e.g. memory) against a limit. */
export function valueRow(id: string, name: string, value: string, target: string, met: boolean | null, notes: string[] = []): Row {
  return { id, name, ours: value, baseline: '', ratio: null, target, met, notes };
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** The rows as a plain-text table, then each row's notes. */
export function formatTable(rows: readonly Row[]): string {
  const head = ['case', 'what', 'ours (median)', 'baseline (median)', 'ratio', 'target', 'met'];
  const cells = rows.map((r) => [
    r.id,
    r.name,
    r.ours,
    r.baseline || '—',
    r.ratio === null ? '—' : `${r.ratio.toFixed(2)}x`,
    r.target,
    r.met === null ? (r.ours === 'not measured' ? 'n/a' : '—') : r.met ? 'yes' : 'NO',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((x, i) => pad(x, widths[i])).join(' | ');
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line), ''];
  for (const r of rows) for (const n of r.notes) out.push(`  [${r.id}] ${n}`);
  return out.join('\n');
}

/** The rows as a Markdown table (for the README's Performance section). */
export function formatMarkdown(rows: readonly Row[]): string {
  const out = ['| case | what | ours (median) | baseline (median) | ratio | target | met |', '|---|---|---|---|---|---|---|'];
  for (const r of rows) {
    const met = r.met === null ? (r.ours === 'not measured' ? 'n/a' : '—') : r.met ? 'yes' : 'no';
    out.push(
      `| ${r.id} | ${r.name} | ${r.ours} | ${r.baseline || '—'} | ${r.ratio === null ? '—' : r.ratio.toFixed(2) + 'x'} | ${r.target} | ${met} |`,
    );
  }
  return out.join('\n');
}

/** Multipliers of the units formatMs and formatBytes print, to compare quantities across processes. */
const UNIT: Record<string, number> = { µs: 1e-3, ms: 1, s: 1000, B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

/** The leading quantity of a formatted cell ("243 ms", "1.08 s", "90.5 MB (8.2 B/row)", "> 2.00 s"), in ms or bytes; NaN when there is none. */
export function leadingQuantity(cell: string): number {
  const m = /^[<>≤≥]?\s*(-?\d+(?:\.\d+)?)\s*(µs|ms|s|B|KB|MB|GB)?\b/.exec(cell.trim());
  if (!m) return NaN;
  return Number(m[1]) * (m[2] ? UNIT[m[2]] : 1);
}

/**
 * The rows of the same cases measured in several processes, one row per id: the row of the
 * process whose result is the median (by ratio where the row has one, else by our value), so a
 * row near its target is judged by its middle process, not by whichever process ran last.
 * With an even count the worse of the two middle ones is taken. Each process's result is noted.
 * Rows are in the order of the first process; an id some process did not print is kept as is.
 */
export function medianOfProcesses(processes: readonly (readonly Row[])[]): Row[] {
  if (processes.length <= 1) return [...(processes[0] ?? [])];
  const ids = [...new Set(processes.flat().map((r) => r.id))];
  return ids.map((id) => {
    const rows = processes.map((p) => p.find((r) => r.id === id)).filter((r): r is Row => r !== undefined);
    const byRatio = rows.some((r) => r.ratio !== null);
    // Worse first: the lowest ratio, or the largest value; rows that could not be measured last.
    const key = (r: Row) => (byRatio ? (r.ratio ?? NaN) : -leadingQuantity(r.ours));
    const sorted = rows.map((r) => ({ r, k: key(r) })).sort((a, b) => (Number.isNaN(a.k) ? 1 : Number.isNaN(b.k) ? -1 : a.k - b.k));
    const measured = sorted.filter((x) => !Number.isNaN(x.k));
    if (measured.length === 0) return rows[0];
    const chosen = measured[(measured.length - 1) >> 1].r;
    const each = rows.map((r) => (byRatio && r.ratio !== null ? `${r.ratio.toFixed(2)}x` : r.ours)).join(', ');
    // A process that could not measure (met null) did not meet the target either.
    const met = rows.filter((r) => r.met === true).length;
    const verdict = chosen.met === null ? '' : `; target met in ${met} of ${rows.length}`;
    return { ...chosen, notes: [`median of ${rows.length} processes (each: ${each})${verdict}`, ...chosen.notes] };
  });
}
