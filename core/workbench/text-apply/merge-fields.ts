/**
 * The heart of a JSON/text Apply: the old message's nodes with only the fields whose values the
 * new text changes edited, everything else kept as the very same nodes (so their bytes are
 * written back as they were: unknown fields, repeated occurrences of a singular field, field
 * order, packed and unpacked runs mixed, non-canonical encodings).
 *
 * It compares two trees a parser built: `shown` (what the old message prints as, read back) and
 * `next` (the new text). A field whose shown and new values are the same keeps every old node;
 * one that differs is edited where its old nodes are: a singular value is set on its last
 * occurrence (the one a runtime reads), a repeated field's changed run is set, removed or
 * inserted element by element between the unchanged start and end, a map's changed keys are
 * edited entry by entry, and nested messages recurse. What it did is logged for the report.
 */
import type { Field, Type } from 'protobufjs';
import type { FieldNode, MessageNodeValue, NodeValue, PackedElement, ScalarValue } from '../../document/model';
import { defaultFieldValue, scalarNode } from '../../document/build';
import { FieldKind, fieldInfo } from '../../document/schema-info';
import { hasPresence } from '../../format/message-state';
import type { TextChange } from '../../api/contract';
import { sameNode, sameNodes, sameScalar } from './same-node';
import { nodePreview, valuePreview } from './previews';
import { appendAll } from '../../wire/append';

/** What a merge did besides returning nodes: the changes in the text's terms and the old nodes it touched. */
export interface MergeLog {
  changes: TextChange[];
  /** Old nodes whose value was set in place (they keep their id and span). */
  replaced: { path: string; before: FieldNode; after: FieldNode }[];
  /** Old packed runs with elements set in place (their other elements keep their bytes). */
  replacedElements: { path: string; run: FieldNode; index: number }[];
  /** Old nodes removed; `hidden` when the text never showed them (a shadowed oneof member). */
  removed: { path: string; node: FieldNode; hidden?: boolean }[];
  /** Singular message fields whose several occurrences became one. */
  merged: { path: string; count: number }[];
  /** Fields whose old nodes could not be lined up with what they print as: written anew. */
  rewritten: { path: string; nodes: FieldNode[] }[];
}

/** An empty log. */
export function newMergeLog(): MergeLog {
  return { changes: [], replaced: [], replacedElements: [], removed: [], merged: [], rewritten: [] };
}

/** How fields are named in paths: as the text names them (JSON names or .proto names). */
export interface FieldNamer {
  (field: Field): string;
}

/** One value of a repeated scalar as a parser built it (the node when it was an occurrence of its own). */
interface Item {
  value: ScalarValue;
  invalidUtf8?: Uint8Array;
  node?: FieldNode;
}

/** Where an old value of a repeated scalar is: an occurrence of its own (el -1) or element el of a packed run. */
interface Slot {
  node: FieldNode;
  el: number;
}

const isUnknown = (n: FieldNode) => n.field === null && n.value.kind === 'unknown';

/** Old nodes of a schema field, in wire order. */
function oldOf(out: readonly FieldNode[], fieldNumber: number): FieldNode[] {
  return out.filter((n) => n.field !== null && n.fieldNumber === fieldNumber && n.value.kind !== 'raw-bytes');
}

function fieldsOf(n: FieldNode | undefined): readonly FieldNode[] {
  return n && n.value.kind === 'message' ? n.value.fields : [];
}

/** Where a new occurrence of a field goes: after its last occurrence, else before the first larger field number, else at the end. */
function defaultPosition(out: readonly FieldNode[], fieldNumber: number): number {
  for (let i = out.length - 1; i >= 0; i--) if (out[i].fieldNumber === fieldNumber && out[i].value.kind !== 'raw-bytes') return i + 1;
  for (let i = 0; i < out.length; i++) if (out[i].value.kind !== 'raw-bytes' && out[i].fieldNumber > fieldNumber) return i;
  return out.length;
}

/** Replaces `node` in `out` by `by` (any number of nodes). */
function splice(out: FieldNode[], node: FieldNode, by: readonly FieldNode[]): void {
  const i = out.indexOf(node);
  if (i >= 0) out.splice(i, 1, ...by);
}

/** A message node with other fields, marked modified (a lazy message's fields are read, never spread). */
function withFields(node: FieldNode, fields: readonly FieldNode[]): FieldNode {
  const v = node.value as MessageNodeValue;
  return { ...node, value: { ...v, fields }, modified: true };
}

