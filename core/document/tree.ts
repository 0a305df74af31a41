/**
 * Navigating a document tree: children of a node, paths (child indices from the root), lookup
 * by node id, and oneof helpers.
 */
import type { Field, OneOf, Type } from 'protobufjs';
import type { FieldNode, MessageRoot, NodeId } from './model';

/** A node's position: child indices from the root ([] is the root message itself). */
export type NodePath = readonly number[];

/**
 * The child nodes of a node: a message's or group's fields, an unknown group's nested fields,
 * or the fields of an Any payload decoded into `embedded`. Empty for everything else.
 */
export function childrenOf(node: FieldNode): readonly FieldNode[] {
  const v = node.value;
  if (v.kind === 'message') return v.fields;
  if (v.kind === 'unknown' && Array.isArray(v.raw)) return v.raw as readonly FieldNode[];
  if (v.kind === 'scalar' && v.embedded) return v.embedded.fields;
  return EMPTY;
}

const EMPTY: readonly FieldNode[] = Object.freeze([]);

/** The node at a path (undefined if the path leads nowhere); the empty path has no node (it is the root). */
export function nodeAtPath(root: MessageRoot, path: NodePath): FieldNode | undefined {
  let fields = root.fields;
  let node: FieldNode | undefined;
  for (const i of path) {
    node = fields[i];
    if (!node) return undefined;
    fields = childrenOf(node);
  }
  return node;
}

/** The children at a path: the root's fields for [], else childrenOf(node). */
export function childrenAtPath(root: MessageRoot, path: NodePath): readonly FieldNode[] | undefined {
  if (path.length === 0) return root.fields;
  const n = nodeAtPath(root, path);
  return n ? childrenOf(n) : undefined;
}

/** Calls visit for every node, depth first in wire order, with its path; return false from visit to skip a node's children. */
export function walk(root: MessageRoot, visit: (node: FieldNode, path: NodePath) => boolean | void): void {
  const path: number[] = [];
  const go = (fields: readonly FieldNode[]): void => {
    for (let i = 0; i < fields.length; i++) {
      path.push(i);
      const n = fields[i];
      if (visit(n, path) !== false) go(childrenOf(n));
      path.pop();
    }
  };
  go(root.fields);
}

interface IdIndex {
  readonly paths: Map<NodeId, NodePath>;
}

const indexes = new WeakMap<MessageRoot, IdIndex>();

function indexOf(root: MessageRoot): IdIndex {
  let idx = indexes.get(root);
  if (!idx) {
    const paths = new Map<NodeId, NodePath>();
    walk(root, (n, p) => {
      paths.set(n.id, p.slice());
    });
    idx = { paths };
    indexes.set(root, idx);
  }
  return idx;
}

/** The path of the node with this id (indexed once per root, then O(1)); undefined if absent. */
export function pathOfId(root: MessageRoot, id: NodeId): NodePath | undefined {
  return indexOf(root).paths.get(id);
}

/** The node with this id, if present. */
export function nodeById(root: MessageRoot, id: NodeId): FieldNode | undefined {
  const p = pathOfId(root, id);
  return p ? nodeAtPath(root, p) : undefined;
}

/** The parent node of the node with this id; null when its parent is the root; undefined if absent. */
export function parentOf(root: MessageRoot, id: NodeId): FieldNode | null | undefined {
  const p = pathOfId(root, id);
  if (!p) return undefined;
  return p.length === 1 ? null : (nodeAtPath(root, p.slice(0, -1)) ?? undefined);
}

/** The occurrences of a schema field (by number) among sibling nodes, in wire order. */
export function occurrences(fields: readonly FieldNode[], fieldNumber: number): FieldNode[] {
  return fields.filter((f) => f.fieldNumber === fieldNumber && f.field !== null);
}

/** The member of a oneof that is set (the last occurrence of any member wins, as on the wire), or null. */
export function oneofCase(fields: readonly FieldNode[], oneof: OneOf): FieldNode | null {
  const members = new Set<Field>(oneof.fieldsArray);
  for (let i = fields.length - 1; i >= 0; i--) {
    const f = fields[i].field;
    if (f && members.has(f)) return fields[i];
  }
  return null;
}

/** For every oneof of a type, the member node that is set (or null), keyed by oneof name. */
export function oneofCases(fields: readonly FieldNode[], type: Type): Record<string, FieldNode | null> {
  const out: Record<string, FieldNode | null> = {};
  for (const o of type.oneofsArray) out[o.name] = oneofCase(fields, o);
  return out;
}
