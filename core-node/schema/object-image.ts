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
  /**
   * Present when the image was made with a `sectionOf` function: the graph split into sections
   * that can be restored on their own (restoreObjectImageSections). Section 0 (named '') is the
   * core, always restored. Objects are numbered section by section: section s holds objects
   * objects[s] to objects[s + 1] - 1, whose values start at values[s]. `needs[s]` lists the
   * sections that section s's objects refer to (directly). Only core objects refer across
   * sections freely: restored without a section, they lack the references into it until completed.
   */
  sections?: ImageSections;
}

/** How an image is split into sections (see ObjectImage.sections). */
export interface ImageSections {
  names: string[];
  needs: number[][];
  objects: number[];
  values: number[];
  /** Where each section's own strings and shapes start (ending where the next section's start); those before strings[0] are shared. */
  strings: number[];
  shapes: number[];
}

/** One section's objects, as in ObjectImage: four numbers each in `heads`, their values in `kinds` and `values`. */
export interface ImagePart {
  heads: number[];
  kinds: string;
  values: (number | boolean | null)[];
  /** The strings and shapes only this section uses. */
  strings: string[];
  shapes: string[][];
}

/** An image without its objects: what restoring needs besides the parts. */
export type ImageHead = Omit<ObjectImage, 'heads' | 'kinds' | 'values'>;

/**
 * Which section an object belongs to, while an image is made: a name (the object starts or is
 * in that section), null (the core), or undefined (the section of the object that led to it).
 */
export type SectionOf = (o: object) => string | null | undefined;

const FROZEN = 1;
const ARRAY = -1;
const MAP = -2;

/** Makes the image of everything reachable from `root`; throws naming the path of anything it cannot keep. */
export function makeObjectImage(
  root: object,
  prototypes: PrototypeTable,
  singletons: SingletonTable = {},
  sectionOf?: SectionOf,
): ObjectImage {
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
  /** Each object's section index (with sectionOf), and the section names. */
  const sectionIds: number[] = [];
  const sectionNames: string[] = [''];
  const sectionIndex = new Map<string, number>([['', 0]]);
  /** The section of the object being filled (the referrer of what is visited next). */
  let current = 0;

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
    if (sectionOf) {
      const named = sectionOf(o);
      let sec = current;
      if (named === null) sec = 0;
      else if (named !== undefined) {
        sec = sectionIndex.get(named) ?? -1;
        if (sec < 0) {
          sec = sectionNames.push(named) - 1;
          sectionIndex.set(named, sec);
        }
      }
      sectionIds[id] = sec;
    }
    const outer = current;
    current = sectionIds[id] ?? 0;
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
    current = outer;
    return id;
  };
  visit(root, '<root>');
  for (const b of bodies) {
    kinds.push(...b.kinds);
    for (const v of b.values) image.values.push(v);
  }
  image.kinds = kinds.join('');
  return sectionOf ? sectioned(image, sectionIds, sectionNames) : image;
}

/**
 * The image renumbered section by section, with the sections' dependencies; throws when a
 * section could not be restored without another one in a way completion could not repair: a
 * core object inheriting from a section's object, or a frozen core object referring into a
 * section (it could not be filled in later).
 */
