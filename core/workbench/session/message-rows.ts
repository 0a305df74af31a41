/**
 * The tree rows of a message's current version: its view (the bytes, and spans that match
 * them), the visible rows for its expand state and a filter (a long walk runs as a task), one
 * row as the renderer shows it, and the row of a byte offset.
 */
import { scanAnomalies } from '../../document/encoding-scan';
import type { FieldNode } from '../../document/model';
import { nodeAtPath } from '../../document/tree';
import type { NodePath, TreeRow } from '../../api/contract';
import { undecodableText } from '../decode-error-text';
import type { ValidationResult, WorkbenchEngine } from '../engine';
import { childrenOf, entryPath, Flattener, pathKey, type FlatEntry, type FlatRows } from '../flat-rows';
import { filterText, toRow } from '../tree-row';
import type { MessageState, OpenDocument, ViewCache } from './document-state';
import type { Tasks } from './tasks';

/** Tree nodes walked between checks of the clock. */
const WALK_CHUNK = 20_000;

/** How often each field number occurs among siblings, and each sibling's place among its field's occurrences. */
interface Occurrences {
  index: Int32Array;
  count: Map<number, number>;
}

/** Sibling lists are immutable (an edit makes new ones), so their occurrences are computed once per list. */
const occurrences = new WeakMap<readonly FieldNode[], Occurrences>();

/** The place of siblings[i] among the occurrences of its field, and how many there are: O(1) after one pass per list. */
function occurrenceOf(siblings: readonly FieldNode[], i: number): { index: number; count: number } {
  let o = occurrences.get(siblings);
  if (!o) {
    o = { index: new Int32Array(siblings.length), count: new Map() };
    for (let k = 0; k < siblings.length; k++) {
      const n = siblings[k].fieldNumber;
      const c = o.count.get(n) ?? 0;
      o.index[k] = c;
      o.count.set(n, c + 1);
    }
    occurrences.set(siblings, o);
  }
  return { index: o.index[i], count: o.count.get(siblings[i].fieldNumber)! };
}

/** Field names from the root to an entry, dotted (what a filter matches paths against). */
function namePath(e: FlatEntry): string {
  const names: string[] = [];
  for (let x: FlatEntry | null = e; x; x = x.parent) if (!x.element) names.push(x.node.field?.name ?? String(x.node.fieldNumber));
  return names.reverse().join('.');
}

/** Whether the node at a path key shows its children. */
function isExpanded(m: MessageState, key: string): boolean {
  return m.expand.all !== m.expand.except.has(key);
}

/** Expands or collapses the node at a path key (the caller bumps the layout). */
export function setExpandedKey(m: MessageState, key: string, expanded: boolean): void {
  if (expanded === m.expand.all) m.expand.except.delete(key);
  else m.expand.except.add(key);
}

/** The path of the deepest node (or packed element) whose bytes hold `offset`, or null. */
export function rowAt(v: ViewCache, offset: number): NodePath | null {
  let best: NodePath | null = null;
  const walk = (fields: readonly FieldNode[], prefix: number[]) => {
    for (let i = 0; i < fields.length; i++) {
      const n = fields[i];
      const s = n.span;
      if (!s || offset < s.tagStart || offset >= s.end) continue;
      const path = [...prefix, i];
      best = path;
      const v2 = n.value;
      if (v2.kind === 'packed') {
        const j = v2.elements.findIndex((el) => el.span && offset >= el.span.tagStart && offset < el.span.end);
        if (j >= 0) best = [...path, j];
      } else {
        const ch = childrenOf(n);
        if (ch) walk(ch as readonly FieldNode[], path);
      }
      return;
    }
  };
  walk(v.view.fields, []);
  return best;
}

/** Views and rows of messages. */
export interface MessageRows {
  /** The view of a message's current version (cached until the version changes). */
  view(m: MessageState): ViewCache;
  /** Validation warnings, when the type has rules and the whole tree is decoded (a lazy tree is not read just for them). */
  warningsOf(v: ViewCache): ValidationResult | null;
  /** The row the renderer shows for an entry. */
  rowOf(m: MessageState, v: ViewCache, e: FlatEntry): TreeRow;
  /**
   * The visible rows of a message for its layout and a filter. A walk over many nodes (expand all
   * of a big message, any filter of one) runs as a task; it decodes lazy messages as it reads them.
   */
  flatOf(d: OpenDocument, m: MessageState, v: ViewCache, filter?: string): Promise<FlatRows>;
}

