/**
 * The seeded message generator of the conformance suite: binary messages of any type of a
 * protobuf-es registry, written field by field with protobuf-es' BinaryWriter (so the bytes do
 * not come from the code under test). The same seed gives the same messages on every machine.
 * Values lean to the edges (0, -0, NaN, infinities, subnormals, 32/64-bit limits, a leading
 * U+FEFF, escapes, astral characters; bytes that are not UTF-8 in strings that do not validate
 * it); closed enums sometimes get numbers they do not declare;
 * repeated scalars sometimes use the other packing; well-known types get values their JSON form
 * can hold (Timestamps and Durations in range, FieldMask paths that round-trip, Any of a type
 * the registry has), so JSON refusals stay rare and deliberate. Some messages carry wire-level
 * variations: fields out of order, a singular field repeated, unknown fields of every wire type.
 */
import { ScalarType, type DescEnum, type DescField, type DescMessage, type Registry } from 'protobuf-es-v2';
import { BinaryWriter, WireType } from 'protobuf-es-v2/wire';

/** A seeded pseudo-random source (mulberry32): deterministic across platforms. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a list. */
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }

  /** 64 random bits as an unsigned bigint. */
  bits64(): bigint {
    return (BigInt(this.int(0x100000000)) << 32n) | BigInt(this.int(0x100000000));
  }
}

/** What the generator may do; the defaults are the suite's. */
export interface GenerateOptions {
  /** How deep messages nest below the top (default 3). */
  maxDepth?: number;
  /** Type names an Any may hold (default: a few scalar and well-known messages). */
  anyTypes?: readonly string[];
  /** Whether enums sometimes get numbers they do not declare (default true). */
  undeclaredEnumValues?: boolean;
  /** Whether MessageSet messages get items (default true; empty otherwise). */
  messageSetItems?: boolean;
  /** Whether a singular message field may occur twice (default true; scalars may always). */
  repeatSingularMessages?: boolean;
  /** Whether messages may carry fields the schema does not know (default true). */
  unknownFields?: boolean;
}

const INT32_EDGES = [0, 1, -1, 2147483647, -2147483648, 127, 128, -129, 300];
const UINT32_EDGES = [0, 1, 127, 128, 4294967295, 2147483648];
const INT64_EDGES = [0n, 1n, -1n, 9223372036854775807n, -9223372036854775808n, 4294967296n, -4294967297n, 9007199254740993n];
const UINT64_EDGES = [0n, 1n, 18446744073709551615n, 9223372036854775808n, 9007199254740993n];
const DOUBLE_EDGES = [0, -0, 1, -1, 0.1, 1e21, 1e-7, NaN, Infinity, -Infinity, 5e-324, 1.7976931348623157e308, 2 ** 53 + 2, 123456789.125];
const FLOAT_EDGES = [0, -0, 1, 0.1, NaN, Infinity, -Infinity, 1e-45, 3.4028234663852886e38, 1.1754943508222875e-38, 16777217, 0.3];
const STRING_PIECES = [
  'a',
  'Z',
  ' ',
  'hello',
  '\n',
  '\t',
  '"',
  "'",
  '\\',
  '\0',
  '\x7f',
  'é',
  '中文',
  '😀',
  '\uFEFF',
  '?',
  '{}',
  '\u2028',
  'x_y',
];

/** Generates one binary message of `desc`. */
export function generateMessage(desc: DescMessage, registry: Registry, rng: Rng, options: GenerateOptions = {}): Uint8Array {
  return new Generator(registry, rng, options).message(desc, 0);
}

class Generator {
  private readonly maxDepth: number;

  constructor(
    private readonly registry: Registry,
    private readonly rng: Rng,
    private readonly options: GenerateOptions,
  ) {
    this.maxDepth = options.maxDepth ?? 3;
  }

  message(desc: DescMessage, depth: number): Uint8Array {
    const w = new BinaryWriter();
    const special = this.wellKnown(desc, w, depth);
    if (!special) this.fields(desc, w, depth);
    return w.finish();
  }