function sectioned(image: ObjectImage, of: number[], names: string[]): ObjectImage {
  const { heads, kinds, values } = image;
  const count = of.length;
  const starts: number[] = [];
  for (let i = 0, at = 0; i < count; i++) {
    starts.push(at);
    at += heads[i * 4 + 3];
  }
  const needs = names.map(() => new Set<number>());
  for (let i = 0; i < count; i++) {
    const s = of[i];
    const p = heads[i * 4];
    if (p < 0 && of[-1 - p] !== s) {
      if (s === 0) throw new Error(`object image: core object ${i} inherits from section ${names[of[-1 - p]]}`);
      if (of[-1 - p] !== 0) needs[s].add(of[-1 - p]);
    }
    for (let j = starts[i]; j < starts[i] + heads[i * 4 + 3]; j++) {
      if (kinds.charCodeAt(j) !== 114) continue; // r
      const t = of[values[j] as number];
      if (t === s || t === 0) continue;
      if (s === 0 && heads[i * 4 + 1] === FROZEN) throw new Error(`object image: frozen core object ${i} refers into section ${names[t]}`);
      if (s !== 0) needs[s].add(t);
    }
  }
  // Section by section, in the order objects were found within each (the root stays 0).
  const order = [...Array(count).keys()].sort((a, b) => of[a] - of[b] || a - b);
  const renumber = new Array<number>(count);
  order.forEach((old, i) => (renumber[old] = i));
  const out: ObjectImage = { ...image, heads: [], kinds: '', values: [] };
  const outKinds: string[] = [];
  const objects: number[] = [];
  const valueStarts: number[] = [];
  for (const old of order) {
    const i = renumber[old];
    while (objects.length <= of[old]) {
      objects.push(i);
      valueStarts.push(out.values.length);
    }
    let p = heads[old * 4];
    if (p < 0) {
      p = -1 - renumber[-1 - p];
      if (-1 - p >= i) throw new Error(`object image: object ${old} would come before its prototype`);
    }
    out.heads.push(p, heads[old * 4 + 1], heads[old * 4 + 2], heads[old * 4 + 3]);
    for (let j = starts[old]; j < starts[old] + heads[old * 4 + 3]; j++) {
      outKinds.push(kinds[j]);
      out.values.push(kinds.charCodeAt(j) === 114 ? renumber[values[j] as number] : values[j]);
    }
  }
  while (objects.length <= names.length) {
    objects.push(count);
    valueStarts.push(out.values.length);
  }
  out.kinds = outKinds.join('');
  out.sections = { names, needs: needs.map((x) => [...x].sort((a, b) => a - b)), objects, values: valueStarts, strings: [], shapes: [] };
  localTables(out);
  return out;
}

/**
 * Orders a sectioned image's strings and shapes so that those only one section's objects use
 * come after the shared ones, section by section (sections.strings / shapes give where each
 * section's own ones start), so that they can travel with the section's part.
 */
function localTables(image: ObjectImage): void {
  const sections = image.sections!;
  const n = sections.names.length;
  const stringUser = new Int32Array(image.strings.length).fill(-1);
  const shapeUser = new Int32Array(image.shapes.length).fill(-1);
  const SHARED = -2;
  const use = (users: Int32Array, k: number, s: number) => {
    users[k] = s === 0 || (users[k] !== -1 && users[k] !== s) ? SHARED : s;
  };
  for (let s = 0; s < n; s++) {
    for (let i = sections.objects[s]; i < sections.objects[s + 1]; i++)
      if (image.heads[i * 4 + 2] >= 0) use(shapeUser, image.heads[i * 4 + 2], s);
    for (let j = sections.values[s]; j < sections.values[s + 1]; j++) {
      const k = image.kinds[j];
      if (k === 's' || k === 'n' || k === 'g') use(stringUser, image.values[j] as number, s);
    }
  }
  const reorder = <T>(table: T[], users: Int32Array, starts: number[]): number[] => {
    const order = [...table.keys()].sort((a, b) => (users[a] < 0 ? 0 : users[a]) - (users[b] < 0 ? 0 : users[b]) || a - b);
    const renumber = new Array<number>(table.length);
    order.forEach((old, i) => (renumber[old] = i));
    const sorted = order.map((old) => table[old]);
    table.splice(0, table.length, ...sorted);
    // Section 0 (the core) has no own entries: its start is where the first section's begin.
    for (let s = 0, at = 0; s <= n; s++) {
      while (at < order.length && (users[order[at]] < 0 ? 0 : users[order[at]]) < Math.max(s, 1)) at++;
      starts.push(at);
    }
    return renumber;
  };
  const strings = reorder(image.strings, stringUser, sections.strings);
  const shapes = reorder(image.shapes, shapeUser, sections.shapes);
  for (let i = 0; i < image.heads.length; i += 4) if (image.heads[i + 2] >= 0) image.heads[i + 2] = shapes[image.heads[i + 2]];
  for (let j = 0; j < image.values.length; j++) {
    const k = image.kinds[j];
    if (k === 's' || k === 'n' || k === 'g') image.values[j] = strings[image.values[j] as number];
  }
}

