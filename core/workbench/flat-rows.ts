/**
 * The visible tree of a decoded message as flat rows: only what is shown (expanded nodes'
 * children), walked a budget of nodes at a time, kept column by column. Nothing here walks
 * collapsed subtrees unless a filter is active.
 */
import { rootLevelOf, rootNodeAt, type RootLevel } from '../document/decode';
import { walkableOf } from '../document/materialize';
import { mayHaveChildren } from '../document/root-level';
import type { FieldNode, MessageRoot, PackedElement } from '../document/model';
import { NodeKind, NodeWalk } from '../document/node-walk';
import type { NodePath } from '../api/contract';
import { grownTo } from '../wire/typed-array';

/** One visible entry: a field node, or an element of a packed run. */
export interface FlatEntry {
  /** The entry of the parent node (null at the top level): paths are built only for the rows shown. */
  parent: FlatEntry | null;
  /** Index among the parent's children (fields, or elements of a packed run). */
  index: number;
  depth: number;
  node: FieldNode;
  /** For elements of a packed run: the element and its index. */
  element?: { value: PackedElement; index: number };
  /** Children from "interpret as message" on an unknown LEN field. */
  interpreted?: readonly FieldNode[];
}

/** The path of an entry from the message root. */
export function entryPath(entry: FlatEntry): number[] {
  const path: number[] = [];
  for (let e: FlatEntry | null = entry; e; e = e.parent) path.push(e.index);
  return path.reverse();
}

/** Whether an entry sits at a path (without building the entry's path). */
export function entryIsAt(entry: FlatEntry, path: NodePath): boolean {
  let e: FlatEntry | null = entry;
  for (let i = path.length - 1; i >= 0; i--, e = e.parent) if (!e || e.index !== path[i]) return false;
  return e === null;
}

/** Children of a node as the tree shows them (fields, elements, or an interpretation's fields). */
export function childrenOf(node: FieldNode, interpreted?: readonly FieldNode[]): readonly FieldNode[] | readonly PackedElement[] | null {
  const v = node.value;
  if (v.kind === 'message') return v.fields;
  if (v.kind === 'packed') return v.elements;
  if (v.kind === 'scalar' && v.embedded) return v.embedded.fields;
  if (v.kind === 'unknown' && Array.isArray(v.raw)) return v.raw as readonly FieldNode[];
  if (interpreted) return interpreted;
  return null;
}

/** Key of a path in sets and maps. */
export function pathKey(path: NodePath): string {
  return path.join('.');
}

/** What a Flattener asks about each row it walks (given as the rows so far and the row's number). */
export interface FlattenOptions {
  /** Whether the row's node shows its children (ignored with a filter: then everything is walked). */
  isExpanded: (rows: FlatRows, row: number) => boolean;
  /** Fields an "interpret as message" choice gives an unknown field (asked for unknown fields only). */
  interpretedChildren: (rows: FlatRows, row: number) => readonly FieldNode[] | undefined;
  /** Keeps matching rows and their ancestors. */
  filter?: (rows: FlatRows, row: number) => boolean;
  /**
   * Every node shows its children and none is interpreted (Expand all, nothing collapsed since):
   * decoded subtrees are then read from their bytes (node-walk.ts) without an object per row.
   */
  expandsAll?: boolean;
}

/** A column with twice the room (at least 1024 rows). */
function grow(a: Int32Array): Int32Array {
  return grownTo(a, Math.max(1024, a.length * 2));
}

/** In FlatRows.refs: a row whose node is found through its parent (built when asked for). */
const THROUGH_PARENT = -1;

/**
 * The rows of a walk, column by column: per row its parent row and its index among the parent's
 * children (stored as ~index for an element of a packed run), and for rows walked as objects a
 * reference to the node. Rows walked from the bytes (Flattener's columnar walk) hold no object:
 * `node(row)` builds it when asked for, through the parent's children, and the column of
 * references exists only once a row holds an object. So a fully expanded message of millions of
 * nodes is 8 bytes a row (a top level read from its bytes adds 5 bytes a field, root-level.ts),
 * and objects exist only for the rows shown.
 */
