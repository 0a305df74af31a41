/**
 * Edit operations on a document, as plain serializable data (they cross the IPC boundary:
 * numbers, strings, booleans, bigint, Uint8Array and arrays only).
 *
 * Addressing: `path` is a NodePath, the child indices from the root (see tree.ts; [] is the
 * root message). Children of a node are childrenOf(node): a message's fields, an unknown
 * group's fields, or an Any payload's decoded fields. A NodeId can be turned into a path with
 * pathOfId(root, id) (ProtoDocument.pathOf). Paths are relative to the root the edit is applied to.
 *
 * applyEdit returns a new root by path copying: only the nodes from the root to the edit are
 * replaced (and marked modified); everything else is shared, so encode re-encodes only that path.
 */
import type { Enum, Field, OneOf, Type } from 'protobufjs';
import { WireType } from '../wire/wire-types';
import {
  defaultFieldValue,
  defaultNode,
  mapEntryFields,
  mapEntryNode,
  messageNode,
  packedNode,
  rawBytesNode,
  scalarNode,
  unknownNode,
  coerceFieldValue,
  type ScalarInput,
} from './build';
import type { FieldNode, MessageRoot, PackedElement, PackedNodeValue } from './model';
import { FieldKind, fieldInfo, prefersPacked, scalarTypeOf, typeInfo } from './schema-info';
import { childrenOf, type NodePath } from './tree';

/** A value given to an edit (coerced to the field's type: see coerceScalar; enums accept names and any int32). */
export type EditValue = ScalarInput;

/** The raw value of an unknown field in an edit; a group is a list of nested unknown fields. */
export type UnknownRaw = string | number | bigint | Uint8Array | readonly UnknownFieldSpec[];

/** An unknown field described as data. */
export interface UnknownFieldSpec {
  fieldNumber: number;
  wireType: WireType;
  raw: UnknownRaw;
}

/** One edit. Every variant is plain data. */
export type Edit =
  /** Set the value of a scalar, enum, string or bytes node (clears invalid-UTF-8 bytes and a decoded Any payload). */
  | { op: 'set-value'; path: NodePath; value: EditValue }
  /** Set one element of a packed run. */
  | { op: 'set-packed-element'; path: NodePath; index: number; value: EditValue }
  /** Insert an element into a packed run at index (elements.length appends); value defaults to the field default. */
  | { op: 'insert-packed-element'; path: NodePath; index: number; value?: EditValue }
  /** Remove one element of a packed run. */
  | { op: 'remove-packed-element'; path: NodePath; index: number }
  /** Move an element of a packed run from one index to another. */
  | { op: 'move-packed-element'; path: NodePath; from: number; to: number }
  /**
   * Add an occurrence of a schema field (also a new repeated element) to the message at `path`.
   * value: for scalars (default: the field default); messages get an empty message; maps get an
   * entry with `key` (default key) and value. Packable repeated fields: appended to the last packed
   * run if there is one, else a new packed run when `packed` (default: the schema's packed-ness).
   * at: child index to insert at (default: after the field's last occurrence, else in field-number order).
   * A member of a real oneof clears the other members (as set-oneof). A singular field that is
   * already set gets a second occurrence (on the wire the last one wins); use set-value to change it.
   */
  | { op: 'add-field'; path: NodePath; fieldNumber: number; value?: EditValue; key?: EditValue; at?: number; packed?: boolean }
  /** Remove the node at path (a repeated element, an unknown field, raw bytes, any occurrence). */
  | { op: 'remove'; path: NodePath }
  /** Move the node at path to child index `to` within the same parent. */
  | { op: 'move'; path: NodePath; to: number }
  /** Remove every occurrence of a field number from the message at path (known or unknown). */
  | { op: 'clear-field'; path: NodePath; fieldNumber: number }
  /** Make `fieldNumber` the set member of oneof `oneof` in the message at path: clears all members, then adds it. */
  | { op: 'set-oneof'; path: NodePath; oneof: string; fieldNumber: number; value?: EditValue }
  /** Insert an unknown field (any wire type; a group's raw is a list of UnknownFieldSpec) at child index at (default: end). */
  | { op: 'add-unknown'; path: NodePath; at?: number; field: UnknownFieldSpec }
  /** Replace the unknown node at path (its number, wire type and raw value). */
  | { op: 'set-unknown'; path: NodePath; field: UnknownFieldSpec }
  /** Insert bytes written out as they are (no tag) at child index at of the message at path. */
  | { op: 'insert-raw'; path: NodePath; at: number; bytes: Uint8Array };

/** What applyEdit needs beyond the root. */
export interface EditContext {
  /** Finds a message type by full name (for edits inside Any payloads); default: the document type's root. */
  resolveType?: (fullName: string) => Type | null | undefined;
}

