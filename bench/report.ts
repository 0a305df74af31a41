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