export class FlatRows {
  length = 0;
  /** The nodes of rows walked as objects; refs points into it. */
  private objects: FieldNode[] = [];
  /** Per row: its node in `objects`, or THROUGH_PARENT; null while no row holds an object. */
  private refs: Int32Array | null = null;
  private parents: Int32Array = new Int32Array(1024);
  /** Per row: its index among the parent's children, or ~index for an element of a packed run. */
  private indices: Int32Array = new Int32Array(1024);
  /** Children given by "interpret as message", by row (rare). */
  private readonly interpreted = new Map<number, readonly FieldNode[]>();

  /** `rootChild(i)`: top-level field i, for rows of a top level read from its bytes. */
  constructor(private readonly rootChild: ((index: number) => FieldNode) | null = null) {}

  /** Appends a row; returns its number. */
  push(node: FieldNode, parent: number, index: number, element: boolean): number {
    const row = this.add(parent, index, element);
    let refs = this.refs;
    if (refs === null) {
      // The first row with an object: the rows before it are all found through their parents.
      refs = this.refs = new Int32Array(this.parents.length);
      refs.fill(THROUGH_PARENT, 0, row);
    }
    refs[row] = this.objects.length;
    this.objects.push(node);
    return row;
  }

  /** Appends a row whose node is its parent's child `index` (or, for an element, the parent's packed run), built when asked for. */
  pushThroughParent(parent: number, index: number, element: boolean): number {
    const row = this.add(parent, index, element);
    if (this.refs !== null) this.refs[row] = THROUGH_PARENT;
    return row;
  }

  private add(parent: number, index: number, element: boolean): number {
    if (index < 0) throw new RangeError(`a row's index must be 0 or more, not ${index}`);
    const row = this.length++;
    if (row === this.parents.length) {
      this.parents = grow(this.parents);
      this.indices = grow(this.indices);
      if (this.refs !== null) this.refs = grow(this.refs);
    }
    this.parents[row] = parent;
    this.indices[row] = element ? ~index : index;
    if (this.interpreted.size) this.interpreted.delete(row);
    return row;
  }

  /** Gives a row the children an "interpret as message" choice gives it. */
  setInterpreted(row: number, children: readonly FieldNode[]): void {
    this.interpreted.set(row, children);
  }

  /** Drops the rows from `length` on. */
  truncate(length: number): void {
    this.length = length;
    const refs = this.refs;
    if (refs === null) return;
    // Object refs grow with the rows: keep those of the rows left.
    let r = length - 1;
    while (r >= 0 && refs[r] < 0) r--;
    this.objects.length = r >= 0 ? refs[r] + 1 : 0;
    if (r < 0) this.refs = null; // no row left holds an object
  }

  /** The row's index among its parent's children (for an element: among the packed run's elements). */
  index(row: number): number {
    const i = this.indices[row];
    return i < 0 ? ~i : i;
  }

  /** Whether the row is an element of a packed run. */
  isElement(row: number): boolean {
    return this.indices[row] < 0;
  }

  /** The row's index in `objects`, or THROUGH_PARENT. */
  private ref(row: number): number {
    return this.refs === null ? THROUGH_PARENT : this.refs[row];
  }

  /** The row's node (for a packed element: the packed field's node). */
  node(row: number): FieldNode {
    const ref = this.ref(row);
    if (ref >= 0) return this.objects[ref];
    const i = this.indices[row];
    const p = this.parents[row];
    if (p < 0) return this.rootChild!(i);
    const parent = this.node(p);
    if (i < 0) return parent;
    return (childrenOf(parent, this.interpreted.get(p)) as readonly FieldNode[])[i];
  }

  /** The row's path from the message root. */
  path(row: number): number[] {
    const path: number[] = [];
    for (let r = row; r >= 0; r = this.parents[r]) path.push(this.index(r));
    return path.reverse();
  }

  /** The entry of a row, with its ancestors' entries. */
  entry(row: number): FlatEntry {
    if (row < 0 || row >= this.length) throw new RangeError(`row ${row} is out of range (0..${this.length - 1})`);
    const chain: number[] = [];
    for (let r = row; r >= 0; r = this.parents[r]) chain.push(r);
    let parent: FlatEntry | null = null;
    for (let k = chain.length - 1; k >= 0; k--) {
      const r = chain[k];
      const element = this.isElement(r);
      const index = this.index(r);
      const ref = this.ref(r);
      const node: FieldNode =
        ref >= 0 ? this.objects[ref] : parent === null ? this.rootChild!(index) : element ? parent.node : childOf(parent, index);
      const e: FlatEntry = { parent, index, depth: chain.length - 1 - k, node };
      if (element && node.value.kind === 'packed') e.element = { value: node.value.elements[index], index };
      const interp = this.interpreted.get(r);
      if (interp) e.interpreted = interp;
      parent = e;
    }
    return parent!;
  }

