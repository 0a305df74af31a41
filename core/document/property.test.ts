/**
 * Property tests: random messages round-trip byte-exact through decode/encode, decoded values
 * agree with protobufjs, and protoc (as a referee) agrees on values and on canonical encoding.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import fc from 'fast-check';
import type { Type } from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from './decode';
import { encodeMessage } from './encode';
import { newRoot, scalarNode } from './build';
import { applyEdit } from './edits';
import type { FieldNode, ScalarValue } from './model';
import { asMapField } from './schema-info';
import { TEST_PROTO2, testRoot } from '../../testing/field-shapes-schema';
import { WireWriter } from '../wire/wire-writer';
import { PROTOC, PROTOC_INCLUDE } from '../../testing/protoc';

const root = testRoot();
const Outer = root.lookupType('test.Outer');
const Scalars = root.lookupType('test.Scalars');
const Batch = root.lookupType('test.Batch');
const P3 = root.lookupType('test3.P3');

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

/** The tree as protobufjs's toObject({ longs: String, bytes: String }) would show it (last one wins for singular fields). */
function toPlain(fields: readonly FieldNode[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const conv = (v: ScalarValue): unknown => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? b64(v) : v);
  for (const n of fields) {
    const f = n.field;
    if (!f) continue;
    const v = n.value;
    const name = f.name;
    if (asMapField(f)) {
      if (v.kind !== 'message') continue;
      const m = (out[name] ??= {}) as Record<string, unknown>;
      const k = v.fields.find((x) => x.fieldNumber === 1);
      const val = v.fields.find((x) => x.fieldNumber === 2);
      const key = k && k.value.kind === 'scalar' ? conv(k.value.value) : '';
      m[String(key)] = val
        ? val.value.kind === 'message'
          ? toPlain(val.value.fields)
          : val.value.kind === 'scalar'
            ? conv(val.value.value)
            : undefined
        : undefined;
      continue;
    }
    let items: unknown[];
    if (v.kind === 'packed') items = v.elements.map((e) => conv(e.value));
    else if (v.kind === 'scalar') items = [conv(v.value)];
    else if (v.kind === 'message') items = [toPlain(v.fields)];
    else continue;
    if (f.repeated) out[name] = [...((out[name] as unknown[]) ?? []), ...items];
    else out[name] = items[items.length - 1];
  }
  return out;
}

const int32 = fc.integer({ min: -2147483648, max: 2147483647 });
const uint32 = fc.integer({ min: 0, max: 4294967295 });
const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const uint64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const f32 = fc.float({ noDefaultInfinity: false });
const str = fc.string({ unit: 'binary', maxLength: 20 });

/** Random Scalars objects in protobufjs fromObject form. */
const scalarsArb = fc.record(
  {
    d: fc.double(),
    f: f32,
    i32: int32,
    i64: int64.map(String),
    u32: uint32,
    u64: uint64.map(String),
    s32: int32,
    s64: int64.map(String),
    fx32: uint32,
    fx64: uint64.map(String),
    sf32: int32,
    sf64: int64.map(String),
    b: fc.boolean(),
    s: str,
    by: fc.uint8Array({ maxLength: 10 }),
    color: fc.constantFrom(0, 1, 2),
  },
  { requiredKeys: [] },
);

const personArb = fc.record({ name: str, id: int32, emails: fc.array(str, { maxLength: 3 }) }, { requiredKeys: [] });

const outerArb = fc.record(
  {
    name: str,
    participants: fc.array(personArb, { maxLength: 3 }),
    nums: fc.array(int32, { maxLength: 5 }),
    unpacked: fc.array(int32, { maxLength: 5 }),
    counts: fc.dictionary(fc.string({ maxLength: 5 }), int32, { maxKeys: 3 }),
    color: fc.constantFrom(0, 1, 2),
    colors: fc.array(fc.constantFrom(0, 1, 2), { maxLength: 4 }),
    scalars: scalarsArb,
    big: fc.array(int64.map(String), { maxLength: 4 }),
    text: str,
  },
  { requiredKeys: [] },
);

function protobufjsView(type: Type, buf: Uint8Array): Record<string, unknown> {
  return type.toObject(type.decode(buf), { longs: String, bytes: String }) as Record<string, unknown>;
}