/** An edit that cannot be applied (bad path, wrong node kind, unknown field, bad value). */
export class EditError extends Error {
  override readonly name = 'EditError';
}

function fail(msg: string): never {
  throw new EditError(msg);
}

/** Replaces a node's children (message fields, group fields, Any payload fields) and marks it modified. */
function withChildren(node: FieldNode, children: readonly FieldNode[]): FieldNode {
  const v = node.value;
  if (v.kind === 'message') return { ...node, value: { ...v, fields: children }, modified: true };
  if (v.kind === 'unknown' && Array.isArray(v.raw)) return { ...node, value: { ...v, raw: children }, modified: true };
  if (v.kind === 'scalar' && v.embedded) {
    return { ...node, value: { ...v, embedded: { ...v.embedded, fields: children } }, modified: true };
  }
  return fail(`node ${node.id} has no child fields`);
}

/** Returns a new root where the children at parentPath are replaced by fn(children); the path is copied and marked modified. */
export function updateChildren(
  root: MessageRoot,
  parentPath: NodePath,
  fn: (children: readonly FieldNode[]) => readonly FieldNode[],
): MessageRoot {
  const rec = (fields: readonly FieldNode[], i: number): readonly FieldNode[] => {
    if (i === parentPath.length) return fn(fields);
    const idx = parentPath[i];
    const node = fields[idx];
    if (!node) fail(`path [${parentPath.join(', ')}] leads nowhere (no child ${idx})`);
    const next = fields.slice();
    next[idx] = withChildren(node, rec(childrenOf(node), i + 1));
    return next;
  };
  return { ...root, fields: rec(root.fields, 0), modified: true };
}

/** Returns a new root where the node at path is replaced by fn(node) (which should set modified). */
export function updateNode(root: MessageRoot, path: NodePath, fn: (node: FieldNode) => FieldNode): MessageRoot {
  if (path.length === 0) fail('the empty path is the root, not a node');
  const last = path[path.length - 1];
  return updateChildren(root, path.slice(0, -1), (children) => {
    const node = children[last];
    if (!node) fail(`path [${path.join(', ')}] leads nowhere`);
    const next = children.slice();
    next[last] = fn(node);
    return next;
  });
}

function nodeAt(root: MessageRoot, path: NodePath): FieldNode {
  let fields = root.fields;
  let node: FieldNode | undefined;
  for (const i of path) {
    node = fields[i];
    if (!node) fail(`path [${path.join(', ')}] leads nowhere`);
    fields = childrenOf(node);
  }
  if (!node) fail('the empty path is the root, not a node');
  return node;
}

function lookup(root: MessageRoot, ctx: EditContext, name: string): Type | null {
  const t = ctx.resolveType?.(name);
  if (t) return t;
  try {
    return root.type ? root.type.root.lookupType('.' + name) : null;
  } catch {
    return null;
  }
}

/** The message type of the children at path (null when unknown: unknown groups, schema-less roots). */
export function messageTypeAt(root: MessageRoot, path: NodePath, ctx: EditContext = {}): Type | null {
  if (path.length === 0) return root.type;
  const node = nodeAt(root, path);
  const v = node.value;
  if (v.kind === 'scalar' && v.embedded) return v.embedded.typeName ? lookup(root, ctx, v.embedded.typeName) : null;
  if (v.kind !== 'message' || node.field === null) return null;
  return fieldInfo(node.field).messageType;
}

function childrenAt(root: MessageRoot, path: NodePath): readonly FieldNode[] {
  return path.length === 0 ? root.fields : childrenOf(nodeAt(root, path));
}

function checkIndex(i: number, max: number, what: string): void {
  if (!Number.isInteger(i) || i < 0 || i > max) fail(`${what} ${i} is out of range (0..${max})`);
}

/** Where a new occurrence of fieldNumber goes: after its last occurrence, else before the first larger field number, else at the end. */
function defaultPosition(children: readonly FieldNode[], fieldNumber: number): number {
  for (let i = children.length - 1; i >= 0; i--) if (children[i].fieldNumber === fieldNumber) return i + 1;
  for (let i = 0; i < children.length; i++) if (children[i].fieldNumber > fieldNumber) return i;
  return children.length;
}

function insertAt(children: readonly FieldNode[], at: number, node: FieldNode): readonly FieldNode[] {
  checkIndex(at, children.length, 'position');
  const next = children.slice();
  next.splice(at, 0, node);
  return next;
}

