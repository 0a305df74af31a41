/**
 * Seeded random wire bytes for message types, for tests that compare a fast printer with its
 * reference on many generated messages: every field kind, repeats, wrong wire types, packed and
 * unpacked runs, invalid UTF-8, unknown fields; and a proto2 schema with the rules that
 * proto3 fixtures lack.
 */
import type { Field, MapField, Type } from 'protobufjs';
import { asMapField, isGroupField, mapEntryType, scalarTypeOf } from '../core/document/schema-info';
import { WireType } from '../core/wire/wire-types';
import { WireWriter } from '../core/wire/wire-writer';

/** proto2 and editions-free rules the fixtures lack: closed enums (singular, packed, in map values), repeated groups, oneofs of messages, recursion. */
export const CLOSED_SCHEMA = `syntax = "proto2";
package c;
enum Color { RED = 0; GREEN = 1; BLUE = 5; }
message Node {
  optional Color color = 1;
  repeated Color colors = 2;
  repeated Color packed_colors = 3 [packed = true];
  map<string, Color> by_name = 4;
  map<int64, Node> children = 5;
  repeated group Item = 6 { optional int32 n = 1; optional string s = 2; }
  oneof pick { Node left = 7; string label = 8; Color tint = 9; }
  optional Node next = 10;
  repeated sint64 deltas = 11 [packed = true];
  optional float ratio = 12;
  repeated bool bits = 13;
  map<uint32, bytes> blobs = 14;
  extensions 100 to 110;
}
extend Node { optional string note = 100; repeated Color ext_colors = 101; }
`;