/** The image as its head and one part per section (one part in all when it has no sections). */
export function splitObjectImage(image: ObjectImage): { head: ImageHead; parts: ImagePart[] } {
  const { heads, kinds, values, strings, shapes, ...rest } = image;
  const sections = sectionsOf(image);
  const head: ImageHead = {
    ...rest,
    strings: strings.slice(0, sections.strings[0]),
    shapes: shapes.slice(0, sections.shapes[0]),
    sections,
  };
  const parts: ImagePart[] = [];
  for (let s = 0; s < sections.names.length; s++) {
    const [o0, o1] = [sections.objects[s], sections.objects[s + 1]];
    const [v0, v1] = [sections.values[s], sections.values[s + 1]];
    parts.push({
      heads: heads.slice(o0 * 4, o1 * 4),
      kinds: kinds.slice(v0, v1),
      values: values.slice(v0, v1),
      strings: strings.slice(sections.strings[s], sections.strings[s + 1]),
      shapes: shapes.slice(sections.shapes[s], sections.shapes[s + 1]),
    });
  }
  return { head, parts };
}

/** An image's sections; one section, the core, for an image made without. */
function sectionsOf(image: ObjectImage): ImageSections {
  const { strings, shapes } = image;
  return (
    image.sections ?? {
      names: [''],
      needs: [[]],
      objects: [0, image.heads.length / 4],
      values: [0, image.values.length],
      strings: [strings.length, strings.length],
      shapes: [shapes.length, shapes.length],
    }
  );
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
  const { head, parts } = splitObjectImage(image);
  return new Restorer(head, (s) => parts[s], prototypes, singletons, null).root;
}

/** A graph restored in part (restoreObjectImageSections). */
export interface PartialGraph {
  /** The root object (the same object once completed). */
  root: unknown;
  /** Whether every object is restored (after complete(), or when all sections were asked for). */
  readonly whole: boolean;
  /** The names of the sections restored at first (the ones asked for and those they need). */
  readonly restored: ReadonlySet<string>;
  /**
   * Restores the rest: afterwards the graph is the one restoreObjectImage builds, with the
   * objects restored so far kept (same identity). The core objects are set back to their image
   * state, so what was cached in them meanwhile is dropped, and so are the objects restored
   * before for which `reset` says so (caches that would remember what was missing). Does
   * nothing once whole.
   */
  complete(reset?: (o: object) => boolean): void;
}

/**
 * Restores the core of a sectioned image, the named sections and every section they need;
 * the core objects then hold only what refers to restored objects, until complete().
 * `part(s)` gives section s's objects (splitObjectImage), asked for only when they are
 * restored. Throws as restoreObjectImage, and when an unknown section is named.
 */
export function restoreObjectImageSections(
  head: ImageHead,
  part: (section: number) => ImagePart,
  prototypes: PrototypeTable,
  singletons: SingletonTable,
  wanted: readonly string[],
): PartialGraph {
  const sections = head.sections;
  if (!sections) throw new Error('object image: the image has no sections');
  const include = new Uint8Array(sections.names.length);
  include[0] = 1;
  const todo: number[] = [];
  for (const name of wanted) {
    const s = sections.names.indexOf(name);
    if (s <= 0) throw new Error(`object image: no section ${name}`);
    todo.push(s);
  }
  while (todo.length) {
    const s = todo.pop()!;
    if (include[s]) continue;
    include[s] = 1;
    for (const t of sections.needs[s]) if (!include[t]) todo.push(t);
  }
  const restorer = new Restorer(head, part, prototypes, singletons, include.every((x) => x === 1) ? null : include);
  return {
    root: restorer.root,
    restored: new Set(sections.names.filter((_, s) => include[s] === 1)),
    get whole() {
      return restorer.whole;
    },
    complete: (reset) => restorer.complete(reset),
  };
}

/** Restores an image, all of it or the objects of some sections (then completes it on request). */
class Restorer {
  readonly root: unknown;
  private readonly protos: (object | null)[];
  private readonly sections: ImageSections;
  private readonly strings: string[];
  private readonly shapes: string[][];
  /** Every object's head (as ObjectImage.heads), filled in as its section is read. */
  private readonly heads: Int32Array;
  /** Each section's part, once read. */
  private readonly parts: (ImagePart | undefined)[];
  /** Each object's first value's index in its section's part. */
  private readonly starts: Uint32Array;
  /** Each object's section. */
  private readonly of: Uint16Array;
  private readonly made: (object | undefined)[];
  private readonly setters: (Setter | undefined)[];
  private readonly uses: Uint32Array;
  private readonly scratch: unknown[] = [];
  /** Per section, whether it is restored; null once all are. */
  private include: Uint8Array | null;