/** Creates the row builder. */
export function createMessageRows(engine: WorkbenchEngine, tasks: Tasks, maxNodes: number): MessageRows {
  function warningsOf(v: ViewCache): ValidationResult | null {
    if (!v.complete || !engine.hasRules(v.view.type)) return null;
    return (v.warnings ??= engine.validate(v.view));
  }

  /** The anomalies of a fully read view by node (a lazy view not read in full is not scanned). */
  function anomaliesOf(v: ViewCache): Map<FieldNode, string[]> | null {
    if (!v.complete) return null;
    if (!v.anomalies) {
      v.anomalies = new Map();
      for (const a of scanAnomalies(v.view, v.bytes, { undecodable: undecodableText(v.view) })) {
        const list = v.anomalies.get(a.node);
        if (list) list.push(a.message);
        else v.anomalies.set(a.node, [a.message]);
      }
    }
    return v.anomalies;
  }

  function rowOf(m: MessageState, v: ViewCache, e: FlatEntry): TreeRow {
    const path = entryPath(e);
    const key = m.expand.except.size || m.interpret.size ? pathKey(path) : '';
    const docNode = v.view === v.root ? e.node : nodeAtPath(v.root, path);
    let repeated: { index: number; count: number } | undefined;
    if (!e.element && e.node.field?.repeated) {
      const siblings = e.parent ? childrenOf(e.parent.node, e.parent.interpreted) : v.view.fields;
      if (siblings && e.parent?.node.value.kind !== 'packed') repeated = occurrenceOf(siblings as readonly FieldNode[], e.index);
    }
    let readings: TreeRow['readings'];
    if (e.node.value.kind === 'unknown' && !e.element) {
      readings = engine.readings(e.node).readings;
    }
    let warnings = e.element ? undefined : warningsOf(v)?.byNode.get(e.node);
    // A lazily decoded message that turned out malformed (its unread rest shows as raw bytes).
    const broken = !e.element && e.node.value.kind === 'message' ? e.node.value.error : undefined;
    if (broken) warnings = [...(warnings ?? []), `cannot decode: ${broken.message}`];
    const interpretedAs = key ? m.interpret.get(key) : undefined;
    const anomalies = e.element ? undefined : anomaliesOf(v)?.get(e.node);
    return toRow(e, {
      expanded: (key ? isExpanded(m, key) : m.expand.all) && childrenOf(e.node, e.interpreted) !== null,
      modified: !!docNode?.modified && !e.element,
      ...(repeated ? { repeated } : {}),
      ...(readings ? { readings } : {}),
      ...(interpretedAs ? { interpretedAs } : {}),
      ...(warnings ? { warnings } : {}),
      ...(anomalies ? { anomalies } : {}),
    });
  }

  return {
    view(m) {
      const root = m.doc.root;
      if (m.cache && m.cache.root === root) return m.cache;
      const bytes = m.doc.encode();
      // Unmodified: the document's own spans are right. Modified: decode the new bytes for spans.
      const view = root.modified ? engine.decodeView(bytes, root.type, { lazy: m.lazy, maxNodes }) : root;
      m.cache = { root, bytes, view, complete: !m.lazy };
      return m.cache;
    },
    warningsOf,
    rowOf,
    flatOf(d, m, v, filter) {
      const f = filter?.trim().toLowerCase() ?? '';
      const key = `${m.layout}\u0000${f}`;
      if (v.flat && v.flat.key === key) return v.flat.rows;
      const keyOf = (rows: FlatRows, row: number) => pathKey(rows.path(row));
      const walker = new Flattener(v.view, {
        isExpanded: (rows, row) => (m.expand.except.size ? isExpanded(m, keyOf(rows, row)) : m.expand.all),
        interpretedChildren: (rows, row) =>
          m.interpret.size && m.interpret.get(keyOf(rows, row)) === 'message' ? engine.readings(rows.node(row)).message : undefined,
        ...(f
          ? {
              filter: (rows: FlatRows, row: number) => {
                const e = rows.entry(row);
                return filterText(e, rowOf(m, v, e), namePath(e)).includes(f);
              },
            }
          : {}),
      });
      // Everything is read by a filter, and by a walk with every node expanded.
      const readsAll = f !== '' || (m.expand.all && m.expand.except.size === 0);
      const rows = (async () => {
        if (!walker.run(WALK_CHUNK)) {
          await tasks.run(d.id, f ? 'Filtering' : 'Expanding', async (step) => {
            do await step(walker.offset, v.bytes.length);
            while (!walker.run(WALK_CHUNK));
          });
        }
        if (readsAll) {
          v.complete = true;
          // Every node was walked once: that is the node count (saves a second walk of the whole tree).
          if (!f && !m.interpret.size) v.nodeCount ??= walker.visited;
        }
        return walker.rows;
      })();
      v.flat = { key, rows };
      // A cancelled or failed walk is not kept: the next request starts again.
      rows.catch(() => {
        if (v.flat?.rows === rows) v.flat = undefined;
      });
      return rows;
    },
  };
}