  private fields(desc: DescMessage, w: BinaryWriter, depth: number): void {
    const oneofPick = new Map(desc.oneofs.map((o) => [o, this.rng.chance(0.6) ? this.rng.pick(o.fields) : null]));
    const extensions = depth < this.maxDepth ? this.extensionsOf(desc) : [];
    const all = [...desc.fields, ...extensions].sort((a, b) => a.number - b.number);
    const messageSet = desc.proto.options?.messageSetWireFormat === true;
    // Wire-level variations every parser must take: fields out of number order, a singular
    // field twice (the last value wins, messages merge), and a field the schema does not know.
    if (!messageSet && this.rng.chance(0.1)) all.reverse();
    for (const field of all) {
      if (field.oneof && oneofPick.get(field.oneof) !== field) continue;
      const required = field.presence === 3; // LEGACY_REQUIRED
      const nests = field.fieldKind === 'message' || field.fieldKind === 'list' || field.fieldKind === 'map';
      if (!required && !field.oneof && !this.rng.chance(0.5)) continue;
      if (!required && nests && depth >= this.maxDepth) continue;
      if (messageSet && field.fieldKind === 'message') {
        if (this.options.messageSetItems !== false) this.messageSetItem(field, w, depth);
        continue;
      }
      this.field(field, w, depth);
      const repeatable = field.fieldKind === 'scalar' || field.fieldKind === 'enum';
      const singular = repeatable || (field.fieldKind === 'message' && this.options.repeatSingularMessages !== false);
      if (singular && this.rng.chance(0.05)) this.field(field, w, depth);
    }
    if (!messageSet && this.options.unknownFields !== false && this.rng.chance(0.1)) this.unknownField(w);
  }

  /** A field numbered 9000 to 9099 (no schema here uses them) of a random wire type. */
  private unknownField(w: BinaryWriter): void {
    const r = this.rng;
    const n = 9000 + r.int(100);
    switch (r.int(5)) {
      case 0:
        w.tag(n, WireType.Varint).uint64(r.bits64() >> BigInt(r.int(64)));
        return;
      case 1:
        w.tag(n, WireType.Bit32).fixed32(r.int(0x100000000));
        return;
      case 2:
        w.tag(n, WireType.Bit64).fixed64(r.bits64());
        return;
      case 3: {
        // Bytes, text, or bytes that happen to parse as a message.
        const body = r.pick([
          Uint8Array.of(),
          Uint8Array.of(0x08, 0x96, 0x01),
          Uint8Array.of(0xff, 0x00),
          new TextEncoder().encode('hi\n'),
        ]);
        w.tag(n, WireType.LengthDelimited).bytes(body);
        return;
      }
      default:
        w.tag(n, WireType.StartGroup);
        if (r.chance(0.5)) w.tag(1, WireType.Varint).uint32(r.int(1000));
        w.tag(n, WireType.EndGroup);
    }
  }

  private extensionsOf(desc: DescMessage): DescField[] {
    const out: DescField[] = [];
    for (const t of this.registry) if (t.kind === 'extension' && t.extendee.typeName === desc.typeName) out.push(t as unknown as DescField);
    return out;
  }

  /** A MessageSet item: group 1 holding type_id = 2 and message = 3. */
  private messageSetItem(field: DescField, w: BinaryWriter, depth: number): void {
    if (field.fieldKind !== 'message') return;
    w.tag(1, WireType.StartGroup);
    w.tag(2, WireType.Varint).uint32(field.number);
    w.tag(3, WireType.LengthDelimited).bytes(this.message(field.message, depth + 1));
    w.tag(1, WireType.EndGroup);
  }

  private field(field: DescField, w: BinaryWriter, depth: number): void {
    const n = field.number;
    switch (field.fieldKind) {
      case 'scalar':
        w.tag(n, wireTypeOf(field.scalar));
        if (this.invalidUtf8(field)) w.bytes(this.rng.pick(INVALID_UTF8));
        else this.scalar(field.scalar, w);
        return;
      case 'enum':
        w.tag(n, WireType.Varint).int32(this.enumValue(field.enum));
        return;
      case 'message':
        this.submessage(n, field.message, field.delimitedEncoding, w, depth);
        return;
      case 'list': {
        const count = 1 + this.rng.int(3);
        if (field.listKind === 'message') {
          for (let i = 0; i < count; i++) this.submessage(n, field.message, field.delimitedEncoding, w, depth);
          return;
        }
        const scalar = field.listKind === 'enum' ? ScalarType.INT32 : field.scalar;
        const write = () =>
          field.listKind === 'enum'
            ? w.int32(this.enumValue(field.enum))
            : this.invalidUtf8(field)
              ? w.bytes(this.rng.pick(INVALID_UTF8))
              : this.scalar(scalar, w);
        const packable = scalar !== ScalarType.STRING && scalar !== ScalarType.BYTES;
        // Parsers accept either packing for a packable field; mostly the declared one.
        const packed = packable && (this.rng.chance(0.8) ? field.packed : !field.packed);
        if (packed) {
          w.tag(n, WireType.LengthDelimited).fork();
          for (let i = 0; i < count; i++) write();
          w.join();
        } else
          for (let i = 0; i < count; i++) {
            w.tag(n, wireTypeOf(scalar));
            write();
          }
        return;
      }
      case 'map': {
        const count = 1 + this.rng.int(3);
        for (let i = 0; i < count; i++) {
          w.tag(n, WireType.LengthDelimited).fork();
          w.tag(1, wireTypeOf(field.mapKey));
          this.scalar(field.mapKey, w);
          if (field.mapKind === 'message') this.submessage(2, field.message, false, w, depth);
          else if (field.mapKind === 'enum') w.tag(2, WireType.Varint).int32(this.enumValue(field.enum));
          else {
            w.tag(2, wireTypeOf(field.scalar));
            this.scalar(field.scalar, w);
          }
          w.join();
        }
      }
    }
  }

