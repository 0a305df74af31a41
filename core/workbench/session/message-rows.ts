/**
 * The tree rows of a message's current version: its view (the bytes, and spans that match
 * them), the visible rows for its expand state and a filter (a long walk runs as a task), one
 * row as the renderer shows it, and the row of a byte offset.
 */
import { fieldsTypeOf, nodeAnomalies, type TypeLike } from '../../document/encoding-scan';
import type { FieldNode } from '../../document/model';
import { rootLevelOf, rootNodeAt, type RootLevel } from '../../document/decode';
import { fieldAtOffset } from '../../document/root-level';
import { childrenOf as docChildrenOf, nodeAtPath } from '../../document/tree';
import type { NodePath, TreeRow } from '../../api/contract';
import { undecodableText } from '../decode-error-text';
import type { ValidationResult, WorkbenchEngine } from '../engine';
import { childrenOf, entryPath, Flattener, pathKey, type FlatEntry, type FlatRows } from '../flat-rows';
import { filterText, toRow } from '../tree-row';
import type { MessageState, OpenDocument, ViewCache } from './document-state';
import type { Tasks } from './tasks';

/** Tree nodes walked between checks of the clock. */
const WALK_CHUNK = 20_000;

/**
 * Per sibling: its place among the occurrences of its field number and how many there are (the
 * row's "n of m"), and what the encoding checks compare it with: its occurrence among the known
 * fields so far (1-based) and the highest known field number before it.
 */
interface Occurrences {
  index: Int32Array;
  count: Map<number, number>;
  known: Int32Array;
  lastKnown: Int32Array;
}

/** Sibling lists are immutable (an edit makes new ones), so their occurrences are computed once per list (a top level read from its bytes once per level). */
const occurrences = new WeakMap<readonly FieldNode[] | RootLevel, Occurrences>();

/** Occurrences of `n` siblings given by their field numbers and whether the schema knows them. */
function countOccurrences(n: number, numberAt: (k: number) => number, knownAt: (k: number) => boolean): Occurrences {
  const o: Occurrences = { index: new Int32Array(n), count: new Map(), known: new Int32Array(n), lastKnown: new Int32Array(n) };
  const known = new Map<number, number>();
  let last = 0;
  for (let k = 0; k < n; k++) {
    const num = numberAt(k);
    const c = o.count.get(num) ?? 0;
    o.index[k] = c;
    o.count.set(num, c + 1);
    o.lastKnown[k] = last;
    if (knownAt(k)) {
      const kc = (known.get(num) ?? 0) + 1;
      known.set(num, kc);
      o.known[k] = kc;
      last = Math.max(last, num);
    }
  }
  return o;
}

/** The occurrences of a sibling list, or of a top level read from its bytes: one pass, then O(1) per row. */
function occurrencesOf(siblings: readonly FieldNode[] | RootLevel): Occurrences {
  let o = occurrences.get(siblings);
  if (!o) {
    if (isLevel(siblings)) {
      const l = siblings;
      o = countOccurrences(
        l.count,
        (k) => l.numberAt(k),
        (k) => l.knownAt(k),
      );
    } else {
      o = countOccurrences(
        siblings.length,
        (k) => siblings[k].fieldNumber,
        (k) => siblings[k].field !== null,
      );
    }
    occurrences.set(siblings, o);
  }
  return o;
}

function isLevel(x: readonly FieldNode[] | RootLevel): x is RootLevel {
  return !Array.isArray(x);
}

/** The siblings of an entry: its parent's children, or the message's top level (read from its bytes when it can be). */
function siblingsOf(v: ViewCache, e: FlatEntry, interpreted: boolean): readonly FieldNode[] | RootLevel | null {
  if (e.parent)
    return (interpreted ? childrenOf(e.parent.node, e.parent.interpreted) : docChildrenOf(e.parent.node)) as readonly FieldNode[] | null;
  return rootLevelOf(v.view) ?? v.view.fields;
}

