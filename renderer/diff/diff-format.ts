/**
 * The diff view's decisions as plain functions: how a row reads (marker, name, the values on
 * each side, its labels), which rows a click on a byte selects, the pages a window needs, and
 * the requests "Compare with…" and "Compare with saved" send.
 */
import type { DiffRow, DiffRowKind, DiffSource } from '../../core/api/diff-contract';

/** The marker of a kind, as `protodesk diff` prints it. */
export const KIND_MARK: Readonly<Record<DiffRowKind, string>> = { added: '+', removed: '−', changed: '~', moved: '↷', encoding: '≈' };

/** A kind in words, for the row's label and tooltip. */
export const KIND_TEXT: Readonly<Record<DiffRowKind, string>> = {
  added: 'added',
  removed: 'removed',
  changed: 'changed',
  moved: 'moved',
  encoding: 'encoding only',
};

/** The last part of a path ("tracks[2]" of "participant.tracks[2]"); "(message)" for the message itself. */
export function rowName(path: string): string {
  if (!path) return '(message)';
  // The last segment after a dot that is not inside brackets (map keys may hold dots).
  let depth = 0;
  for (let i = path.length - 1; i >= 0; i--) {
    const c = path[i];
    if (c === ']') depth++;
    else if (c === '[') depth--;
    else if (c === '.' && depth === 0) return path.slice(i + 1);
  }
  return path;
}

/** What a side of a row shows: its value, or a dash where the value is absent on that side. */
export function sideText(row: DiffRow, side: 'a' | 'b'): string {
  return row[side]?.text ?? '—';
}

/** Small notes after the name: unknown field, its type, where a moved value came from or went. */
export function rowNotes(row: DiffRow): string[] {
  const out: string[] = [];
  if (row.unknown) out.push(`unknown field ${row.fieldNumber}${row.type ? ` (${row.type})` : ''}`);
  if (row.kind === 'moved' && row.from && row.to && row.from !== row.to) out.push(`moved from ${row.from}`);
  else if (row.kind === 'moved' && row.to && !row.from) out.push(`moved to ${row.to}`);
  else if (row.kind === 'moved' && row.from && !row.to) out.push(`moved from ${row.from}`);
  return out;
}

/** A row's tooltip: its path, kind and every encoding difference in full. */
export function rowTitle(row: DiffRow): string {
  return [`${row.path || '(message)'}: ${KIND_TEXT[row.kind]}`, ...rowNotes(row), ...(row.encoding ?? [])].join('\n');
}

/**
 * The row to select for a click on byte `offset` of one side: among the rows loaded, the deepest
 * whose span on that side holds it (the innermost difference there); null when none does.
 */
export function rowAtByte(rows: Iterable<DiffRow>, side: 'a' | 'b', offset: number): DiffRow | null {
  let best: DiffRow | null = null;
  for (const r of rows) {
    const s = r[side]?.span;
    if (!s || offset < s.start || offset >= s.end) continue;
    if (!best || r.depth > best.depth || (r.depth === best.depth && s.end - s.start < best[side]!.span.end - best[side]!.span.start)) {
      best = r;
    }
  }
  return best;
}

/** The starts of the pages (of `size` rows) that rows [first, last] fall in (none when last < first). */
export function pagesFor(first: number, last: number, size: number): number[] {
  const out: number[] = [];
  if (last < first) return out;
  for (let p = Math.floor(Math.max(0, first) / size) * size; p <= last; p += size) out.push(p);
  return out;
}

/** What to compare: the two sides, A the older one (the saved version, or the active message). */
export interface CompareRequest {
  a: DiffSource;
  b: DiffSource;
}

/** "Compare with saved": the saved version (A) against the message as it is now (B). */
export function savedRequest(docId: string, message: number): CompareRequest {
  return { a: { docId, message, saved: true }, b: { docId, message } };
}

/** "Compare with…": the active message (A) against the message picked (B). */
export function otherRequest(active: { docId: string; message: number }, picked: { docId: string; message: number }): CompareRequest {
  return { a: { docId: active.docId, message: active.message }, b: { docId: picked.docId, message: picked.message } };
}

/** The same comparison the other way round. */
export function swapped(r: CompareRequest): CompareRequest {
  return { a: r.b, b: r.a };
}

/** Collapses or expands a row: a new set. */
export function toggled(set: ReadonlySet<number>, id: number): Set<number> {
  const next = new Set(set);
  if (!next.delete(id)) next.add(id);
  return next;
}