  /** Whether to write bytes that are not UTF-8 into a string field that does not validate UTF-8 (proto2, editions NONE). */
  private invalidUtf8(field: DescField): boolean {
    const scalar = field.fieldKind === 'scalar' || field.fieldKind === 'list' ? field.scalar : undefined;
    return scalar === ScalarType.STRING && !field.utf8Validation && this.rng.chance(0.1);
  }

  private submessage(n: number, desc: DescMessage, delimited: boolean, w: BinaryWriter, depth: number): void {
    const body = this.message(desc, depth + 1);
    if (delimited) w.tag(n, WireType.StartGroup).raw(body).tag(n, WireType.EndGroup);
    else w.tag(n, WireType.LengthDelimited).bytes(body);
  }

  private enumValue(e: DescEnum): number {
    if (e.typeName === 'google.protobuf.NullValue') return 0;
    // A number the enum does not declare: open enums keep it, closed ones make it an unknown field.
    if (this.options.undeclaredEnumValues !== false && this.rng.chance(0.08)) return this.rng.pick([7, 99, -5, 2147483647]);
    return this.rng.pick(e.values).number;
  }

  private scalar(t: ScalarType, w: BinaryWriter): void {
    const r = this.rng;
    const edge = r.chance(0.5);
    switch (t) {
      case ScalarType.DOUBLE:
        w.double(edge ? r.pick(DOUBLE_EDGES) : randomDouble(r));
        return;
      case ScalarType.FLOAT:
        w.float(edge ? r.pick(FLOAT_EDGES) : Math.fround(randomDouble(r)));
        return;
      case ScalarType.INT32:
        w.int32(edge ? r.pick(INT32_EDGES) : r.int(0x100000000) | 0);
        return;
      case ScalarType.SINT32:
        w.sint32(edge ? r.pick(INT32_EDGES) : r.int(0x100000000) | 0);
        return;
      case ScalarType.SFIXED32:
        w.sfixed32(edge ? r.pick(INT32_EDGES) : r.int(0x100000000) | 0);
        return;
      case ScalarType.UINT32:
        w.uint32(edge ? r.pick(UINT32_EDGES) : r.int(0x100000000));
        return;
      case ScalarType.FIXED32:
        w.fixed32(edge ? r.pick(UINT32_EDGES) : r.int(0x100000000));
        return;
      case ScalarType.INT64:
        w.int64(edge ? r.pick(INT64_EDGES) : BigInt.asIntN(64, r.bits64() >> BigInt(r.int(64))));
        return;
      case ScalarType.SINT64:
        w.sint64(edge ? r.pick(INT64_EDGES) : BigInt.asIntN(64, r.bits64() >> BigInt(r.int(64))));
        return;
      case ScalarType.SFIXED64:
        w.sfixed64(edge ? r.pick(INT64_EDGES) : BigInt.asIntN(64, r.bits64()));
        return;
      case ScalarType.UINT64:
        w.uint64(edge ? r.pick(UINT64_EDGES) : r.bits64() >> BigInt(r.int(64)));
        return;
      case ScalarType.FIXED64:
        w.fixed64(edge ? r.pick(UINT64_EDGES) : r.bits64());
        return;
      case ScalarType.BOOL:
        w.bool(r.chance(0.5));
        return;
      case ScalarType.STRING:
        w.string(this.text());
        return;
      case ScalarType.BYTES:
        w.bytes(Uint8Array.from({ length: r.int(9) }, () => r.int(256)));
        return;
    }
  }

  private text(): string {
    let s = '';
    for (let k = this.rng.int(5); k > 0; k--) s += this.rng.pick(STRING_PIECES);
    return s;
  }

