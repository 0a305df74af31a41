/**
 * The columnar walk must meet exactly the nodes the node tree holds, in the same order, with the
 * same numbers, kinds, spans and values: views find a walked node again in the tree by its path.
 */
import type { Type } from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { rawMessageGenerator } from '../../testing/raw-message-generator';
import { testRoot } from '../../testing/field-shapes-schema';
import { checkedMessageOf, decodeMessage, decodeMessageSteps, rootLevelOf, rootNodeAt } from './decode';
import { walkableOf, type CheckedMessage } from './materialize';
import type { FieldNode } from './model';
import { NodeKind, NodeWalk, hasFields } from './node-walk';

const root = testRoot();
const Outer = root.lookupType('test.Outer');

/** One node as both readings describe it. */
interface Seen {
  depth: number;
  index: number;
  number: number;
  wireType: number;
  kind: string;
  field: string | null;
  span: [number, number, number];
  value: unknown;
  endTag?: number;
}

const KIND_NAMES = ['scalar', 'packed', 'message', 'map-entry', 'group', 'unknown', 'unknown-group'];

/** The node tree in tree order. */
function fromTree(fields: readonly FieldNode[], depth = 0, out: Seen[] = []): Seen[] {
  fields.forEach((n, index) => {
    const v = n.value;
    let kind: string;
    let value: unknown = null;
    let children: readonly FieldNode[] | null = null;
    let endTag: number | undefined;
    if (v.kind === 'scalar') {
      kind = 'scalar';
      value = v.value;
    } else if (v.kind === 'packed') {
      kind = 'packed';
      value = v.elements.map((e) => e.value);
    } else if (v.kind === 'message') {
      kind = v.mapEntry ? 'map-entry' : v.group ? 'group' : 'message';
      children = v.fields;
      if (v.group) endTag = v.endTagStart ?? -1;
    } else if (v.kind === 'unknown') {
      if (Array.isArray(v.raw)) {
        kind = 'unknown-group';
        children = v.raw as readonly FieldNode[];
        endTag = v.endTagStart ?? -1;
      } else {
        kind = 'unknown';
        value = v.raw;
      }
    } else {
      throw new Error(`unexpected ${v.kind} node in a checked message`);
    }
    const s = n.span!;
    out.push({
      depth,
      index,
      number: n.fieldNumber,
      wireType: n.wireType,
      kind,
      field: n.field?.name ?? null,
      span: [s.tagStart, s.valueStart, s.end],
      value,
      ...(endTag !== undefined ? { endTag } : {}),
    });
    if (children) fromTree(children, depth + 1, out);
  });
  return out;
}

/** The same, read by the columnar walk. */
function fromWalk(checked: CheckedMessage, reused?: NodeWalk): Seen[] {
  const out: Seen[] = [];
  const w = reused ? reused.reset(checked) : new NodeWalk(checked);
  while (w.next()) {
    let value: unknown = null;
    if (w.kind === NodeKind.SCALAR) value = w.value();
    else if (w.kind === NodeKind.PACKED) {
      const els: unknown[] = [];
      w.eachElement((e) => els.push(e));
      expect(els.length).toBe(w.elements);
      value = els;
    } else if (w.kind === NodeKind.UNKNOWN) {
      const b = checked.ctx.buf;
      if (w.wireType === 2) value = b.subarray(w.valueStart, w.end);
      else value = unknownScalar(b, w.wireType, w.valueStart);
    }
    const isGroup = w.kind === NodeKind.GROUP || w.kind === NodeKind.UNKNOWN_GROUP;
    out.push({
      depth: w.depth,
      index: w.index,
      number: w.fieldNumber,
      wireType: w.wireType,
      kind: KIND_NAMES[w.kind],
      field: w.field?.field.name ?? null,
      span: [w.tagStart, w.valueStart, w.end],
      value,
      ...(isGroup ? { endTag: w.endTagStart } : {}),
    });
    expect(hasFields(w.kind)).toBe(w.kind >= NodeKind.MESSAGE && w.kind !== NodeKind.UNKNOWN);
  }
  return out;
}

