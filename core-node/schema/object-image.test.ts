import { describe, expect, it } from 'vitest';
import { graphDifference } from './graph-difference';
import { makeObjectImage, restoreObjectImage } from './object-image';

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
});
