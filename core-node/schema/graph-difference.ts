/**
 * Where two object graphs differ, for the tests that prove a restored image (object-image.ts)
 * is the graph it was made from: same prototypes, same own properties in the same order with
 * the same attributes, same frozen state, same primitive values, and the same sharing (each
 * object of one graph pairs with exactly one object of the other).
 */

/**
 * The path of the first difference between the graphs reachable from `a` and `b`, with what
 * differs; null when they are the same. `samePrototype` says whether two prototypes outside the
 * graphs count as equal (default: identical).
 */
export function graphDifference(
  a: unknown,
  b: unknown,
  samePrototype: (pa: object | null, pb: object | null) => boolean = Object.is,
): string | null {
  const pairs = new Map<object, object>();
  const back = new Map<object, object>();
  const stack: [unknown, unknown, string][] = [[a, b, '<root>']];
  while (stack.length) {
    const [x, y, path] = stack.pop()!;
    if (typeof x !== typeof y) return `${path}: ${typeof x} vs ${typeof y}`;
    if (x === null || y === null || typeof x !== 'object') {
      if (typeof x === 'function') return x === y ? null : `${path}: different functions`;
      if (!Object.is(x, y)) return `${path}: ${String(x)} vs ${String(y)}`;
      continue;
    }
    const ox = x;
    const oy = y as object;
    const seen = pairs.get(ox);
    if (seen !== undefined || back.has(oy)) {
      if (seen !== oy || back.get(oy) !== ox) return `${path}: shared differently`;
      continue;
    }
    pairs.set(ox, oy);
    back.set(oy, ox);
    const px = Object.getPrototypeOf(ox) as object | null;
    const py = Object.getPrototypeOf(oy) as object | null;
    if (pairs.has(px as object) || back.has(py as object)) {
      if (pairs.get(px as object) !== py) return `${path}: prototypes differ`;
    } else if (!samePrototype(px, py)) {
      // A prototype that is itself part of the graph (an enum's values) is compared as an object.
      if (px === null || py === null) return `${path}: prototypes differ`;
      stack.push([px, py, `${path}.<prototype>`]);
    }
    if (Object.isFrozen(ox) !== Object.isFrozen(oy)) return `${path}: frozen ${Object.isFrozen(ox)} vs ${Object.isFrozen(oy)}`;
    if (Array.isArray(ox) !== Array.isArray(oy)) return `${path}: array vs not`;
    if (ox instanceof Map || oy instanceof Map) {
      if (!(ox instanceof Map && oy instanceof Map)) return `${path}: Map vs not`;
      if (ox.size !== oy.size) return `${path}: Map sizes ${ox.size} vs ${oy.size}`;
      const ex = [...(ox as Map<unknown, unknown>)];
      const ey = [...(oy as Map<unknown, unknown>)];
      ex.forEach(([k, v], i) => {
        stack.push([k, ey[i][0], `${path}.<key ${i}>`], [v, ey[i][1], `${path}.get(${String(k)})`]);
      });
    }
    const kx = Reflect.ownKeys(ox);
    const ky = Reflect.ownKeys(oy);
    if (kx.length !== ky.length || kx.some((k, i) => k !== ky[i]))
      return `${path}: keys [${kx.map(String).join(',')}] vs [${ky.map(String).join(',')}]`;
    for (const k of kx) {
      const dx = Object.getOwnPropertyDescriptor(ox, k)!;
      const dy = Object.getOwnPropertyDescriptor(oy, k)!;
      const where = `${path}.${String(k)}`;
      if (dx.enumerable !== dy.enumerable || dx.writable !== dy.writable || dx.configurable !== dy.configurable)
        return `${where}: attributes differ`;
      if (Boolean(dx.get || dx.set) !== Boolean(dy.get || dy.set)) return `${where}: accessor vs value`;
      stack.push([dx.value, dy.value, where]);
    }
  }
  return null;
}
