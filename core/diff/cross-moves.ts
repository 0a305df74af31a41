/**
 * Moves across the tree: a value removed in one place and added, byte for byte, in another
 * (a track that went from one participant to another) is one move, not a removal and an
 * addition. Only length-delimited values (messages, strings, bytes, groups) of at least two
 * bytes count, so a small number that happens to recur elsewhere is not taken for a move.
 */
import type { DiffNode, DiffSide } from './diff-model';
import { bytesEqual, hashBytes } from './wire-fields';

const MOVABLE_SCALARS = new Set(['string', 'bytes', 'len', 'group']);

function movable(n: DiffNode, s: DiffSide | undefined): s is DiffSide {
  if (!s || n.children || s.span.start === s.span.valueStart) return false;
  if (s.span.end - s.span.valueStart < 2) return false;
  return n.type !== undefined && (MOVABLE_SCALARS.has(n.type) || /^[A-Za-z_][\w]*(\.[A-Za-z_]\w*)+$/.test(n.type));
}

function walk(nodes: readonly DiffNode[], visit: (n: DiffNode) => void): void {
  for (const n of nodes) {
    visit(n);
    if (n.children) walk(n.children, visit);
  }
}

/** Turns removed/added pairs holding the same bytes into moves (in place): the removed node gets `to`, the added one `from`. */
export function crossMoves(nodes: readonly DiffNode[], a: Uint8Array, b: Uint8Array): void {
  const removed: DiffNode[] = [];
  const added = new Map<number, DiffNode[]>();
  walk(nodes, (n) => {
    if (n.kind === 'removed' && movable(n, n.a)) removed.push(n);
    else if (n.kind === 'added' && movable(n, n.b)) {
      const h = hashBytes(b, n.b.span.valueStart, n.b.span.end);
      const list = added.get(h);
      if (list) list.push(n);
      else added.set(h, [n]);
    }
  });
  for (const r of removed) {
    const ra = r.a!.span;
    const list = added.get(hashBytes(a, ra.valueStart, ra.end));
    if (!list) continue;
    const k = list.findIndex((c) => c.type === r.type && bytesEqual(a, ra.valueStart, ra.end, b, c.b!.span.valueStart, c.b!.span.end));
    if (k < 0) continue;
    const c = list.splice(k, 1)[0];
    r.kind = 'moved';
    r.to = c.path;
    c.kind = 'moved';
    c.from = r.path;
  }
}