/** A seeded generator (mulberry32). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    let t = (s = (s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INTS = [
  0n,
  1n,
  -1n,
  2n,
  5n,
  99n,
  127n,
  128n,
  2147483647n,
  -2147483648n,
  4294967295n,
  9007199254740993n,
  -9223372036854775808n,
  18446744073709551615n,
];
const FLOATS = [0, -0, 1, -1.5, 0.1, 1e21, 1e-7, 3.4028234663852886e38, NaN, Infinity, -Infinity, 123456.789];
const STRINGS = [
  '',
  'a',
  'plain text',
  'é',
  '"quoted" \\ back',
  'line\nbreak\ttab\u0001',
  '\u2028\u2029',
  '😀 emoji',
  '__proto__',
  '10',
  '-1',
  '01',
];
const INVALID_UTF8 = [new Uint8Array([0xff]), new Uint8Array([0x61, 0xc3]), new Uint8Array([0xed, 0xa0, 0x80])];

/** Random, well-formed wire bytes for a type: every field kind, repeats, wrong wire types, packed and unpacked runs, unknown fields. */
export class Generator {
  constructor(
    private readonly next: () => number,
    /** Also write unknown fields of every wire type: fixed32, fixed64, groups, and length-delimited values that parse as messages. */
    private readonly everyUnknown = false,
  ) {}

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }

  message(type: Type, depth: number): Uint8Array {
    const w = new WireWriter();
    const fields = type.fieldsArray;
    const n = depth > 3 ? Math.floor(this.next() * 2) : Math.floor(this.next() * 9);
    for (let i = 0; i < n; i++) {
      if (fields.length === 0 || this.next() < 0.08) this.unknown(w);
      else this.field(w, this.pick(fields), depth);
    }
    return w.finish();
  }

  private unknown(w: WireWriter): void {
    const fn = 900 + Math.floor(this.next() * 5);
    if (this.everyUnknown && this.next() < 0.5) {
      this.otherUnknown(w, fn);
      return;
    }
    if (this.next() < 0.5) w.tag(fn, WireType.VARINT).varint64(BigInt.asUintN(64, this.pick(INTS)));
    else w.tag(fn, WireType.LEN).lengthDelimited(new TextEncoder().encode(this.pick(STRINGS)));
  }

  private otherUnknown(w: WireWriter, fn: number): void {
    const k = Math.floor(this.next() * 4);
    if (k === 0) w.tag(fn, WireType.I32).fixed32(Number(BigInt.asUintN(32, this.pick(INTS))));
    else if (k === 1) w.tag(fn, WireType.I64).fixed64(BigInt.asUintN(64, this.pick(INTS)));
    else if (k === 2) {
      w.tag(fn, WireType.SGROUP);
      if (this.next() < 0.7) this.unknown(w);
      w.tag(fn, WireType.EGROUP);
    } else {
      const inner = new WireWriter();
      const n = Math.floor(this.next() * 3);
      for (let i = 0; i < n; i++) this.unknown(inner);
      w.tag(fn, WireType.LEN).lengthDelimited(inner.finish());
    }
  }

  private field(w: WireWriter, field: Field, depth: number): void {
    const map = asMapField(field);
    if (map) {
      w.tag(field.id, WireType.LEN).lengthDelimited(this.entry(map, depth));
      return;
    }
    const scalar = scalarTypeOf(field);
    if (scalar === null) {
      const t = field.resolvedType as Type;
      if (isGroupField(field)) {
        w.tag(field.id, WireType.SGROUP)
          .raw(this.message(t, depth + 1))
          .tag(field.id, WireType.EGROUP);
      } else {
        w.tag(field.id, WireType.LEN).lengthDelimited(this.message(t, depth + 1));
      }
      return;
    }
    if (this.next() < 0.05) {
      // A wire type the field cannot have: an unknown field to a runtime.
      w.tag(field.id, scalar === 'string' || scalar === 'bytes' ? WireType.VARINT : WireType.I64).fixed64(1n);
      return;
    }
    if (field.repeated && scalar !== 'string' && scalar !== 'bytes' && this.next() < 0.5) {
      const run = new WireWriter();
      const k = Math.floor(this.next() * 4);
      for (let i = 0; i < k; i++) this.value(run, scalar);
      w.tag(field.id, WireType.LEN).lengthDelimited(run.finish());
      return;
    }
    w.tag(field.id, wireTypeOf(scalar));
    this.value(w, scalar);
  }

  private entry(map: MapField, depth: number): Uint8Array {
    const e = new WireWriter();
    const parts = Math.floor(this.next() * 4); // 0 to 3 of key / value, in any order, repeats allowed
    for (let i = 0; i < parts; i++) {
      if (this.next() < 0.5) {
        e.tag(1, wireTypeOf(map.keyType as never));
        this.value(e, map.keyType as never);
      } else {
        this.field(e, mapEntryType(map).fieldsById[2], depth);
      }
    }
    return e.finish();
  }

  private value(w: WireWriter, type: string): void {
    const i = this.pick(INTS);
    switch (type) {
      case 'double':
        w.double(this.pick(FLOATS));
        return;
      case 'float':
        w.float(this.pick(FLOATS));
        return;
      case 'fixed32':
      case 'sfixed32':
        w.fixed32(Number(BigInt.asUintN(32, i)));
        return;
      case 'fixed64':
      case 'sfixed64':
        w.fixed64(BigInt.asUintN(64, i));
        return;
      case 'sint32':
      case 'sint64': {
        const v = BigInt.asIntN(64, i);
        w.varint64(BigInt.asUintN(64, v >= 0n ? v << 1n : (-v << 1n) - 1n));
        return;
      }
      case 'bool':
        w.uvarint(this.next() < 0.2 ? 2 : this.next() < 0.5 ? 1 : 0);
        return;
      case 'string':
        w.lengthDelimited(this.next() < 0.1 ? this.pick(INVALID_UTF8) : new TextEncoder().encode(this.pick(STRINGS)));
        return;
      case 'bytes':
        w.lengthDelimited(new Uint8Array(Math.floor(this.next() * 7)).map(() => Math.floor(this.next() * 256)));
        return;
      default:
        w.varint64(BigInt.asUintN(64, i));
    }
  }
}

/** The wire type of a single value of a scalar type. */
export function wireTypeOf(scalar: string): WireType {
  if (scalar === 'string' || scalar === 'bytes') return WireType.LEN;
  if (scalar === 'double' || scalar === 'fixed64' || scalar === 'sfixed64') return WireType.I64;
  if (scalar === 'float' || scalar === 'fixed32' || scalar === 'sfixed32') return WireType.I32;
  return WireType.VARINT;
}
