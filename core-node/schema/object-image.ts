/**
 * A JSON image of an object graph: every object reachable from a root, with its prototype (a
 * named class, or another object of the graph), its own properties in order, shared references,
 * cycles and frozen objects kept. Restoring it builds the same graph without running the code
 * that made it: the bundled schemas are loaded from such an image instead of parsing their
 * .proto text at every start (see bundled-image.ts).
 *
 * Only plain data is allowed: own enumerable writable data properties with string keys,
 * primitives, dense arrays, Maps, and objects whose prototype is in the class table. Anything
 * else (functions, accessors, symbols, sparse arrays, sealed objects) is refused when the image
 * is made, naming where, so an image never restores to something different from its source.
 */

/** The class table: a name for each prototype an image may use. */
export type PrototypeTable = Readonly<Record<string, object | null>>;

/** Shared singletons (frozen empty arrays and objects of a library) kept by identity, by name. */
export type SingletonTable = Readonly<Record<string, object>>;

/**
 * The serialized graph, flat so that parsing it allocates little besides the objects restored:
 * objects are numbered from 0 (the root), each taking four numbers in `heads` and one value per
 * property (array element, Map key and value) in `kinds` and `values`.
 */
export interface ObjectImage {
  format: 'protodesk-object-image/2';
  /** Prototype names used, by index. */
  prototypes: string[];
  /** Property-name lists shared by objects of the same shape, by index. */
  shapes: string[][];
  /** Every string value, once. */
  strings: string[];
  /**
   * Per object: prototype (an index into `prototypes`, or -1 - i for object i, always an earlier
   * one), flags (1 frozen), shape (an index into `shapes`; -1 an array, -2 a Map, whose values are
   * key, value, ...), and its number of values.
   */
  heads: number[];
  /**
   * One letter per value: r an object (value: its index), s a string (value: index into
   * `strings`), v the value itself (a finite number, a boolean or null), u undefined, n a number
   * JSON cannot hold (value: "NaN", "Infinity", "-Infinity" or "-0" in `strings`), g a singleton
   * (value: its name in `strings`).
   */
  kinds: string;
  values: (number | boolean | null)[];
}

const FROZEN = 1;
const ARRAY = -1;
const MAP = -2;

