/**
 * Expand all reads decoded subtrees from their bytes (expandsAll): its rows must be the rows the
 * object walk gives, node for node, and build no node object until a row is asked for.
 */
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../document/decode';
import type { FieldNode, MessageRoot } from '../document/model';
import { rawMessageGenerator } from '../../testing/raw-message-generator';
import { testRoot } from '../../testing/field-shapes-schema';
import { Flattener, type FlatRows } from './flat-rows';

const root = testRoot();
const Outer = root.lookupType('test.Outer');

/** Walks every node expanded, columnar or as objects. */
function flatten(view: MessageRoot, expandsAll: boolean): FlatRows {
  const f = new Flattener(view, { expandsAll, isExpanded: () => true, interpretedChildren: () => undefined });
  while (!f.run(7)); // small budgets: the walk resumes mid-subtree
  return f.rows;
}

/** Each row as the renderer's row builder reads it: path, depth, node id and span, element index. */
function describeRows(rows: FlatRows): unknown[] {
  const out: unknown[] = [];
  for (let r = 0; r < rows.length; r++) {
    const e = rows.entry(r);
    out.push({
      path: rows.path(r).join('.'),
      depth: e.depth,
      id: e.node.id,
      span: e.node.span,
      element: e.element?.index,
      value: e.element?.value,
    });
    expect(rows.node(r)).toBe(e.node);
  }
  return out;
}

const sample = Outer.encode(
  Outer.fromObject({
    name: 'n',
    participants: [{ name: 'a', id: 1, emails: ['x', 'y'] }, {}],
    nums: [1, -2, 300],
    counts: { a: 1, b: 2 },
    people: { 7: { name: 'p' } },
    grp: { a: 8, b: 'g' },
    child: { name: 'c', child: { nums: [9], grp: {} } },
    big: ['-1', '9007199254740993'],
  }),
).finish();

describe('Flattener with every node expanded', () => {
  it('gives the object walk’s rows, eager and lazy, with a schema and without', () => {
    for (const lazy of [false, true]) {
      for (const type of [Outer, null]) {
        const a = describeRows(flatten(decodeMessage(sample, type, { lazy }), true));
        const b = describeRows(flatten(decodeMessage(sample, type, { lazy }), false));
        expect(a).toEqual(b);
        expect(a.length).toBeGreaterThan(type ? 30 : 5); // without a schema, LEN fields are bytes (no children)
      }
    }
  });

  it('gives the same rows on random messages (groups, unknown fields, wrong wire types)', () => {
    let compared = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const bytes = rawMessageGenerator(seed).message();
      for (const type of [Outer, null]) {
        let a: unknown[];
        try {
          a = describeRows(flatten(decodeMessage(bytes, type, { lazy: true }), true));
        } catch {
          continue; // not a valid message of the type
        }
        expect(a).toEqual(describeRows(flatten(decodeMessage(bytes, type, { lazy: true }), false)));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(250);
  });

  it('builds no node below the top level until a row is asked for', () => {
    const view = decodeMessage(sample, Outer, { lazy: true });
    const child = view.fields.find((n) => n.field?.name === 'child')!;
    const rows = flatten(view, true);
    // A lazily decoded message's fields are read (and kept) on first access: a spy on that access.
    let reads = 0;
    const value = child.value as { fields: readonly FieldNode[] };
    const get = Object.getOwnPropertyDescriptor(value, 'fields')!.get!;
    Object.defineProperty(value, 'fields', {
      get() {
        reads++;
        return get.call(this);
      },
    });
    const childRow = rows.find([view.fields.indexOf(child)]);
    expect(reads).toBe(0);
    const grandChild = rows.node(childRow + 1);
    expect(reads).toBe(1);
    expect(grandChild.field?.name).toBe('name');
  });

  it('reads a collapsed top level from its bytes: nodes only for the rows asked for', () => {
    const bytes = Outer.encode(Outer.fromObject({ participants: Array.from({ length: 50 }, (_, i) => ({ name: `p${i}` })) })).finish();
    const view = decodeMessage(bytes, Outer, { lazy: true });
    let built = 0;
    const get = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(view), 'fields')!.get!; // the root's getter, counted
    Object.defineProperty(view, 'fields', {
      get() {
        built++;
        return get.call(this);
      },
    });
    const f = new Flattener(view, { isExpanded: (rows, row) => rows.path(row).join('.') === '7', interpretedChildren: () => undefined });
    while (!f.run(5));
    expect(f.rows.length).toBe(51); // 50 participants, the eighth expanded to its name
    expect(built).toBe(0);
    const e = f.rows.entry(8);
    expect([e.depth, e.node.field?.name, e.node.value.kind === 'scalar' && e.node.value.value]).toEqual([1, 'name', 'p7']);
    expect(f.rows.node(50).span!.tagStart).toBe(bytes.length - 7); // the last participant: 12 05 0a 03 "p49"
    expect(built).toBe(0);
  });

  it('walks the object tree for an edited or malformed subtree', () => {
    const bad = Uint8Array.from([0x72, 0x03, 0x12, 0x05, 0x0a]); // child's first field runs past child
    const view = decodeMessage(bad, Outer, { lazy: true, partial: true });
    const rows = describeRows(flatten(view, true));
    expect(rows).toEqual(describeRows(flatten(decodeMessage(bad, Outer, { lazy: true, partial: true }), false)));
    expect(rows.length).toBe(2); // child, and its unread rest as raw bytes
  });
});