  /** Writes a well-known type with a value its JSON form can hold; false for other types. */
  private wellKnown(desc: DescMessage, w: BinaryWriter, depth: number): boolean {
    const r = this.rng;
    switch (desc.typeName) {
      case 'google.protobuf.Timestamp': {
        const seconds = r.chance(0.3) ? r.pick([0, -62135596800, 253402300799, 1, -1]) : r.int(4102444800) - 2000000000;
        if (seconds) w.tag(1, WireType.Varint).int64(seconds);
        const nanos = r.pick([0, 0, 1000000, 1000, 1, 999999999, r.int(1000000000)]);
        if (nanos) w.tag(2, WireType.Varint).int32(nanos);
        return true;
      }
      case 'google.protobuf.Duration': {
        const sign = r.chance(0.5) ? -1 : 1;
        const seconds = sign * (r.chance(0.2) ? r.pick([0, 315576000000]) : r.int(1000000));
        const nanos = sign * r.pick([0, 0, 500000000, 1000, 1, 999999999]);
        if (seconds) w.tag(1, WireType.Varint).int64(seconds);
        if (nanos) w.tag(2, WireType.Varint).int32(nanos);
        return true;
      }
      case 'google.protobuf.FieldMask': {
        const word = () => r.pick(['a', 'foo', 'bar_baz', 'x1', 'deep_er_path']);
        for (let k = r.int(4); k > 0; k--) {
          const path = Array.from({ length: 1 + r.int(3) }, word).join('.');
          w.tag(1, WireType.LengthDelimited).string(path);
        }
        return true;
      }
      case 'google.protobuf.Any': {
        const names = this.options.anyTypes ?? ANY_TYPES;
        const name = r.pick(names);
        const inner = this.registry.getMessage(name);
        if (!inner) return true; // an empty Any
        w.tag(1, WireType.LengthDelimited).string(`type.googleapis.com/${name}`);
        const body = this.message(inner, depth + 1);
        if (body.length) w.tag(2, WireType.LengthDelimited).bytes(body);
        return true;
      }
      case 'google.protobuf.Value':
        this.value(w, depth);
        return true;
      case 'google.protobuf.Struct':
        for (let k = depth < this.maxDepth ? r.int(3) : 0; k > 0; k--) {
          w.tag(1, WireType.LengthDelimited).fork();
          w.tag(1, WireType.LengthDelimited).string(r.pick(['a', 'b', 'key', '', 'ü', 'a.b']));
          w.tag(2, WireType.LengthDelimited).fork();
          this.value(w, depth + 1);
          w.join().join();
        }
        return true;
      case 'google.protobuf.ListValue':
        for (let k = depth < this.maxDepth ? r.int(3) : 0; k > 0; k--) {
          w.tag(1, WireType.LengthDelimited).fork();
          this.value(w, depth + 1);
          w.join();
        }
        return true;
    }
    return false;
  }

  /** A google.protobuf.Value with its kind set (numbers finite: JSON has no other). */
  private value(w: BinaryWriter, depth: number): void {
    const r = this.rng;
    const kind = depth < this.maxDepth ? r.int(6) : r.int(4);
    if (kind === 0) w.tag(1, WireType.Varint).int32(0);
    else if (kind === 1) w.tag(2, WireType.Bit64).double(r.pick([0, -1.5, 1e21, 123, 2 ** 53, 0.1, -0]));
    else if (kind === 2) w.tag(3, WireType.LengthDelimited).string(this.text());
    else if (kind === 3) w.tag(4, WireType.Varint).bool(r.chance(0.5));
    else {
      const inner = this.registry.getMessage(kind === 4 ? 'google.protobuf.Struct' : 'google.protobuf.ListValue')!;
      w.tag(kind === 4 ? 5 : 6, WireType.LengthDelimited).bytes(this.message(inner, depth + 1));
    }
  }
}

/** Byte strings that are not UTF-8: a stray continuation byte, a cut sequence, an overlong form, a UTF-16 surrogate. */
const INVALID_UTF8 = [
  Uint8Array.of(0x61, 0xff),
  Uint8Array.of(0xc3),
  Uint8Array.of(0xc0, 0xaf, 0x62),
  Uint8Array.of(0xed, 0xa0, 0x80),
  Uint8Array.of(0xef, 0xbb, 0xbf, 0x80),
];

/** Types an Any holds by default: one of each shape of JSON form. */
export const ANY_TYPES = [
  'google.protobuf.Duration',
  'google.protobuf.Timestamp',
  'google.protobuf.Empty',
  'google.protobuf.Int32Value',
  'google.protobuf.StringValue',
  'google.protobuf.Struct',
  'google.protobuf.Value',
  'google.protobuf.FieldMask',
];

/** A double from random bits, mostly finite. */
function randomDouble(r: Rng): number {
  if (r.chance(0.5)) return (r.next() - 0.5) * 10 ** (r.int(40) - 20);
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, r.bits64());
  return view.getFloat64(0);
}

function wireTypeOf(t: ScalarType): WireType {
  switch (t) {
    case ScalarType.DOUBLE:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return WireType.Bit64;
    case ScalarType.FLOAT:
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
      return WireType.Bit32;
    case ScalarType.STRING:
    case ScalarType.BYTES:
      return WireType.LengthDelimited;
    default:
      return WireType.Varint;
  }
}