  constructor(
    head: ImageHead,
    private readonly part: (section: number) => ImagePart,
    prototypes: PrototypeTable,
    private readonly singletons: SingletonTable,
    include: Uint8Array | null,
  ) {
    if (head.format !== 'protodesk-object-image/2') throw new Error(`object image: unknown format ${String(head.format)}`);
    this.protos = head.prototypes.map((name) => {
      if (!Object.hasOwn(prototypes, name)) throw new Error(`object image: unknown prototype ${name}`);
      return prototypes[name];
    });
    if (!head.sections) throw new Error('object image: the head has no sections (splitObjectImage gives them)');
    const sections = head.sections;
    this.sections = sections;
    const n = sections.names.length;
    if (head.strings.length !== sections.strings[0] || head.shapes.length !== sections.shapes[0])
      throw new Error('object image: the shared strings or shapes do not have the size the image gives');
    this.strings = head.strings.concat(new Array<string>(sections.strings[n] - sections.strings[0]));
    this.shapes = head.shapes.concat(new Array<string[]>(sections.shapes[n] - sections.shapes[0]));
    const objects = sections.objects[n];
    this.heads = new Int32Array(objects * 4);
    this.parts = new Array<ImagePart | undefined>(n);
    this.starts = new Uint32Array(objects);
    this.of = new Uint16Array(objects);
    for (let s = 0; s < n; s++) this.of.fill(s, sections.objects[s], sections.objects[s + 1]);
    this.made = new Array<object | undefined>(objects);
    this.setters = new Array<Setter | undefined>(this.shapes.length);
    this.uses = new Uint32Array(this.shapes.length);
    this.include = include;
    this.restore(include ?? new Uint8Array(n).fill(1));
    this.root = this.made[0];
  }

  get whole(): boolean {
    return this.include === null;
  }

  complete(reset?: (o: object) => boolean): void {
    const include = this.include;
    if (include === null) return;
    this.include = null;
    this.restore(include.map((x) => 1 - x));
    // The core objects lack what referred into the sections restored now: set them anew.
    for (let i = this.sections.objects[0]; i < this.sections.objects[1]; i++) this.refill(i);
    if (reset)
      for (let s = 1; s < include.length; s++)
        if (include[s])
          for (let i = this.sections.objects[s]; i < this.sections.objects[s + 1]; i++) if (reset(this.made[i]!)) this.refill(i);
  }

  /** Reads, creates and fills the objects of the chosen sections. */
  private restore(chosen: Uint8Array): void {
    const { objects } = this.sections;
    const n = chosen.length;
    for (let s = 0; s < n; s++) if (chosen[s]) this.read(s);
    // Making a setter costs a compile: worth it for shapes many objects share, not for one-offs.
    for (let s = 0; s < n; s++)
      if (chosen[s]) for (let i = objects[s]; i < objects[s + 1]; i++) if (this.heads[i * 4 + 2] >= 0) this.uses[this.heads[i * 4 + 2]]++;
    for (let s = 0; s < n; s++) if (chosen[s]) for (let i = objects[s]; i < objects[s + 1]; i++) this.create(i);
    for (let s = 0; s < n; s++) if (chosen[s]) for (let i = objects[s]; i < objects[s + 1]; i++) this.fill(i);
    // Frozen last: a frozen object may be the prototype of objects filled before.
    for (let s = 0; s < n; s++)
      if (chosen[s]) for (let i = objects[s]; i < objects[s + 1]; i++) if (this.heads[i * 4 + 1] === FROZEN) Object.freeze(this.made[i]);
  }

