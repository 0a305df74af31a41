/**
 * A message diff as text: one line per difference, indented as the tree, with a marker per
 * kind (+ added, - removed, ~ changed, > moved, * encoding only) and a summary line.
 */
import type { DiffKind, DiffNode, MessageDiff } from './diff-model';

const MARK: Record<DiffKind, string> = { added: '+', removed: '-', changed: '~', moved: '>', encoding: '*' };

function describe(n: DiffNode): string {
  const unknown = n.unknown ? ` [unknown field ${n.fieldNumber}${n.type ? `, ${n.type}` : ''}]` : '';
  const typed = !n.unknown && n.children && n.type ? ` (${n.type})` : '';
  const enc = n.encoding?.length ? ` (encoding: ${n.encoding.join('; ')})` : '';
  let body: string;
  switch (n.kind) {
    case 'added':
      body = `: ${n.b?.text ?? ''}`;
      break;
    case 'removed':
      body = `: ${n.a?.text ?? ''}`;
      break;
    case 'moved':
      body =
        n.from && n.to
          ? `: moved from ${n.from}: ${n.b?.text ?? ''}`
          : n.to
            ? `: moved to ${n.to}: ${n.a?.text ?? ''}`
            : `: moved from ${n.from}: ${n.b?.text ?? ''}`;
      break;
    case 'changed':
      body = n.children ? '' : `: ${n.a?.text ?? ''} -> ${n.b?.text ?? ''}`;
      break;
    default:
      body = n.children || !n.a ? '' : `: ${n.a.text}${n.b && n.b.text !== n.a.text ? ` / ${n.b.text}` : ''}`;
  }
  return `${MARK[n.kind]} ${n.path}${typed}${body}${unknown}${enc}`;
}

/** A one-line summary: "identical", "no value differences (2 encoding only)" or counts by kind. */
export function diffSummary(d: MessageDiff): string {
  if (d.identical) return 'identical';
  const c = d.counts;
  const parts = [
    c.changed && `${c.changed} changed`,
    c.added && `${c.added} added`,
    c.removed && `${c.removed} removed`,
    c.moved && `${c.moved} moved`,
    c.encoding && `${c.encoding} encoding only`,
  ].filter(Boolean);
  const head = d.sameValues ? `no value differences${parts.length ? ` (${parts.join(', ')})` : ''}` : parts.join(', ');
  return d.truncated ? `${head}; stopped at the node limit, more differences may follow` : head;
}

/** The diff as indented text lines (no trailing newline); `ignoreEncoding` leaves encoding-only nodes out. */
export function diffToText(d: MessageDiff, options: { ignoreEncoding?: boolean } = {}): string {
  const lines: string[] = [];
  const visit = (nodes: readonly DiffNode[], indent: string) => {
    for (const n of nodes) {
      if (options.ignoreEncoding && n.kind === 'encoding') continue;
      lines.push(indent + describe(options.ignoreEncoding ? { ...n, encoding: undefined } : n));
      if (n.children) visit(n.children, indent + '  ');
    }
  };
  visit(d.nodes, '');
  lines.push(diffSummary(d));
  return lines.join('\n');
}

/** The diff without encoding-only nodes (and without encoding notes), for callers that compare values only. */
export function withoutEncoding(d: MessageDiff): MessageDiff {
  const strip = (nodes: readonly DiffNode[]): DiffNode[] =>
    nodes
      .filter((n) => n.kind !== 'encoding')
      .map((n) => {
        const { encoding: _encoding, children, ...rest } = n;
        return children ? { ...rest, children: strip(children) } : rest;
      });
  return { ...d, nodes: strip(d.nodes), counts: { ...d.counts, encoding: 0 } };
}