/** Makes the image of everything reachable from `root`; throws naming the path of anything it cannot keep. */
export function makeObjectImage(root: object, prototypes: PrototypeTable, singletons: SingletonTable = {}): ObjectImage {
  const protoNames = new Map<object | null, string>();
  for (const [name, proto] of Object.entries(prototypes)) protoNames.set(proto, name);
  const singletonNames = new Map<object, string>();
  for (const [name, o] of Object.entries(singletons)) singletonNames.set(o, name);
  const protoIndex = new Map<string, number>();
  const shapeIndex = new Map<string, number>();
  const stringIndex = new Map<string, number>();
  const image: ObjectImage = {
    format: 'protodesk-object-image/2',
    prototypes: [],
    shapes: [],
    strings: [],
    heads: [],
    kinds: '',
    values: [],
  };
  const kinds: string[] = [];
  /** Each object's values, written after all objects are numbered. */
  const bodies: { kinds: string[]; values: (number | boolean | null)[] }[] = [];
  const ids = new Map<object, number>();

  const fail = (path: string, what: string): never => {
    throw new Error(`object image: ${path}: ${what}`);
  };
  const str = (s: string): number => {
    let i = stringIndex.get(s);
    if (i === undefined) {
      i = image.strings.push(s) - 1;
      stringIndex.set(s, i);
    }
    return i;
  };
  const value = (v: unknown, path: string, body: (typeof bodies)[number]): void => {
    if (v === undefined) {
      body.kinds.push('u');
      body.values.push(0);
    } else if (typeof v === 'string') {
      body.kinds.push('s');
      body.values.push(str(v));
    } else if (v === null || typeof v === 'boolean') {
      body.kinds.push('v');
      body.values.push(v);
    } else if (typeof v === 'number') {
      const plain = Number.isFinite(v) && !Object.is(v, -0);
      body.kinds.push(plain ? 'v' : 'n');
      body.values.push(plain ? v : str(Object.is(v, -0) ? '-0' : String(v)));
    } else if (typeof v === 'object') {
      const single = singletonNames.get(v);
      body.kinds.push(single !== undefined ? 'g' : 'r');
      body.values.push(single !== undefined ? str(single) : visit(v, path));
    } else fail(path, `a ${typeof v} cannot be kept`);
  };
  const prototypeRef = (o: object, path: string): number => {
    const proto = Object.getPrototypeOf(o) as object | null;
    const name = protoNames.get(proto);
    if (name !== undefined) {
      let i = protoIndex.get(name);
      if (i === undefined) {
        i = image.prototypes.push(name) - 1;
        protoIndex.set(name, i);
      }
      return i;
    }
    if (proto === null) return fail(path, 'an object without prototype is not in the class table');
    if (singletonNames.has(proto)) return fail(path, 'a singleton as prototype cannot be kept');
    return -1 - visit(proto, `${path}.<prototype>`);
  };
  const visit = (o: object, path: string): number => {
    const known = ids.get(o);
    if (known !== undefined) return known;
    // The prototype first, so that restoring can create it before the objects that inherit from it.
    const proto = prototypeRef(o, path);
    const again = ids.get(o);
    if (again !== undefined) return again;
    const id = bodies.length;
    ids.set(o, id);
    const body: (typeof bodies)[number] = { kinds: [], values: [] };
    bodies.push(body);
    const head = [proto, 0, 0, 0];
    image.heads.push(...head);
    if (Object.isFrozen(o)) image.heads[id * 4 + 1] = FROZEN;
    else if (!Object.isExtensible(o)) fail(path, 'a sealed or non-extensible object cannot be kept');
    let shape: number;
    if (Array.isArray(o)) {
      shape = ARRAY;
      if (Object.getPrototypeOf(o) !== Array.prototype) fail(path, 'an array of another class');
      if (Object.keys(o).length !== o.length || Reflect.ownKeys(o).length !== o.length + 1)
        fail(path, 'a sparse array or an array with extra properties');
      for (let i = 0; i < o.length; i++) value(o[i], `${path}[${i}]`, body);
    } else if (o instanceof Map) {
      shape = MAP;
      if (Object.getPrototypeOf(o) !== Map.prototype || Reflect.ownKeys(o).length)
        fail(path, 'a Map of another class or with own properties');
      for (const [k, v] of o as Map<unknown, unknown>) {
        value(k, `${path}.<key>`, body);
        value(v, `${path}.get(${String(k)})`, body);
      }
    } else {
      const keys: string[] = [];
      for (const k of Reflect.ownKeys(o)) {
        if (typeof k === 'symbol') fail(path, `symbol key ${String(k)}`);
        const d = Object.getOwnPropertyDescriptor(o, k)!;
        const where = `${path}.${String(k)}`;
        if (d.get || d.set) fail(where, 'an accessor cannot be kept');
        if (!d.enumerable) fail(where, 'a non-enumerable property cannot be kept');
        if (!Object.isFrozen(o) && (!d.writable || !d.configurable)) fail(where, 'a read-only property cannot be kept');
        if (inheritedAccessor(o, k as string)) fail(where, 'shadows an inherited accessor');
        keys.push(k as string);
        value(d.value, where, body);
      }
      const sig = keys.join('\u0000');
      let s = shapeIndex.get(sig);
      if (s === undefined) {
        s = image.shapes.push(keys) - 1;
        shapeIndex.set(sig, s);
      }
      shape = s;
    }
    image.heads[id * 4 + 2] = shape;
    image.heads[id * 4 + 3] = body.values.length;
    return id;
  };
  visit(root, '<root>');
  for (const b of bodies) {
    kinds.push(...b.kinds);
    for (const v of b.values) image.values.push(v);
  }
  image.kinds = kinds.join('');
  return image;
}

function inheritedAccessor(o: object, key: string): boolean {
  for (let p = Object.getPrototypeOf(o) as object | null; p; p = Object.getPrototypeOf(p) as object | null) {
    const d = Object.getOwnPropertyDescriptor(p, key);
    if (d) return Boolean(d.get || d.set);
  }
  return false;
}

