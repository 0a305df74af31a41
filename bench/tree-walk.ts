/**
 * Reading a decoded message in full, two ways: through the columnar walk (what Expand all and
 * the printers of a whole message run: no object per node) and through the node tree (an object
 * per node, what the FieldNode API and edits cost). A fair comparison with a runtime that builds
 * every value reads every node and every value.
 */
import { checkedMessageOf } from '../core/document/decode';
import type { FieldNode, MessageRoot } from '../core/document/model';
import { NodeKind, NodeWalk } from '../core/document/node-walk';
import { Flattener, type FlatRows } from '../core/workbench/flat-rows';

/** Reads every node of a tree as objects (nodes are built when read); returns how many there are. */
export function countNodes(fields: readonly FieldNode[]): number {
  let n = 0;
  for (const f of fields) {
    n++;
    const v = f.value;
    if (v.kind === 'message') n += countNodes(v.fields);
    else if (v.kind === 'packed') n += v.elements.length;
  }
  return n;
}

/** One walker for every walkColumnar call (a stream of small messages reuses its stacks). */
let walker: NodeWalk | null = null;
/** Where read values go, so that reading them cannot be optimized away. */
let sink = 0;
function touch(v: unknown): void {
  if (v !== undefined) sink++;
}

/**
 * Reads every node of a decodeMessage root with the columnar walk: its number, kind and span, and
 * every scalar and packed element value decoded from the bytes; returns how many nodes (packed
 * elements counted, as countNodes does). A root the walk cannot read (an Any expanded inside:
 * its fields come from another type's bytes) is read as objects instead.
 */
export function walkColumnar(root: MessageRoot): number {
  const checked = checkedMessageOf(root);
  if (checked === null) throw new Error('walkColumnar: the root was not checked in full (decoded lazily, edited or malformed)');
  if (checked.facts.anyInside && checked.ctx.expandAny) return countNodes(root.fields);
  const w = walker === null ? (walker = new NodeWalk(checked)) : walker.reset(checked);
  let n = 0;
  while (w.next()) {
    n++;
    sink += w.fieldNumber + w.end;
    if (w.kind === NodeKind.SCALAR) touch(w.value());
    else if (w.kind === NodeKind.PACKED) {
      w.eachElement(touch);
      n += w.elements;
    }
  }
  if (sink < 0) throw new Error('unreachable');
  return n;
}

/** The rows of Expand all over a message (every node expanded), as the workbench keeps them. */
export function expandAllRows(root: MessageRoot): FlatRows {
  const f = new Flattener(root, { expandsAll: true, isExpanded: () => true, interpretedChildren: () => undefined });
  while (!f.run(1_000_000));
  return f.rows;
}