describe('property: decode/encode round trip', () => {
  it('messages encoded by protobufjs round-trip byte-exact and decode to the same values', () => {
    fc.assert(
      fc.property(outerArb, (obj) => {
        const buf = Outer.encode(Outer.fromObject(obj)).finish();
        const doc = decodeMessage(buf, Outer);
        expect(encodeMessage(doc, buf)).toEqual(buf);
        expect(toPlain(doc.fields)).toEqual(protobufjsView(Outer, buf));
        const lazy = decodeMessage(buf, Outer, { lazy: true });
        expect(encodeMessage(lazy, buf)).toEqual(buf);
        expect(toPlain(lazy.fields)).toEqual(protobufjsView(Outer, buf));
      }),
      { numRuns: 300 },
    );
  });

  it('proto3 messages round-trip and agree with protobufjs', () => {
    const p3Arb = fc.record(
      {
        maybe: int32,
        packed_default: fc.array(int32, { maxLength: 5 }),
        tags: fc.array(str, { maxLength: 3 }),
        ds: fc.array(fc.double(), { maxLength: 3 }),
        s: str,
        u64s: fc.array(uint64.map(String), { maxLength: 3 }),
        not_packed: fc.array(int32, { maxLength: 3 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(p3Arb, (obj) => {
        const buf = P3.encode(P3.fromObject(obj)).finish();
        const doc = decodeMessage(buf, P3);
        expect(encodeMessage(doc, buf)).toEqual(buf);
        expect(toPlain(doc.fields)).toEqual(protobufjsView(P3, buf));
      }),
      { numRuns: 200 },
    );
  });

  /** Random wire-level fields: any number, any wire type, non-minimal varints, nested groups. */
  const wireField: fc.Memo<Uint8Array> = fc.memo((n: number): fc.Arbitrary<Uint8Array> => {
    const num = fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 2 ** 29 - 1 }));
    const pad = fc.integer({ min: 0, max: 3 }); // extra 0x80 continuation bytes (non-minimal varints)
    const varint = (v: bigint, extra: number): number[] => {
      const w = new WireWriter().varint64(v).finish();
      if (extra === 0 || w.length + extra > 10) return [...w];
      const out = [...w];
      out[out.length - 1] |= 0x80;
      for (let i = 1; i < extra; i++) out.push(0x80);
      out.push(0x00);
      return out;
    };
    const tag = (f: number, wt: number, extra: number) =>
      varint(BigInt(f * 8 + wt), Math.min(extra, 5 - new WireWriter().uvarint(f * 8 + wt).finish().length));
    const leaf = fc.oneof(
      fc.tuple(num, uint64, pad, pad).map(([f, v, p1, p2]) => [...tag(f, 0, p1), ...varint(v, p2)]),
      fc.tuple(num, fc.uint8Array({ minLength: 8, maxLength: 8 }), pad).map(([f, b, p]) => [...tag(f, 1, p), ...b]),
      fc.tuple(num, fc.uint8Array({ minLength: 4, maxLength: 4 }), pad).map(([f, b, p]) => [...tag(f, 5, p), ...b]),
      fc
        .tuple(num, fc.uint8Array({ maxLength: 12 }), pad, pad)
        .map(([f, b, p1, p2]) => [...tag(f, 2, p1), ...varint(BigInt(b.length), p2), ...b]),
    );
    if (n <= 1) return leaf.map((a) => new Uint8Array(a));
    const group = fc
      .tuple(num, fc.array(wireField(n - 1), { maxLength: 3 }), pad)
      .map(([f, inner, p]) => [...tag(f, 3, p), ...inner.flatMap((x) => [...x]), ...tag(f, 4, 0)]);
    const nested = fc.tuple(fc.integer({ min: 1, max: 20 }), fc.array(wireField(n - 1), { maxLength: 3 })).map(([f, inner]) => {
      const body = inner.flatMap((x) => [...x]);
      return [...tag(f, 2, 0), ...varint(BigInt(body.length), 0), ...body];
    });
    return fc.oneof(leaf, group, nested).map((a) => new Uint8Array(a));
  });
  const wireMessage = fc.array(wireField(4), { maxLength: 8 }).map((parts) => new Uint8Array(parts.flatMap((p) => [...p])));

  it('any well-formed wire message round-trips byte-exact, with or without a schema', () => {
    fc.assert(
      fc.property(wireMessage, (buf) => {
        expect(encodeMessage(decodeMessage(buf, null), buf)).toEqual(buf);
        // With a schema, some fields may not parse as their type: partial mode still keeps every byte.
        const doc = decodeMessage(buf, Outer, { partial: true });
        expect(encodeMessage(doc, buf)).toEqual(buf);
        const p3 = decodeMessage(buf, P3, { partial: true });
        expect(encodeMessage(p3, buf)).toEqual(buf);
      }),
      { numRuns: 500 },
    );
  });

  it('any bytes at all: partial decode then encode gives them back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (buf) => {
        expect(encodeMessage(decodeMessage(buf, Outer, { partial: true }), buf)).toEqual(buf);
        expect(encodeMessage(decodeMessage(buf, null, { partial: true }), buf)).toEqual(buf);
      }),
      { numRuns: 1000 },
    );
  });

  it('a full decode either succeeds or throws a DecodeError (never anything else)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (buf) => {
        try {
          decodeMessage(buf, Outer);
        } catch (e) {
          expect((e as Error).name).toBe('DecodeError');
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('property: protoc as referee', () => {
  /** Text-format escape: every byte as a 3-digit octal escape. */
  const esc = (b: Uint8Array) => [...b].map((x) => '\\' + x.toString(8).padStart(3, '0')).join('');
  const num = (x: number) =>
    Number.isNaN(x) ? 'nan' : x === Infinity ? 'inf' : x === -Infinity ? '-inf' : Object.is(x, -0) ? '-0' : String(x);
  const colors = ['RED', 'GREEN', 'BLUE'];

  interface Item {
    [k: string]: unknown;
  }
  const itemArb = fc.record(
    {
      d: fc.double(),
      f: f32,
      i32: int32,
      i64: int64,
      u32: uint32,
      u64: uint64,
      s32: int32,
      s64: int64,
      fx32: uint32,
      fx64: uint64,
      sf32: int32,
      sf64: int64,
      b: fc.boolean(),
      s: str,
      by: fc.uint8Array({ maxLength: 8 }),
      color: fc.constantFrom(0, 1, 2),
    },
    { requiredKeys: [] },
  );

  function textOf(item: Item): string {
    const parts: string[] = [];
    for (const fld of Scalars.fieldsArray) {
      if (!(fld.name in item)) continue;
      const v = item[fld.name];
      if (fld.name === 's') parts.push(`s: "${esc(new TextEncoder().encode(v as string))}"`);
      else if (fld.name === 'by') parts.push(`by: "${esc(v as Uint8Array)}"`);
      else if (fld.name === 'color') parts.push(`color: ${colors[v as number]}`);
      else if (typeof v === 'number') parts.push(`${fld.name}: ${num(v)}`);
      else parts.push(`${fld.name}: ${String(v)}`);
    }
    return `items { ${parts.join(' ')} }`;
  }

  it('protoc --encode output decodes to the same values, round-trips, and matches our canonical encoding', () => {
    const items = fc.sample(itemArb, { numRuns: 300, seed: 42 }) as Item[];
    // Include the edge cases explicitly.
    items.push({ i32: -1, u64: 2n ** 64n - 1n, d: NaN, f: -0, i64: -(2n ** 63n), s64: -(2n ** 63n), sf64: 2n ** 63n - 1n });
    const dir = mkdtempSync(join(tmpdir(), 'protodesk-'));
    writeFileSync(join(dir, 'test.proto'), TEST_PROTO2.replace('package test;', 'package test;\nimport "google/protobuf/any.proto";'));
    const r = spawnSync(PROTOC, [`-I${dir}`, `-I${PROTOC_INCLUDE}`, '--encode=test.Batch', 'test.proto'], {
      cwd: dir,
      input: items.map(textOf).join('\n'),
    });
    expect(r.stderr.toString()).toBe('');
    const buf = new Uint8Array(r.stdout);
    const doc = decodeMessage(buf, Batch);
    expect(encodeMessage(doc, buf)).toEqual(buf);
    expect(doc.fields.length).toBe(items.length);
    doc.fields.forEach((node, i) => {
      const v = node.value;
      if (v.kind !== 'message') throw new Error('item is not a message');
      const got: Item = {};
      for (const n of v.fields) if (n.value.kind === 'scalar') got[n.field!.name] = n.value.value;
      const want: Item = { ...items[i] };
      if ('f' in want) want.f = Math.fround(want.f as number);
      expect(got).toEqual(want);
      // Built from the same values, our canonical encoding equals protoc's bytes.
      const built = newRoot(
        Scalars,
        Scalars.fieldsArray.filter((fl) => fl.name in items[i]).map((fl) => scalarNode(fl, want[fl.name] as ScalarValue)),
      );
      const mine = encodeMessage(built, new Uint8Array());
      expect(b64(mine)).toBe(b64(buf.subarray(node.span!.valueStart, node.span!.end)));
    });
  });
});

describe('property: edits touch only their path', () => {
  it('setting one participant name leaves every byte outside that participant unchanged', () => {
    fc.assert(
      fc.property(fc.array(personArb, { minLength: 1, maxLength: 5 }), fc.nat(), str, (people, pick, name) => {
        const buf = new Uint8Array(Outer.encode(Outer.fromObject({ participants: people, color: 1 })).finish());
        const doc = decodeMessage(buf, Outer);
        const i = pick % people.length;
        const target = doc.fields[i];
        const nameIdx = target.value.kind === 'message' ? target.value.fields.findIndex((x) => x.fieldNumber === 1) : -1;
        const edited =
          nameIdx >= 0
            ? applyEdit(doc, { op: 'set-value', path: [i, nameIdx], value: name })
            : applyEdit(doc, { op: 'add-field', path: [i], fieldNumber: 1, value: name });
        const out = encodeMessage(edited, buf);
        const span = target.span!;
        expect(out.subarray(0, span.tagStart)).toEqual(buf.subarray(0, span.tagStart));
        const tail = buf.length - span.end;
        expect(out.subarray(out.length - tail)).toEqual(buf.subarray(span.end));
        const got = Outer.toObject(Outer.decode(out)) as { participants: { name?: string }[] };
        expect(got.participants[i].name ?? '').toBe(name);
      }),
      { numRuns: 200 },
    );
  });
});