  /** The row at a path, or -1 (a scan: for one lookup, not per row). */
  find(path: NodePath): number {
    const last = path.length - 1;
    if (last < 0) return -1;
    for (let row = 0; row < this.length; row++) {
      if (this.index(row) !== path[last]) continue;
      let r = row;
      let k = last;
      while (k >= 0 && r >= 0 && this.index(r) === path[k]) {
        r = this.parents[r];
        k--;
      }
      if (k < 0 && r < 0) return row;
    }
    return -1;
  }

  /** Frees the columns' room for more rows once a walk is over: each column holds its rows exactly. */
  trim(): void {
    if (this.parents.length === this.length) return;
    this.parents = this.parents.slice(0, this.length);
    this.indices = this.indices.slice(0, this.length);
    if (this.refs !== null) this.refs = this.refs.slice(0, this.length);
  }

  /** Bytes the columns hold (for the bench's memory rows). */
  get columnBytes(): number {
    return this.parents.byteLength + this.indices.byteLength + (this.refs?.byteLength ?? 0);
  }
}

/** Child `index` of an entry's node, as the tree shows it. */
function childOf(parent: FlatEntry, index: number): FieldNode {
  return (childrenOf(parent.node, parent.interpreted) as readonly FieldNode[])[index];
}

/** A level of the walk: the fields left to visit, and the row that holds them. */
interface Frame {
  fields: readonly FieldNode[];
  next: number;
  /** The owner's row (-1: the message root), whether the owner matched, whether a descendant was kept. */
  owner: number;
  self: boolean;
  kept: boolean;
  /** For a subtree read from its bytes (every node expanded): the cursor, and the row last met at each depth. */
  walk?: NodeWalk;
  levels?: number[];
  /** For the top level read from its bytes (rootLevelOf): its columns. */
  level?: RootLevel;
}

/**
 * Walks the visible tree in order, a budget of nodes at a time (so a host can yield between
 * chunks and report progress): `run(n)` until it returns true, then `rows` holds the rows.
 * Reading a lazily decoded message's children decodes them, so a walk of an expanded tree
 * decodes as it goes; `visited` counts the nodes walked (packed elements included).
 */
export class Flattener {
  readonly rows: FlatRows;
  visited = 0;
  /** The byte offset the walk has reached in the message (for progress). */
  offset = 0;
  private readonly stack: Frame[];

  constructor(
    root: MessageRoot,
    private readonly options: FlattenOptions,
  ) {
    // A filter reads every node anyway; otherwise a decoded top level is read from its bytes.
    const level = options.filter ? null : rootLevelOf(root);
    if (level) {
      this.rows = new FlatRows((i) => rootNodeAt(root, level, i));
      this.stack = [{ fields: [], next: 0, owner: -1, self: true, kept: false, level }];
    } else {
      this.rows = new FlatRows();
      this.stack = [{ fields: root.fields, next: 0, owner: -1, self: true, kept: false }];
    }
  }