/**
 * Objects given more properties than this one by one through computed keys (`o[k] = v`) fall
 * into V8's slow dictionary mode (over 12 beyond the 4 an empty object holds in itself), where
 * they take twice the memory and every read is a hash lookup; objects built by a constructor
 * (`this.name = ...`) stay fast. Bigger shapes that several objects share (protobufjs's fields,
 * types, enums) are filled through a setter made for the shape.
 */
const MAX_KEYED = 14;

type Setter = (o: object, values: readonly unknown[]) => void;

/**
 * A function setting the given keys in order from `values`, each by name (`o["name"] = v[0]`),
 * which V8 treats as a constructor's stores. Only property names go into its text, each written
 * as a JSON string literal, so no name can become code.
 */
function namedSetter(keys: readonly string[]): Setter {
  const body = keys.map((k, j) => `o[${JSON.stringify(k)}] = v[${j}];`).join('\n');
  return new Function('o', 'v', body) as Setter;
}

/** Rebuilds the graph of an image; returns its root. Throws when the image names a prototype or singleton the tables lack. */
export function restoreObjectImage(image: ObjectImage, prototypes: PrototypeTable, singletons: SingletonTable = {}): unknown {
  if (image.format !== 'protodesk-object-image/2') throw new Error(`object image: unknown format ${String(image.format)}`);
  const protos = image.prototypes.map((name) => {
    if (!Object.hasOwn(prototypes, name)) throw new Error(`object image: unknown prototype ${name}`);
    return prototypes[name];
  });
  const { heads, shapes, strings, kinds, values } = image;
  const count = heads.length / 4;
  const made: object[] = new Array<object>(count);
  for (let i = 0; i < count; i++) {
    const shape = heads[i * 4 + 2];
    if (shape === ARRAY) made[i] = [];
    else if (shape === MAP) made[i] = new Map();
    else {
      const p = heads[i * 4];
      made[i] = Object.create(p >= 0 ? protos[p] : made[-1 - p]) as object;
    }
  }
  const decode = (at: number): unknown => {
    const v = values[at];
    switch (kinds.charCodeAt(at)) {
      case 114: // r
        return made[v as number];
      case 115: // s
        return strings[v as number];
      case 118: // v
        return v;
      case 117: // u
        return undefined;
      case 110: {
        // n
        const s = strings[v as number];
        return s === '-0' ? -0 : Number(s);
      }
      case 103: {
        // g
        const name = strings[v as number];
        if (!Object.hasOwn(singletons, name)) throw new Error(`object image: unknown singleton ${name}`);
        return singletons[name];
      }
      default:
        throw new Error(`object image: unknown value kind ${kinds[at]}`);
    }
  };
  const setters: (Setter | undefined)[] = new Array<Setter | undefined>(shapes.length);
  // Making a setter costs a compile: worth it for shapes many objects share, not for one-offs.
  const uses = new Uint32Array(shapes.length);
  for (let i = 0; i < count; i++) if (heads[i * 4 + 2] >= 0) uses[heads[i * 4 + 2]]++;
  const scratch: unknown[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const shape = heads[i * 4 + 2];
    const n = heads[i * 4 + 3];
    const o = made[i];
    if (shape === ARRAY) {
      const a = o as unknown[];
      for (let j = 0; j < n; j++) a.push(decode(at + j));
    } else if (shape === MAP) {
      const m = o as Map<unknown, unknown>;
      for (let j = 0; j < n; j += 2) m.set(decode(at + j), decode(at + j + 1));
    } else {
      const keys = shapes[shape];
      if (keys.length > MAX_KEYED && uses[shape] > 1) {
        for (let j = 0; j < n; j++) scratch[j] = decode(at + j);
        (setters[shape] ??= namedSetter(keys))(o, scratch);
      } else {
        const r = o as Record<string, unknown>;
        for (let j = 0; j < n; j++) r[keys[j]] = decode(at + j);
      }
    }
    at += n;
  }
  // Frozen last: a frozen object may be the prototype of objects filled above.
  for (let i = 0; i < count; i++) if (heads[i * 4 + 1] === FROZEN) Object.freeze(made[i]);
  return made[0];
}