function specToNode(spec: UnknownFieldSpec): FieldNode {
  if (spec.wireType === WireType.SGROUP) {
    if (!Array.isArray(spec.raw)) fail('an unknown group needs a list of nested fields');
    return unknownNode(spec.fieldNumber, spec.wireType, (spec.raw as readonly UnknownFieldSpec[]).map(specToNode));
  }
  if (Array.isArray(spec.raw)) fail(`an unknown field with wire type ${spec.wireType} cannot hold nested fields`);
  return unknownNode(spec.fieldNumber, spec.wireType, spec.raw as string | number | bigint | Uint8Array);
}

function schemaField(type: Type | null, fieldNumber: number): Field {
  if (!type) fail(`no schema here: field ${fieldNumber} can only be added as an unknown field`);
  const fi = typeInfo(type).byNumber.get(fieldNumber);
  if (!fi) fail(`type ${type.name} has no field ${fieldNumber} (add it as an unknown field instead)`);
  return fi.field;
}

function realOneof(field: Field): OneOf | null {
  const o = field.partOf;
  if (!o) return null;
  // proto3 `optional` fields live in a synthetic oneof of one member: not a real choice.
  const synthetic = (field.options as { proto3_optional?: boolean } | undefined)?.proto3_optional === true;
  return synthetic || (o.fieldsArray.length === 1 && o.name.startsWith('_')) ? null : o;
}

function makeNode(field: Field, value: EditValue | undefined, key: EditValue | undefined): FieldNode {
  const info = fieldInfo(field);
  if (info.kind === FieldKind.MAP) {
    const { key: keyField } = mapEntryFields(field);
    return mapEntryNode(field, key ?? defaultFieldValue(keyField), value);
  }
  if (info.kind !== FieldKind.SCALAR) {
    if (value !== undefined) fail(`field ${field.name} is a message: add it empty, then set its fields`);
    return messageNode(field, []);
  }
  return value === undefined ? defaultNode(field) : scalarNode(field, value);
}

function addField(root: MessageRoot, edit: Extract<Edit, { op: 'add-field' }>, ctx: EditContext): MessageRoot {
  const type = messageTypeAt(root, edit.path, ctx);
  const field = schemaField(type, edit.fieldNumber);
  const oneof = realOneof(field);
  if (oneof && edit.at === undefined) {
    return setOneof(root, { op: 'set-oneof', path: edit.path, oneof: oneof.name, fieldNumber: edit.fieldNumber, value: edit.value }, ctx);
  }
  const children = childrenAt(root, edit.path);
  const info = fieldInfo(field);
  if (info.packable && edit.at === undefined && edit.packed !== false) {
    // Append to the last packed run of this field, if any.
    for (let i = children.length - 1; i >= 0; i--) {
      const c = children[i];
      if (c.fieldNumber === field.id && c.field !== null && c.value.kind === 'packed') {
        const v = c.value;
        const el: PackedElement = {
          value: (edit.value === undefined ? defaultFieldValue(field) : coerceFieldValue(field, edit.value)) as PackedElement['value'],
        };
        return updateNode(root, [...edit.path, i], (n) => ({ ...n, value: { ...v, elements: [...v.elements, el] }, modified: true }));
      }
    }
  }
  let node: FieldNode;
  if (info.packable && (edit.packed ?? prefersPacked(field))) {
    node = packedNode(field, [edit.value ?? defaultFieldValue(field)]);
  } else {
    node = makeNode(field, edit.value, edit.key);
  }
  const at = edit.at ?? defaultPosition(children, field.id);
  return updateChildren(root, edit.path, (ch) => insertAt(ch, at, node));
}

function setOneof(root: MessageRoot, edit: Extract<Edit, { op: 'set-oneof' }>, ctx: EditContext): MessageRoot {
  const type = messageTypeAt(root, edit.path, ctx);
  if (!type) fail('no schema here: oneofs need a message type');
  const oneof = type.oneofs?.[edit.oneof];
  if (!oneof) fail(`type ${type.name} has no oneof ${edit.oneof}`);
  const field = oneof.fieldsArray.find((f) => f.id === edit.fieldNumber);
  if (!field) fail(`field ${edit.fieldNumber} is not a member of oneof ${edit.oneof}`);
  const members = new Set(oneof.fieldsArray.map((f) => f.id));
  const node = makeNode(field, edit.value, undefined);
  return updateChildren(root, edit.path, (children) => {
    let firstRemoved = -1;
    const kept: FieldNode[] = [];
    for (const c of children) {
      if (c.field !== null && members.has(c.fieldNumber)) {
        if (firstRemoved < 0) firstRemoved = kept.length;
      } else {
        kept.push(c);
      }
    }
    const at = firstRemoved >= 0 ? firstRemoved : defaultPosition(kept, field.id);
    kept.splice(at, 0, node);
    return kept;
  });
}