  /** Copies a section's part into the tables. */
  private read(s: number): void {
    const { objects, values } = this.sections;
    const p = this.part(s);
    const o0 = objects[s];
    const { strings, shapes } = this.sections;
    if (
      p.heads.length !== (objects[s + 1] - o0) * 4 ||
      p.values.length !== values[s + 1] - values[s] ||
      p.kinds.length !== p.values.length ||
      p.strings.length !== strings[s + 1] - strings[s] ||
      p.shapes.length !== shapes[s + 1] - shapes[s]
    )
      throw new Error(`object image: section ${s} does not have the size the image gives`);
    for (let j = 0; j < p.strings.length; j++) this.strings[strings[s] + j] = p.strings[j];
    for (let j = 0; j < p.shapes.length; j++) this.shapes[shapes[s] + j] = p.shapes[j];
    this.heads.set(p.heads, o0 * 4);
    this.parts[s] = p;
    for (let i = o0, at = 0; i < objects[s + 1]; i++) {
      this.starts[i] = at;
      at += this.heads[i * 4 + 3];
    }
  }

  /** Creates an object (empty, with its prototype). */
  private create(i: number): void {
    const shape = this.heads[i * 4 + 2];
    if (shape === ARRAY) this.made[i] = [];
    else if (shape === MAP) this.made[i] = new Map();
    else {
      const p = this.heads[i * 4];
      const proto = p >= 0 ? this.protos[p] : this.made[-1 - p];
      if (proto === undefined) throw new Error(`object image: object ${i} comes before its prototype`);
      this.made[i] = Object.create(proto) as object;
    }
  }

  /** The value at `at` of a part; SKIP for a reference to an object not restored (yet). */
  private decode(part: ImagePart, at: number): unknown {
    const v = part.values[at];
    switch (part.kinds.charCodeAt(at)) {
      case 114: {
        // r
        const o = this.made[v as number];
        return o === undefined ? SKIP : o;
      }
      case 115: // s
        return this.strings[v as number];
      case 118: // v
        return v;
      case 117: // u
        return undefined;
      case 110: {
        // n
        const s = this.strings[v as number];
        return s === '-0' ? -0 : Number(s);
      }
      case 103: {
        // g
        const name = this.strings[v as number];
        if (!Object.hasOwn(this.singletons, name)) throw new Error(`object image: unknown singleton ${name}`);
        return this.singletons[name];
      }
      default:
        throw new Error(`object image: unknown value kind ${part.kinds[at]}`);
    }
  }

  /** Sets an object's values (leaving out references to objects not restored). */
  private fill(i: number): void {
    const shape = this.heads[i * 4 + 2];
    const n = this.heads[i * 4 + 3];
    const at = this.starts[i];
    const part = this.parts[this.of[i]]!;
    const o = this.made[i]!;
    if (shape === ARRAY) {
      const a = o as unknown[];
      for (let j = 0; j < n; j++) {
        const x = this.decode(part, at + j);
        if (x !== SKIP) a.push(x);
      }
    } else if (shape === MAP) {
      const m = o as Map<unknown, unknown>;
      for (let j = 0; j < n; j += 2) {
        const k = this.decode(part, at + j);
        const x = this.decode(part, at + j + 1);
        if (k !== SKIP && x !== SKIP) m.set(k, x);
      }
    } else {
      const keys = this.shapes[shape];
      const scratch = this.scratch;
      let whole = true;
      for (let j = 0; j < n; j++) if ((scratch[j] = this.decode(part, at + j)) === SKIP) whole = false;
      if (whole && keys.length > MAX_KEYED && this.uses[shape] > 1) (this.setters[shape] ??= namedSetter(keys))(o, scratch);
      else {
        const r = o as Record<string, unknown>;
        for (let j = 0; j < n; j++) if (scratch[j] !== SKIP) r[keys[j]] = scratch[j];
      }
    }
  }

  /** Sets a core object back to its image state, now that every object exists. */
  private refill(i: number): void {
    const o = this.made[i]!;
    if (Object.isFrozen(o)) return; // never changed, and never refers into a section (checked when made)
    const shape = this.heads[i * 4 + 2];
    if (shape === ARRAY) (o as unknown[]).length = 0;
    else if (shape === MAP) (o as Map<unknown, unknown>).clear();
    else for (const k of Reflect.ownKeys(o)) delete (o as Record<PropertyKey, unknown>)[k];
    this.fill(i);
  }
}

/** What decode returns for a reference to an object that is not restored. */
const SKIP = Symbol('not restored');
