/**
 * Expand all reads decoded subtrees from their bytes (expandsAll): its rows must be the rows the
 * object walk gives, node for node, and build no node object until a row is asked for.
 */
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../document/decode';
import type { FieldNode, MessageRoot } from '../document/model';
import { rawMessageGenerator } from '../../testing/raw-message-generator';
import { testRoot } from '../../testing/field-shapes-schema';
import { FlatRows, Flattener } from './flat-rows';

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

  it('keeps 8 bytes a row, no reference column, when no row holds an object', () => {
    const view = decodeMessage(sample, Outer, { lazy: true });
    const rows = flatten(view, true);
    expect(rows.length).toBeGreaterThan(30);
    expect(rows.columnBytes).toBe(8 * rows.length); // parent and index; columns cut to the rows once the walk is over
  });

  it('mixes rows read from the bytes with an interpretation’s object rows, in both orders', () => {
    // child (read from its bytes), an unknown LEN field interpreted as a Person (object rows), then more bytes-read rows.
    const person = root.lookupType('test.Person');
    const inner = person.encode({ name: 'in', id: 5, emails: ['e'] }).finish();
    const before = Outer.encode(Outer.fromObject({ child: { name: 'c', nums: [1, 2] } })).finish();
    const after = Outer.encode(Outer.fromObject({ participants: [{ name: 'p', emails: ['q'] }], nums: [7, 8, 9] })).finish();
    const bytes = Uint8Array.from([...before, 0xc2, 0x06, inner.length, ...inner, ...after]); // field 104 (unknown), LEN
    const interpretation = decodeMessage(inner, person).fields;
    const walk = (expandsAll: boolean) => {
      const f = new Flattener(decodeMessage(bytes, Outer, { lazy: true }), {
        expandsAll,
        isExpanded: () => true,
        interpretedChildren: (rows, row) => (rows.node(row).fieldNumber === 104 ? interpretation : undefined),
      });
      while (!f.run(3));
      return f.rows;
    };
    const rows = walk(true);
    expect(describeRows(rows)).toEqual(describeRows(walk(false)));
    const unknown = rows.find([1]);
    expect(rows.node(unknown).fieldNumber).toBe(104);
    // The interpretation's rows are its own nodes; the rows after it are found through their parents again.
    expect(rows.node(unknown + 1)).toBe(interpretation[0]);
    expect(rows.entry(unknown + 3).node).toBe(interpretation[2]);
    const last = rows.length - 1;
    expect([rows.path(last), rows.isElement(last), rows.entry(last).element?.value.value]).toEqual([[3, 2], true, 9]);
    for (let r = 0; r < rows.length; r++) expect(rows.find(rows.path(r))).toBe(r);
  });
});

describe('FlatRows', () => {
  const bytes = Outer.encode(Outer.fromObject({ name: 'n', nums: [4, 5], participants: [{ name: 'a' }] })).finish();

  it('finds a row’s node after object rows come and go, and after the columns are cut to size', () => {
    const view = decodeMessage(bytes, Outer);
    const [name, participant, nums] = view.fields;
    const rows = new FlatRows((i) => view.fields[i]);
    rows.pushThroughParent(-1, 0, false);
    rows.pushThroughParent(-1, 2, false);
    rows.pushThroughParent(1, 0, true);
    rows.push(nums, 1, 1, true); // an object row after rows found through their parents
    expect([rows.node(0), rows.node(2), rows.node(3)]).toEqual([name, nums, nums]);
    expect(rows.entry(3).element).toEqual({ index: 1, value: nums.value.kind === 'packed' && nums.value.elements[1] });
    rows.truncate(3); // the object row goes: the rest are found through their parents
    rows.trim();
    expect(rows.columnBytes).toBe(8 * 3);
    expect([rows.node(0), rows.node(1), rows.node(2)]).toEqual([name, nums, nums]);
    const p = rows.pushThroughParent(-1, 1, false); // rows go on after the cut
    const child = rows.push(participant.value.kind === 'message' ? participant.value.fields[0] : participant, p, 0, false);
    rows.trim();
    expect(rows.node(child).field?.name).toBe('name');
    expect(rows.node(p)).toBe(participant);
    expect([rows.path(2), rows.path(child), rows.find([2, 1]), rows.find([1, 0])]).toEqual([[2, 0], [1, 0], -1, child]);
  });

  it('refuses a negative index (the sign marks a packed element)', () => {
    expect(() => new FlatRows().pushThroughParent(-1, -1, false)).toThrow(/index must be 0 or more/);
  });
});