function updatePacked(
  root: MessageRoot,
  path: NodePath,
  fn: (els: PackedElement[], node: FieldNode, v: PackedNodeValue) => void,
): MessageRoot {
  return updateNode(root, path, (node) => {
    const v = node.value;
    if (v.kind !== 'packed') fail(`node at [${path.join(', ')}] is not a packed run`);
    const els = v.elements.slice();
    fn(els, node, v);
    return { ...node, value: { ...v, elements: els }, modified: true };
  });
}

function packedValue(node: FieldNode, v: PackedNodeValue, value: EditValue | undefined): PackedElement['value'] {
  if (node.field) {
    return (value === undefined ? defaultFieldValue(node.field) : coerceFieldValue(node.field, value)) as PackedElement['value'];
  }
  return (value ?? 0) as PackedElement['value'];
}

/** Applies one edit; returns a new root (the given root is not changed). Throws EditError when the edit does not fit the tree. */
export function applyEdit(root: MessageRoot, edit: Edit, ctx: EditContext = {}): MessageRoot {
  switch (edit.op) {
    case 'set-value':
      return updateNode(root, edit.path, (node) => {
        const v = node.value;
        if (v.kind !== 'scalar' || node.field === null)
          fail(`node at [${edit.path.join(', ')}] is not a scalar field (use set-unknown for unknown fields)`);
        const value = coerceFieldValue(node.field, edit.value);
        return { ...node, value: { kind: 'scalar', type: v.type, value }, modified: true };
      });
    case 'set-packed-element':
      return updatePacked(root, edit.path, (els, node, v) => {
        checkIndex(edit.index, els.length - 1, 'element');
        els[edit.index] = { value: packedValue(node, v, edit.value) };
      });
    case 'insert-packed-element':
      return updatePacked(root, edit.path, (els, node, v) => {
        checkIndex(edit.index, els.length, 'element position');
        els.splice(edit.index, 0, { value: packedValue(node, v, edit.value) });
      });
    case 'remove-packed-element':
      return updatePacked(root, edit.path, (els) => {
        checkIndex(edit.index, els.length - 1, 'element');
        els.splice(edit.index, 1);
      });
    case 'move-packed-element':
      return updatePacked(root, edit.path, (els) => {
        checkIndex(edit.from, els.length - 1, 'element');
        checkIndex(edit.to, els.length - 1, 'element position');
        const [el] = els.splice(edit.from, 1);
        els.splice(edit.to, 0, el);
      });
    case 'add-field':
      return addField(root, edit, ctx);
    case 'remove': {
      if (edit.path.length === 0) fail('cannot remove the root');
      const last = edit.path[edit.path.length - 1];
      return updateChildren(root, edit.path.slice(0, -1), (children) => {
        checkIndex(last, children.length - 1, 'child');
        const next = children.slice();
        next.splice(last, 1);
        return next;
      });
    }
    case 'move': {
      if (edit.path.length === 0) fail('cannot move the root');
      const from = edit.path[edit.path.length - 1];
      return updateChildren(root, edit.path.slice(0, -1), (children) => {
        checkIndex(from, children.length - 1, 'child');
        checkIndex(edit.to, children.length - 1, 'position');
        const next = children.slice();
        const [n] = next.splice(from, 1);
        next.splice(edit.to, 0, n);
        return next;
      });
    }
    case 'clear-field':
      return updateChildren(root, edit.path, (children) =>
        children.filter((c) => c.fieldNumber !== edit.fieldNumber || c.value.kind === 'raw-bytes'),
      );
    case 'set-oneof':
      return setOneof(root, edit, ctx);
    case 'add-unknown': {
      const node = specToNode(edit.field);
      return updateChildren(root, edit.path, (children) => insertAt(children, edit.at ?? children.length, node));
    }
    case 'set-unknown':
      return updateNode(root, edit.path, (node) => {
        if (node.value.kind !== 'unknown') fail(`node at [${edit.path.join(', ')}] is not an unknown field`);
        const built = specToNode(edit.field);
        return { ...built, id: node.id, span: node.span };
      });
    case 'insert-raw': {
      const node = rawBytesNode(edit.bytes);
      return updateChildren(root, edit.path, (children) => insertAt(children, edit.at, node));
    }
  }
}

/** Applies edits in order (all or nothing: throws on the first that fails). */
export function applyEdits(root: MessageRoot, edits: readonly Edit[], ctx: EditContext = {}): MessageRoot {
  let r = root;
  for (const e of edits) r = applyEdit(r, e, ctx);
  return r;
}

/** The enum of an enum field, for UIs that offer value names (null for other fields). */
export function enumOf(field: Field): Enum | null {
  return scalarTypeOf(field) === 'enum' ? (field.resolvedType as Enum) : null;
}
