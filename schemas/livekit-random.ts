/**
 * A seeded generator of random @livekit/protocol messages, driven by the package's own field
 * metadata (protobuf-es v1), for the wire-fidelity tests.
 */
import { proto3, protoInt64, type Message, type AnyMessage, type FieldInfo, type MessageType, type EnumType } from '@bufbuild/protobuf';

/** A small deterministic PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STRING_POOL = ['', 'a', 'room-1', 'Zoë', '名前', 'emoji 🎥', 'line\nbreak', 'quote " and \\', 'x'.repeat(40)];

/** Builds random messages of any type; `depth` bounds nesting. */
export class RandomMessages {
  private readonly rnd: () => number;
  constructor(
    seed: number,
    private readonly maxDepth = 3,
  ) {
    this.rnd = seededRandom(seed);
  }

  private int(n: number): number {
    return Math.floor(this.rnd() * n);
  }

  private chance(p: number): boolean {
    return this.rnd() < p;
  }

  private scalar(t: number, longAsString: boolean): unknown {
    const r = this.rnd;
    const big = (signed: boolean, bits: number): bigint => {
      const choice = this.int(4);
      let v: bigint;
      if (choice === 0) v = 0n;
      else if (choice === 1) v = BigInt(this.int(300));
      else v = BigInt.asUintN(bits, (BigInt(Math.floor(r() * 2 ** 32)) << 32n) | BigInt(Math.floor(r() * 2 ** 32)));
      if (signed) v = BigInt.asIntN(bits, v);
      return v;
    };
    switch (t) {
      case 1: {
        // double
        const c = this.int(10);
        if (c === 0) return Number.NaN;
        if (c === 1) return this.chance(0.5) ? Infinity : -Infinity;
        return (r() - 0.5) * 10 ** this.int(12);
      }
      case 2:
        return Math.fround((this.int(2000) - 1000) / 8); // float: exactly representable
      case 3:
      case 16:
      case 18: {
        const v = big(true, 64);
        return longAsString ? v.toString() : protoInt64.parse(v.toString());
      }
      case 4:
      case 6: {
        const v = big(false, 64);
        return longAsString ? v.toString() : protoInt64.uParse(v.toString());
      }
      case 5:
      case 15:
      case 17:
        return this.chance(0.3) ? -this.int(2 ** 31) : this.int(2 ** 31);
      case 7:
      case 13:
        return this.chance(0.5) ? this.int(300) : this.int(2 ** 32);
      case 8:
        return this.chance(0.5);
      case 9:
        return STRING_POOL[this.int(STRING_POOL.length)] + (this.chance(0.3) ? String(this.int(1000)) : '');
      case 12: {
        const n = this.int(12);
        const b = new Uint8Array(n);
        for (let i = 0; i < n; i++) b[i] = this.int(256);
        return b;
      }
      default:
        throw new Error(`scalar type ${t}`);
    }
  }

  private enumValue(e: EnumType): number {
    return e.values[this.int(e.values.length)].no;
  }

  private mapKey(k: number): string | number {
    const v = this.scalar(k, true);
    if (typeof v === 'boolean') return String(v);
    return typeof v === 'bigint' ? v.toString() : (v as string | number);
  }

  private value(kind: 'scalar' | 'enum' | 'message', T: unknown, depth: number, longAsString: boolean): unknown {
    if (kind === 'scalar') return this.scalar(T as number, longAsString);
    if (kind === 'enum') return this.enumValue(T as EnumType);
    return this.message(T as MessageType, depth + 1);
  }

  /** A random instance of `type`. */
  message<T extends Message<T> = AnyMessage>(type: MessageType<T>, depth = 0): T {
    const special = this.wellKnown(type);
    if (special) return special as T;
    const init: Record<string, unknown> = {};
    const fill = depth >= this.maxDepth ? 0.15 : 0.6;
    for (const f of type.fields.list() as FieldInfo[]) {
      if (!this.chance(fill)) continue;
      if (f.oneof) {
        if (init[f.oneof.localName] !== undefined) continue;
        if (f.kind === 'map') continue;
        init[f.oneof.localName] = { case: f.localName, value: this.value(f.kind, f.T, depth, f.kind === 'scalar' && f.L === 1) };
        continue;
      }
      if (f.kind === 'message' && (f.T.typeName === 'google.protobuf.Any' || depth >= this.maxDepth + 1)) continue;
      if (f.kind === 'map') {
        const m: Record<string, unknown> = {};
        const n = this.int(3) + 1;
        for (let i = 0; i < n; i++) m[String(this.mapKey(f.K))] = this.value(f.V.kind, f.V.T, depth, false);
        init[f.localName] = m;
      } else if (f.repeated) {
        const n = this.int(4);
        const arr: unknown[] = [];
        for (let i = 0; i < n; i++) arr.push(this.value(f.kind, f.T, depth, f.kind === 'scalar' && f.L === 1));
        init[f.localName] = arr;
      } else {
        init[f.localName] = this.value(f.kind, f.T, depth, f.kind === 'scalar' && f.L === 1);
      }
    }
    return new type(init as never);
  }

  private wellKnown(type: MessageType): Message | null {
    switch (type.typeName) {
      case 'google.protobuf.Timestamp':
        return type.fromJson(new Date(Date.UTC(2020, 0, 1) + this.int(10 ** 9) * 1000 + this.int(1000)).toISOString());
      case 'google.protobuf.Duration':
        return type.fromJson(`${this.int(100000)}.${String(this.int(1000)).padStart(3, '0')}s`);
      case 'google.protobuf.Struct':
        return type.fromJson({ a: this.int(100), b: 'text', c: [true, null, 1.5], d: { e: 'f' } });
      case 'google.protobuf.Value':
        return type.fromJson(this.chance(0.5) ? 'v' : this.int(100));
      case 'google.protobuf.ListValue':
        return type.fromJson([1, 'two']);
      default:
        return null;
    }
  }
}

/** Every message type and enum the package exports (walking its namespace objects too). */
export function collectExports(mod: Record<string, unknown>): { messages: MessageType[]; enums: EnumType[] } {
  const messages = new Map<string, MessageType>();
  const enums = new Map<string, EnumType>();
  const walk = (ns: Record<string, unknown>): void => {
    for (const v of Object.values(ns)) {
      if (typeof v === 'function' && typeof (v as { typeName?: unknown }).typeName === 'string' && 'fields' in v) {
        const t = v as unknown as MessageType;
        messages.set(t.typeName, t);
      } else if (v && typeof v === 'object') {
        let en: EnumType | null;
        try {
          en = proto3.getEnumType(v as never);
        } catch {
          en = null;
        }
        if (en) enums.set(en.typeName, en);
        else if (Object.values(v).some((x) => typeof x === 'function')) walk(v as Record<string, unknown>);
      }
    }
  };
  walk(mod);
  return { messages: [...messages.values()], enums: [...enums.values()] };
}