/** Lengths of the unchanged start and end of two lists (never overlapping). */
function commonEnds<A, B>(a: readonly A[], b: readonly B[], same: (x: A, y: B) => boolean): [number, number] {
  let p = 0;
  while (p < a.length && p < b.length && same(a[p], b[p])) p++;
  let s = 0;
  while (s < a.length - p && s < b.length - p && same(a[a.length - 1 - s], b[b.length - 1 - s])) s++;
  return [p, s];
}

function itemsOf(nodes: readonly FieldNode[]): Item[] {
  const out: Item[] = [];
  for (const n of nodes) {
    const v = n.value;
    if (v.kind === 'packed') for (const e of v.elements) out.push({ value: e.value });
    else if (v.kind === 'scalar') out.push({ value: v.value, ...(v.invalidUtf8 ? { invalidUtf8: v.invalidUtf8 } : {}), node: n });
  }
  return out;
}

function sameItem(a: Item, b: Item): boolean {
  if (!sameScalar(a.value, b.value)) return false;
  if (!a.invalidUtf8 || !b.invalidUtf8) return !a.invalidUtf8 && !b.invalidUtf8;
  return sameScalar(a.invalidUtf8, b.invalidUtf8);
}

/** The key of a map entry as a string (a missing key is the key type's default). */
function entryKey(entry: FieldNode, keyField: Field | null): string {
  const fields = fieldsOf(entry);
  for (let i = fields.length - 1; i >= 0; i--) {
    const k = fields[i];
    if (k.fieldNumber === 1 && k.value.kind === 'scalar') return String(k.value.value);
  }
  return keyField ? String(defaultFieldValue(keyField)) : '';
}

/** Merges the new text's fields into one message's old nodes (see the module comment). */
export class FieldMerger {
  constructor(
    readonly log: MergeLog,
    private readonly name: FieldNamer,
  ) {}

  /**
   * The old nodes with what changed from `shown` to `next` edited in (`old` itself when nothing
   * did). `type` is the message type (for its oneofs); `entry` when these are a map entry's fields.
   */
  merge(
    old: readonly FieldNode[],
    shown: readonly FieldNode[],
    next: readonly FieldNode[],
    type: Type | null,
    path: string,
    entry = false,
  ) {
    const byNumber = new Map<number, { field: Field; shown: FieldNode[]; next: FieldNode[] }>();
    const group = (nodes: readonly FieldNode[], side: 'shown' | 'next') => {
      for (const n of nodes) {
        if (n.field === null || n.value.kind === 'raw-bytes') continue;
        let g = byNumber.get(n.fieldNumber);
        if (!g) byNumber.set(n.fieldNumber, (g = { field: n.field, shown: [], next: [] }));
        g[side].push(n);
      }
    };
    group(shown, 'shown');
    group(next, 'next');
    const out = old.slice();
    for (const [number, g] of byNumber) {
      if (sameNodes(g.shown, g.next)) continue;
      const at = this.childPath(path, g.field, entry);
      const info = fieldInfo(g.field);
      if (info.kind === FieldKind.MAP) this.mergeMap(out, g.field, g.shown, g.next, at);
      else if (g.field.repeated && info.kind === FieldKind.SCALAR) this.mergeRepeatedScalar(out, g.field, g.shown, g.next, at);
      else if (g.field.repeated) this.mergeRepeatedMessage(out, number, info.messageType, g.shown, g.next, at);
      else if (info.kind === FieldKind.SCALAR) this.mergeSingularScalar(out, number, g.shown, g.next, at);
      else this.mergeSingularMessage(out, number, info.messageType, g.shown, g.next, at);
    }
    const shownUnknown = shown.filter(isUnknown);
    const nextUnknown = next.filter(isUnknown);
    if (!sameNodes(shownUnknown, nextUnknown)) this.mergeUnknown(out, shownUnknown, nextUnknown, path);
    const changed = out.length !== old.length || out.some((n, i) => n !== old[i]);
    if (changed && type) this.settleOneofs(out, next, type, path);
    return changed ? out : old;
  }

  private childPath(path: string, field: Field, entry: boolean): string {
    if (entry && field.id === 2) return path;
    const name = entry && field.id === 1 ? 'key' : this.name(field);
    return path ? `${path}.${name}` : name;
  }