/** An unknown varint or fixed value as the tree holds it (bigint for varint and i64, number for i32). */
function unknownScalar(b: Uint8Array, wt: number, at: number): bigint | number {
  const dv = new DataView(b.buffer, b.byteOffset);
  if (wt === 5) return dv.getUint32(at, true);
  if (wt === 1) return dv.getBigUint64(at, true);
  let v = 0n;
  let shift = 0n;
  for (let p = at; ; p++, shift += 7n) {
    v |= BigInt(b[p] & 0x7f) << shift;
    if (b[p] < 0x80) break;
  }
  return BigInt.asUintN(64, v);
}

/** Decodes and compares both readings; false when the bytes are not a valid message of the type. */
function same(bytes: Uint8Array, type: Type | null): boolean {
  let checked: CheckedMessage | null;
  let tree: Seen[];
  try {
    const m = decodeMessage(bytes, type, { expandAny: false });
    checked = checkedMessageOf(m);
    tree = fromTree(m.fields);
  } catch {
    return false;
  }
  expect(checked).not.toBeNull();
  expect(fromWalk(checked!)).toEqual(tree);
  return true;
}

describe('NodeWalk', () => {
  it('meets the nodes of every field shape of a schema in tree order', () => {
    const msg = Outer.fromObject({
      name: 'n',
      participants: [{ name: 'a', id: 1, emails: ['x', 'y'] }, {}],
      nums: [1, -2, 300],
      unpacked: [4, 5],
      counts: { a: 1, b: 2 },
      people: { 7: { name: 'p' } },
      grp: { a: 8, b: 'g' },
      who: { name: 'w' },
      color: 2,
      child: { name: 'c', child: { nums: [9] } },
      colors: [0, 1, 2],
      scalars: { d: 1.5, f: 2.5, i64: '-5', u64: '18446744073709551615', s64: '-9', fx64: '7', sf64: '-7', b: true, s: 'é', by: [1, 2] },
      big: ['-1', '9007199254740993'],
    });
    expect(same(Outer.encode(msg).finish(), Outer)).toBe(true);
  });

  it('agrees with the tree on random messages, with a schema and without', () => {
    let compared = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const gen = rawMessageGenerator(seed);
      const bytes = gen.message();
      expect(same(bytes, null)).toBe(true);
      if (same(bytes, Outer)) compared++;
    }
    // Random field numbers and wire types: many hit Outer's fields with the wrong wire type or malformed nested bytes.
    expect(compared).toBeGreaterThan(100);
  });

  it('reads each message afresh when one walker is reset from message to message, even left mid-walk', () => {
    const shared = new NodeWalk(checkedMessageOf(decodeMessage(new Uint8Array(0), Outer))!);
    let compared = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const bytes = rawMessageGenerator(seed).message();
      const m = decodeMessage(bytes, null);
      const checked = checkedMessageOf(m)!;
      // Leave the shared walker somewhere inside the previous message (deep levels open), then reuse it.
      expect(fromWalk(checked, shared)).toEqual(fromTree(m.fields));
      shared.reset(checked);
      for (let i = 0; i < seed % 7 && shared.next(); i++);
      compared++;
    }
    // Messages from separate buffers and from one buffer: the reader follows the bytes it is given.
    const stream = Outer.encode(Outer.fromObject({ child: { name: 'c' }, nums: [1, 2] })).finish();
    const twice = new Uint8Array([...stream, ...stream]);
    for (const part of [twice.subarray(0, stream.length), twice.subarray(stream.length)]) {
      const m = decodeMessage(part, Outer);
      expect(fromWalk(checkedMessageOf(m)!, shared)).toEqual(fromTree(m.fields));
    }
    expect(compared).toBe(200);
  });

  it('skips a node’s fields when asked, and goes on after them', () => {
    const bytes = Outer.encode(Outer.fromObject({ child: { name: 'c', child: { name: 'd' } }, color: 1 })).finish();
    const w = new NodeWalk(checkedMessageOf(decodeMessage(bytes, Outer))!);
    const seen: string[] = [];
    while (w.next()) {
      seen.push(`${w.depth}:${w.field?.name}`);
      if (w.depth === 1 && w.kind === NodeKind.MESSAGE) w.skip();
    }
    expect(seen).toEqual(['0:color', '0:child', '1:name', '1:child']);
  });

  it('walks a lazily decoded message once its bytes are checked, and refuses malformed or Any-holding ones', () => {
    const good = Outer.encode(Outer.fromObject({ child: { name: 'c', participants: [{ name: 'p' }], grp: { a: 1 } } })).finish();
    const lazy = decodeMessage(good, Outer, { lazy: true });
    const child = lazy.fields[0];
    const walkable = walkableOf(child);
    expect(walkable).not.toBeNull();
    expect(fromWalk(walkable!)).toEqual(fromTree((child.value as { fields: readonly FieldNode[] }).fields, 0));

    // A nested message whose length runs past its parent: a lazy decode finds out only when it reads it.
    const bad = Uint8Array.from([0x72, 0x03, 0x12, 0x05, 0x0a]);
    const broken = decodeMessage(bad, Outer, { lazy: true, partial: true }).fields[0];
    expect(walkableOf(broken)).toBeNull();

    const anyHolder = Outer.encode(
      Outer.fromObject({
        child: {
          any: { type_url: 'type.googleapis.com/test.Person', value: root.lookupType('test.Person').encode({ name: 'x' }).finish() },
        },
      }),
    ).finish();
    expect(walkableOf(decodeMessage(anyHolder, Outer, { lazy: true }).fields[0])).toBeNull();
    expect(walkableOf(decodeMessage(anyHolder, Outer, { lazy: true, expandAny: false }).fields[0])).not.toBeNull();
  });
});

