import { describe, expect, it } from 'vitest';
import { graphDifference } from './graph-difference';
import { makeObjectImage, restoreObjectImage, restoreObjectImageSections, splitObjectImage, type SectionOf } from './object-image';

class Thing {
  name = 'x';
  next: Thing | null = null;
}

const PROTOS = { Object: Object.prototype, Array: Array.prototype, Map: Map.prototype, null: null, Thing: Thing.prototype };
const EMPTY = Object.freeze([]);

/** Makes an image, sends it through JSON as the image file does, and restores it. */
function roundTrip(root: object): unknown {
  const image = makeObjectImage(root, PROTOS, { EMPTY });
  return restoreObjectImage(JSON.parse(JSON.stringify(image)) as typeof image, PROTOS, { EMPTY });
}

describe('object images', () => {
  it('restore the same graph: prototypes, key order, sharing, cycles, frozen objects, odd numbers, Maps', () => {
    const a = new Thing();
    const b = new Thing();
    b.name = 'b';
    a.next = b;
    b.next = a;
    const byId = Object.create(null) as Record<string, string>;
    byId['0'] = 'ZERO';
    const values = Object.create(byId) as Record<string, number>;
    values['ZERO'] = 0;
    const many: Record<string, number> = {};
    for (let i = 0; i < 40; i++) many[`k${i}`] = i;
    const root = {
      z: 1,
      a: [a, b, a],
      values,
      byId,
      frozen: Object.freeze({ low: 0, high: 0 }),
      nums: [NaN, Infinity, -Infinity, -0, 1.5, undefined, null, true, 'text'],
      map: new Map<unknown, unknown>([
        ['k', a],
        [b, 2],
      ]),
      empty: EMPTY,
      many,
    };
    const back = roundTrip(root) as typeof root;
    expect(graphDifference(root, back)).toBeNull();
    expect(back.empty).toBe(EMPTY);
    expect(back.a[0]).toBeInstanceOf(Thing);
    expect(back.values['0']).toBe('ZERO');
    expect(Object.keys(back.many)).toEqual(Object.keys(many));
  });

  it('tells a changed graph from the original (the comparison used by the bundled-schema test can fail)', () => {
    const root = { a: { b: [1, 2] }, c: 'x' };
    const back = roundTrip(root) as { a: { b: number[] }; c: string };
    back.a.b[1] = 3;
    expect(graphDifference(root, back)).toBe('<root>.a.b.1: 2 vs 3');
    const reordered = { c: 'x', a: { b: [1, 2] } };
    expect(graphDifference(root, reordered)).toMatch(/keys/);
  });

  it('refuses what it cannot restore, naming where', () => {
    expect(() => makeObjectImage({ f: () => 1 }, PROTOS)).toThrow('<root>.f: a function cannot be kept');
    expect(() => makeObjectImage({ x: new Date(0) }, PROTOS)).toThrow(/<root>\.x.*prototype/);
    const acc = {};
    Object.defineProperty(acc, 'g', { get: () => 1, enumerable: true });
    expect(() => makeObjectImage({ acc }, PROTOS)).toThrow('<root>.acc.g: an accessor cannot be kept');
    // eslint-disable-next-line no-sparse-arrays -- the hole is the point
    expect(() => makeObjectImage({ s: [1, , 3] }, PROTOS)).toThrow(/sparse/);
    expect(() => makeObjectImage({ sealed: Object.seal({ a: 1 }) }, PROTOS)).toThrow(/sealed/);
  });

  it('refuses an image naming a prototype the loader does not know', () => {
    const image = makeObjectImage(new Thing(), PROTOS);
    expect(() => restoreObjectImage(image, { Object: Object.prototype })).toThrow('unknown prototype Thing');
  });

  describe('in sections', () => {
    /** A package (the core) holding definitions from two files; b's refers to a's. */
    class Def {
      constructor(
        public name: string,
        public file: string,
        public uses: Def | null = null,
        public extra = { note: `${name} note` },
      ) {}
    }
    const TABLE = { ...PROTOS, Def: Def.prototype };
    const bySection: SectionOf = (o) => (o instanceof Def ? o.file : o instanceof Map || Array.isArray(o) ? null : undefined);
    const graph = () => {
      const a = new Def('A', 'a.proto');
      const b = new Def('B', 'b.proto', a);
      const c = new Def('C', 'c.proto');
      return { byName: { A: a, B: b, C: c }, list: [a, b, c], cache: new Map<string, Def | null>([['B', b]]) };
    };
    const image = () => JSON.parse(JSON.stringify(makeObjectImage(graph(), TABLE, {}, bySection))) as ReturnType<typeof makeObjectImage>;

    it('record which sections each needs, from the references in the graph', () => {
      const { sections } = image();
      expect(sections!.names).toEqual(['', 'a.proto', 'b.proto', 'c.proto']);
      expect(sections!.needs).toEqual([[], [], [1], []]);
    });

    it('restore a section with what it needs, the core holding only those, then complete to the whole graph', () => {
      const { head, parts } = splitObjectImage(image());
      const asked: number[] = [];
      const part = restoreObjectImageSections(head, (s) => (asked.push(s), parts[s]), TABLE, {}, ['b.proto']);
      const root = part.root as ReturnType<typeof graph>;
      expect(part.whole).toBe(false);
      expect([...part.restored].sort()).toEqual(['', 'a.proto', 'b.proto']);
      expect(asked.sort()).toEqual([0, 1, 2]); // c.proto's part is not even read
      expect(Object.keys(root.byName)).toEqual(['A', 'B']);
      expect(root.list.map((d) => d.name)).toEqual(['A', 'B']);
      const b = root.byName.B;
      expect(b.uses).toBe(root.byName.A);
      expect(b.extra).toEqual({ note: 'B note' });
      root.cache.set('C', null); // something remembered while C was missing

      part.complete();
      expect(part.whole).toBe(true);
      expect(graphDifference(graph(), part.root)).toBeNull();
      expect((part.root as ReturnType<typeof graph>).byName.B).toBe(b);
    });

    it('refuse a section the image does not have', () => {
      const { head, parts } = splitObjectImage(image());
      expect(() => restoreObjectImageSections(head, (s) => parts[s], TABLE, {}, ['d.proto'])).toThrow('no section d.proto');
    });
  });
});