  private change(path: string, kind: TextChange['kind'], before?: string, after?: string): void {
    this.log.changes.push({ path, kind, ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) });
  }

  private remove(out: FieldNode[], node: FieldNode, path: string, hidden = false): void {
    splice(out, node, []);
    this.log.removed.push({ path, node, ...(hidden ? { hidden } : {}) });
  }

  private mergeSingularScalar(out: FieldNode[], number: number, shown: FieldNode[], next: FieldNode[], path: string): void {
    const olds = oldOf(out, number);
    const s = shown.at(-1);
    const n = next.at(-1);
    if (!n) {
      const last = olds[olds.length - 1];
      if (olds.length > 1 && last.field && last.value.kind === 'scalar' && !hasPresence(last.field)) {
        // Earlier occurrences a runtime does not read stay; the one it reads now holds the default.
        const after: FieldNode = {
          ...last,
          value: { kind: 'scalar', type: last.value.type, value: defaultFieldValue(last.field) },
          modified: true,
        };
        splice(out, last, [after]);
        this.log.replaced.push({ path, before: last, after });
      } else olds.forEach((o, i) => this.remove(out, o, path, i < olds.length - 1));
      this.change(path, 'remove', s && nodePreview(s));
    } else if (!olds.length) {
      out.splice(defaultPosition(out, number), 0, n);
      this.change(path, 'add', undefined, nodePreview(n));
    } else {
      const o = olds[olds.length - 1];
      const after: FieldNode = { ...o, wireType: n.wireType, value: n.value, modified: true };
      splice(out, o, [after]);
      this.log.replaced.push({ path, before: o, after });
      this.change(path, 'set', s && nodePreview(s), nodePreview(n));
    }
  }

  private mergeSingularMessage(
    out: FieldNode[],
    number: number,
    type: Type | null,
    shown: FieldNode[],
    next: FieldNode[],
    path: string,
  ): void {
    const olds = oldOf(out, number).filter((o) => o.value.kind === 'message');
    const n = next.at(-1);
    if (!n) {
      for (const o of oldOf(out, number)) this.remove(out, o, path);
      this.change(path, 'remove');
      return;
    }
    if (!olds.length) {
      out.splice(defaultPosition(out, number), 0, n);
      this.change(path, 'add', undefined, nodePreview(n));
      return;
    }
    const last = olds[olds.length - 1];
    // Several occurrences merge (as parsing their bytes one after another does): their fields, concatenated, are one message.
    const combined = olds.length === 1 ? fieldsOf(last) : olds.flatMap(fieldsOf);
    const fields = this.merge(combined, fieldsOf(shown.at(-1)), fieldsOf(n), type, path);
    if (olds.length > 1) {
      for (const o of olds.slice(0, -1)) splice(out, o, []);
      this.log.merged.push({ path, count: olds.length });
    }
    if (fields !== fieldsOf(last)) splice(out, last, [withFields(last, fields)]);
  }

  private mergeRepeatedMessage(
    out: FieldNode[],
    number: number,
    type: Type | null,
    shown: FieldNode[],
    next: FieldNode[],
    path: string,
  ): void {
    const olds = oldOf(out, number);
    if (olds.length !== shown.length || olds.some((o) => o.value.kind !== 'message')) return this.rewrite(out, number, olds, next, path);
    const [p, s] = commonEnds(shown, next, sameNode);
    const mOld = shown.length - p - s;
    const mNew = next.length - p - s;
    const pairs = Math.min(mOld, mNew);
    for (let k = 0; k < pairs; k++) {
      const o = olds[p + k];
      const fields = this.merge(fieldsOf(o), fieldsOf(shown[p + k]), fieldsOf(next[p + k]), type, `${path}[${p + k}]`);
      if (fields !== fieldsOf(o)) splice(out, o, [withFields(o, fields)]);
    }
    for (let k = pairs; k < mOld; k++) {
      this.remove(out, olds[p + k], `${path}[${p + k}]`);
      this.change(`${path}[${p + k}]`, 'remove', nodePreview(shown[p + k]));
    }
    const inserts = next.slice(p + pairs, p + mNew);
    inserts.forEach((n, k) => this.change(`${path}[${p + pairs + k}]`, 'add', undefined, nodePreview(n)));
    if (inserts.length) this.insertNear(out, number, olds, p + mOld, inserts);
  }

  /** Inserts nodes after old occurrence i - 1 (else before occurrence i, else where the field goes). */
  private insertNear(out: FieldNode[], number: number, olds: readonly FieldNode[], i: number, nodes: readonly FieldNode[]): void {
    const after = i > 0 ? out.indexOf(olds[i - 1]) : -1;
    const before = i < olds.length ? out.indexOf(olds[i]) : -1;
    const at = after >= 0 ? after + 1 : before >= 0 ? before : defaultPosition(out, number);
    out.splice(at, 0, ...nodes);
  }

  private mergeRepeatedScalar(out: FieldNode[], field: Field, shown: FieldNode[], next: FieldNode[], path: string): void {
    const olds = oldOf(out, field.id);
    const slots: Slot[] = [];
    /** The index of each old node's first slot. */
    const firstSlot = new Map<FieldNode, number>();
    for (const o of olds) {
      firstSlot.set(o, slots.length);
      if (o.value.kind === 'packed') o.value.elements.forEach((_e, el) => slots.push({ node: o, el }));
      else if (o.value.kind === 'scalar') slots.push({ node: o, el: -1 });
    }
    const sv = itemsOf(shown);
    const nv = itemsOf(next);
    if (sv.length !== slots.length) return this.rewrite(out, field.id, olds, next, path);
    const [p, s] = commonEnds(sv, nv, sameItem);
    const mOld = sv.length - p - s;
    const mNew = nv.length - p - s;
    const pairs = Math.min(mOld, mNew);
    const set = new Map<Slot, Item>();
    const drop = new Set<Slot>();
    for (let k = 0; k < pairs; k++) {
      set.set(slots[p + k], nv[p + k]);
      this.change(`${path}[${p + k}]`, 'set', valuePreview(sv[p + k].value), valuePreview(nv[p + k].value));
    }
    for (let k = pairs; k < mOld; k++) {
      drop.add(slots[p + k]);
      this.change(`${path}[${p + k}]`, 'remove', valuePreview(sv[p + k].value));
    }
    const inserts = nv.slice(p + pairs, p + mNew);
    inserts.forEach((v, k) => this.change(`${path}[${p + pairs + k}]`, 'add', undefined, valuePreview(v.value)));
    // New values go after the last value kept or set before them, else before the first one after them.
    const anchor = p + mOld > 0 ? { slot: slots[p + mOld - 1], after: true } : slots.length ? { slot: slots[0], after: false } : null;
    if (!anchor && inserts.length) {
      out.splice(defaultPosition(out, field.id), 0, ...next);
      return;
    }
    const unpacked = (v: Item): FieldNode => v.node ?? scalarNode(field, v.value);
    const newElements = inserts.map((x): PackedElement => ({ value: x.value as PackedElement['value'] }));
    for (const o of olds) {
      const v = o.value;
      if (v.kind === 'packed') {
        const els: PackedElement[] = [];
        const base = firstSlot.get(o)!;
        v.elements.forEach((e, el) => {
          const slot = slots[base + el];
          if (anchor?.slot === slot && !anchor.after) appendAll(els, newElements);
          const to = set.get(slot);
          if (to) {
            els.push({ value: to.value as PackedElement['value'] });
            this.log.replacedElements.push({ path: `${path}[${base + el}]`, run: o, index: el });
          } else if (!drop.has(slot)) els.push(e);
          if (anchor?.slot === slot && anchor.after) appendAll(els, newElements);
        });
        if (els.length === v.elements.length && els.every((e, i) => e === v.elements[i])) continue;
        if (els.length) splice(out, o, [{ ...o, value: { ...v, elements: els }, modified: true }]);
        else this.remove(out, o, path);
        continue;
      }
      if (v.kind !== 'scalar') continue;
      const slot = slots[firstSlot.get(o)!];
      let by: FieldNode[] = [o];
      const to = set.get(slot);
      if (drop.has(slot)) {
        by = [];
        this.log.removed.push({ path, node: o });
      } else if (to) {
        const value: NodeValue = to.node ? to.node.value : { kind: 'scalar', type: v.type, value: to.value };
        const after: FieldNode = { ...o, value, modified: true };
        this.log.replaced.push({ path: `${path}[${firstSlot.get(o)!}]`, before: o, after });
        by = [after];
      }
      if (anchor?.slot === slot) by = anchor.after ? [...by, ...inserts.map(unpacked)] : [...inserts.map(unpacked), ...by];
      if (by.length !== 1 || by[0] !== o) splice(out, o, by);
    }
  }

  private mergeMap(out: FieldNode[], field: Field, shown: FieldNode[], next: FieldNode[], path: string): void {
    const entryType = fieldInfo(field).messageType;
    const keyField = entryType?.fieldsById[1] ?? null;
    const lastByKey = (nodes: readonly FieldNode[]) => new Map(nodes.map((n) => [entryKey(n, keyField), n]));
    const shownByKey = lastByKey(shown);
    const nextByKey = lastByKey(next);
    for (const key of new Set([...nextByKey.keys(), ...shownByKey.keys()])) {
      const s = shownByKey.get(key);
      const n = nextByKey.get(key);
      if (s && n && sameNode(s, n)) continue;
      const at = `${path}[${JSON.stringify(key)}]`;
      const mine = oldOf(out, field.id).filter((o) => entryKey(o, keyField) === key);
      if (!n) {
        for (const o of mine) this.remove(out, o, at);
        this.change(at, 'remove', s && nodePreview(s));
      } else if (!s || !mine.length) {
        const all = oldOf(out, field.id);
        this.insertNear(out, field.id, all, all.length, [n]);
        this.change(at, 'add', undefined, nodePreview(n));
      } else {
        const o = mine[mine.length - 1];
        const fields = this.merge(fieldsOf(o), fieldsOf(s), fieldsOf(n), null, at, true);
        if (fields !== fieldsOf(o)) splice(out, o, [withFields(o, fields)]);
      }
    }
  }

  private mergeUnknown(out: FieldNode[], shown: FieldNode[], next: FieldNode[], path: string): void {
    const olds = out.filter(isUnknown);
    const at = (n: FieldNode) => (path ? `${path}.${n.fieldNumber}` : String(n.fieldNumber));
    if (olds.length !== shown.length) {
      for (const o of olds) this.remove(out, o, at(o));
      this.log.rewritten.push({ path: path || '(message)', nodes: olds });
      appendAll(out, next);
      this.change(path ? `${path} (unknown fields)` : '(unknown fields)', 'set');
      return;
    }
    const [p, s] = commonEnds(shown, next, sameNode);
    const mOld = shown.length - p - s;
    const mNew = next.length - p - s;
    const pairs = Math.min(mOld, mNew);
    for (let k = 0; k < pairs; k++) {
      const o = olds[p + k];
      const n = next[p + k];
      const after: FieldNode = { ...n, id: o.id, span: o.span, modified: true };
      splice(out, o, [after]);
      this.log.replaced.push({ path: at(o), before: o, after });
      this.change(at(n), 'set', nodePreview(shown[p + k]), nodePreview(n));
    }
    for (let k = pairs; k < mOld; k++) {
      this.remove(out, olds[p + k], at(olds[p + k]));
      this.change(at(olds[p + k]), 'remove', nodePreview(shown[p + k]));
    }
    const inserts = next.slice(p + pairs, p + mNew);
    for (const n of inserts) this.change(at(n), 'add', undefined, nodePreview(n));
    if (!inserts.length) return;
    const anchorAfter = p + mOld > 0 ? out.indexOf(olds[p + mOld - 1]) : -1;
    const anchorBefore = p + mOld < olds.length ? out.indexOf(olds[p + mOld]) : -1;
    out.splice(anchorAfter >= 0 ? anchorAfter + 1 : anchorBefore >= 0 ? anchorBefore : out.length, 0, ...inserts);
  }

  /** Writes a field's new nodes in place of old ones that could not be lined up with what they print as. */
  private rewrite(out: FieldNode[], number: number, olds: FieldNode[], next: FieldNode[], path: string): void {
    const first = olds.length ? out.indexOf(olds[0]) : -1;
    for (const o of olds) splice(out, o, []);
    out.splice(first >= 0 ? first : defaultPosition(out, number), 0, ...next);
    this.log.rewritten.push({ path, nodes: olds });
    this.change(path, 'set');
  }

  /**
   * A runtime reads a oneof's last member: once the new text sets one, members the text never
   * showed (earlier ones, shadowed) that now come after it would win instead, so they go.
   */
  private settleOneofs(out: FieldNode[], next: readonly FieldNode[], type: Type, path: string): void {
    for (const o of type.oneofsArray) {
      if (o.fieldsArray.length < 2) continue;
      const members = new Set(o.fieldsArray.map((f) => f.id));
      const set = [...next].reverse().find((n) => n.field !== null && members.has(n.fieldNumber));
      if (!set) continue;
      let at = -1;
      for (let i = 0; i < out.length; i++) if (out[i].field !== null && out[i].fieldNumber === set.fieldNumber) at = i;
      for (let i = out.length - 1; i > at && at >= 0; i--) {
        const n = out[i];
        if (n.field !== null && members.has(n.fieldNumber) && n.fieldNumber !== set.fieldNumber) {
          this.remove(out, n, this.childPath(path, n.field, false), true);
        }
      }
    }
  }
}