  /** Walks up to `budget` more nodes; true when the walk is done. */
  run(budget: number): boolean {
    const { isExpanded, interpretedChildren, filter } = this.options;
    const rows = this.rows;
    const stack = this.stack;
    const stop = this.visited + budget;
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (top.walk) {
        if (this.visited >= stop) return false;
        if (!this.step(top)) {
          stack.pop();
          this.leave(top.owner, top.self, top.kept);
        }
        continue;
      }
      if (top.level) {
        // The top level read from its bytes: a row per field, a node built only for a field shown expanded.
        const level = top.level;
        if (top.next >= level.count) {
          stack.pop();
          continue;
        }
        if (this.visited >= stop) return false;
        this.visited++;
        const index = top.next++;
        this.offset = level.starts[index];
        const row = rows.pushThroughParent(-1, index, false);
        const kind = level.kindAt(index);
        const interp = kind === NodeKind.UNKNOWN ? interpretedChildren(rows, row) : undefined;
        if (interp) rows.setInterpreted(row, interp);
        if ((interp || mayHaveChildren(kind)) && isExpanded(rows, row)) this.open(rows.node(row), row, interp, true, true);
        continue;
      }
      if (top.next >= top.fields.length) {
        stack.pop();
        this.leave(top.owner, top.self, top.kept);
        continue;
      }
      if (this.visited >= stop) return false;
      this.visited++;
      const index = top.next++;
      const node = top.fields[index];
      if (node.span) this.offset = node.span.tagStart;
      const row = rows.push(node, top.owner, index, false);
      const interp = node.value.kind === 'unknown' ? interpretedChildren(rows, row) : undefined;
      if (interp) rows.setInterpreted(row, interp);
      const self = filter ? filter(rows, row) : true;
      this.open(node, row, interp, self, filter !== undefined || !!this.options.expandsAll || isExpanded(rows, row));
    }
    rows.trim();
    return true;
  }

  /** Goes on below a row just added: its children when `expanded` (read from the bytes when it can), else leaves it. */
  private open(node: FieldNode, row: number, interp: readonly FieldNode[] | undefined, self: boolean, expanded: boolean): void {
    const { filter } = this.options;
    const rows = this.rows;
    const stack = this.stack;
    const walkable = expanded && this.options.expandsAll && !filter && !interp ? walkableOf(node) : null;
    if (walkable) {
      stack.push({ fields: [], next: 0, owner: row, self, kept: false, walk: new NodeWalk(walkable), levels: [] });
      return;
    }
    // Children are read only when shown (reading a lazy message's children decodes them).
    const ch = expanded ? childrenOf(node, interp) : null;
    if (ch !== null && node.value.kind === 'packed') {
      let kept = false;
      const n = node.value.elements.length;
      for (let j = 0; j < n; j++) {
        // An element's node is its run's: found through the parent row, no reference kept per element.
        const el = rows.pushThroughParent(row, j, true);
        if (!filter || filter(rows, el)) kept = true;
        else rows.truncate(el);
      }
      this.visited += n;
      this.leave(row, self, kept);
    } else if (ch !== null) {
      stack.push({ fields: ch as readonly FieldNode[], next: 0, owner: row, self, kept: false });
    } else {
      this.leave(row, self, false);
    }
  }

  /** One node of a subtree read from its bytes, as a row (with its elements' rows); false when the subtree is done. */
  private step(frame: Frame): boolean {
    const w = frame.walk!;
    if (!w.next()) return false;
    const levels = frame.levels!;
    const parent = w.depth === 0 ? frame.owner : levels[w.depth - 1];
    const rows = this.rows;
    const row = rows.pushThroughParent(parent, w.index, false);
    levels[w.depth] = row;
    this.visited++;
    this.offset = w.tagStart;
    if (w.kind === NodeKind.PACKED) {
      const n = w.elements;
      for (let j = 0; j < n; j++) rows.pushThroughParent(row, j, true);
      this.visited += n;
    }
    return true;
  }

  /** A row's subtree is done: without a filter match in it, its rows go again. */
  private leave(owner: number, self: boolean, kept: boolean): void {
    if (owner < 0) return;
    if (this.options.filter && !self && !kept) {
      this.rows.truncate(owner);
      return;
    }
    const parent = this.stack[this.stack.length - 1];
    if (parent) parent.kept = true;
  }
}

/** How many nodes a tree has (packed elements included), counted up to just past `limit`. */
export function countNodes(fields: readonly FieldNode[], limit: number): number {
  let n = 0;
  const walk = (fs: readonly FieldNode[]) => {
    for (const f of fs) {
      if (n > limit) return;
      n++;
      const v = f.value;
      if (v.kind === 'message') walk(v.fields);
      else if (v.kind === 'packed') n += v.elements.length;
      else if (v.kind === 'unknown' && Array.isArray(v.raw)) walk(v.raw as FieldNode[]);
      else if (v.kind === 'scalar' && v.embedded) walk(v.embedded.fields);
    }
  };
  walk(fields);
  return n;
}