describe('rootLevelOf', () => {
  it('reads the top level as the root’s fields hold it, and builds one field alone', () => {
    let compared = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const bytes = rawMessageGenerator(seed).message();
      for (const type of [Outer, null]) {
        let fields: readonly FieldNode[];
        try {
          fields = decodeMessage(bytes, type, { lazy: true }).fields;
        } catch {
          continue;
        }
        const root = decodeMessage(bytes, type, { lazy: true });
        const level = rootLevelOf(root)!;
        expect(level.count).toBe(fields.length);
        for (let i = 0; i < fields.length; i++) {
          expect([level.starts[i], level.numberAt(i), level.knownAt(i)]).toEqual([
            fields[i].span!.tagStart,
            fields[i].fieldNumber,
            fields[i].field !== null,
          ]);
          const alone = rootNodeAt(root, level, i);
          // A lazily decoded nested message that is malformed throws when read: the same for both.
          const read = (n: FieldNode) => {
            try {
              return fromTree([n]);
            } catch (e) {
              return String(e);
            }
          };
          expect(read(alone)).toEqual(read(fields[i]));
          expect(rootNodeAt(root, level, i)).toBe(alone); // recently built nodes are kept: rows of a page share them
        }
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(250);
  });

  it('is what decodeMessageSteps returns too, without building the top level', () => {
    const bytes = Outer.encode(Outer.fromObject({ name: 'n', participants: [{ name: 'a' }, { name: 'b' }], nums: [1, 2] })).finish();
    const steps = decodeMessageSteps(bytes, Outer, { lazy: true }, 1);
    let r = steps.next();
    let yields = 0;
    for (; !r.done; r = steps.next()) yields++;
    expect(yields).toBe(3); // four top-level fields, one per step
    const root = r.value;
    const level = rootLevelOf(root)!;
    expect(Array.from({ length: level.count }, (_, i) => level.numberAt(i))).toEqual([1, 2, 2, 3]);
    expect(fromTree(root.fields)).toEqual(fromTree(decodeMessage(bytes, Outer).fields));
    expect(rootNodeAt(root, level, 1)).toBe(root.fields[1]); // once built, the root's own nodes
  });

  it('is null where the top level holds a tolerant stop, or for an Any root', () => {
    const bad = Uint8Array.from([0x0a, 0x01, 0x41, 0x10]); // name, then a varint tag with no value
    expect(rootLevelOf(decodeMessage(bad, Outer, { partial: true }))).toBeNull();
    expect(rootLevelOf({ type: Outer, fields: [], modified: false })).toBeNull();
  });
});