/** The place of sibling i among the occurrences of its field, and how many there are. */
function occurrenceOf(siblings: readonly FieldNode[] | RootLevel, i: number, fieldNumber: number): { index: number; count: number } {
  const o = occurrencesOf(siblings);
  return { index: o.index[i], count: o.count.get(fieldNumber)! };
}

/** The encoding anomalies of an entry's node, in words (checked for the rows shown only: no walk of the whole tree). */
function anomaliesOfEntry(v: ViewCache, e: FlatEntry): string[] | undefined {
  if (e.parent?.interpreted) return undefined; // an interpretation's fields are not the message's encoding
  const siblings = siblingsOf(v, e, false)!;
  const o = occurrencesOf(siblings);
  const found: string[] = [];
  nodeAnomalies(
    e.node,
    { occurrence: o.known[e.index], lastKnown: o.lastKnown[e.index] },
    e.parent ? fieldsTypeOf(e.parent.node) : (v.view.type as TypeLike | null),
    v.bytes,
    { undecodable: undecodableText(v.view) },
    (_kind, _offset, message) => found.push(message),
  );
  return found.length ? found : undefined;
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
  const holds = (n: FieldNode) => !!n.span && offset >= n.span.tagStart && offset < n.span.end;
  // The node at `path` holds the offset: it is the best so far; look among its children (or elements).
  const visit = (n: FieldNode, path: number[]) => {
    best = path;
    const v2 = n.value;
    if (v2.kind === 'packed') {
      const j = v2.elements.findIndex((el) => el.span && offset >= el.span.tagStart && offset < el.span.end);
      if (j >= 0) best = [...path, j];
      return;
    }
    const ch = childrenOf(n);
    if (ch) walk(ch as readonly FieldNode[], path);
  };
  const walk = (fields: readonly FieldNode[], prefix: number[]) => {
    const i = fields.findIndex(holds);
    if (i >= 0) visit(fields[i], [...prefix, i]);
  };
  const level = rootLevelOf(v.view);
  if (level) {
    // A top level read from its bytes: the field holding the offset found by its start, only its node built.
    const i = fieldAtOffset(level, offset);
    const n = i >= 0 ? rootNodeAt(v.view, level, i) : null;
    if (n && holds(n)) visit(n, [i]);
  } else {
    walk(v.view.fields, []);
  }
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

  /** Validation warnings by node id (a row's node may be built apart from the nodes validation read). */
  function warningsById(v: ViewCache): Map<number, string[]> | null {
    const w = warningsOf(v);
    if (!w) return null;
    if (!v.warningsById) {
      v.warningsById = new Map();
      for (const [node, list] of w.byNode) v.warningsById.set(node.id, list);
    }
    return v.warningsById;
  }

  function rowOf(m: MessageState, v: ViewCache, e: FlatEntry): TreeRow {
    const path = entryPath(e);
    const key = m.expand.except.size || m.interpret.size ? pathKey(path) : '';
    const docNode = v.view === v.root ? e.node : nodeAtPath(v.root, path);
    let repeated: { index: number; count: number } | undefined;
    if (!e.element && e.node.field?.repeated) {
      const siblings = siblingsOf(v, e, true);
      if (siblings && e.parent?.node.value.kind !== 'packed') repeated = occurrenceOf(siblings, e.index, e.node.fieldNumber);
    }
    let readings: TreeRow['readings'];
    if (e.node.value.kind === 'unknown' && !e.element) {
      readings = engine.readings(e.node).readings;
    }
    let warnings = e.element ? undefined : warningsById(v)?.get(e.node.id);
    // A lazily decoded message that turned out malformed (its unread rest shows as raw bytes).
    const broken = !e.element && e.node.value.kind === 'message' ? e.node.value.error : undefined;
    if (broken) warnings = [...(warnings ?? []), `cannot decode: ${broken.message}`];
    const interpretedAs = key ? m.interpret.get(key) : undefined;
    const anomalies = e.element ? undefined : anomaliesOfEntry(v, e);
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
        expandsAll: !f && m.expand.all && m.expand.except.size === 0 && m.interpret.size === 0,
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
