import { beforeAll, describe, expect, it } from 'vitest';
import { loadSchemas } from '../../core-node/schema/load-schemas';
import { JSON_CASES, JSON_FORMAT_FILES } from '../../testing/json-format-fixtures';
import { protocSchema } from '../../testing/protoc';
import { corpusMessages, sampleMessages } from '../../testing/sample-messages';
import { rng } from '../../testing/wire-message-generator';
import { decodeMessage } from '../document/decode';
import { applyEdit } from '../document/edits';
import { loadSchemaSources, type SchemaRegistry } from '../schema/registry';
import { ByteSink } from '../wire/byte-sink';
import { WireWriter } from '../wire/wire-writer';
import { WireType } from '../wire/wire-types';
import { toJsonString } from './json-print';
import { writeJson } from './json-print-fast';

/** What writeJson prints (or the message of what it throws), collected through a small flush size. */
function fast(bytes: Uint8Array, typeName: string, registry: SchemaRegistry, indent: number, protoNames = false): string {
  const chunks: Uint8Array[] = [];
  const sink = new ByteSink((c) => chunks.push(c.slice()), 256, 16);
  try {
    const root = decodeMessage(bytes, registry.findMessage(typeName)!, { resolveType: (n) => registry.findMessage(n), transient: true });
    writeJson(root, sink, { registry, indent, protoNames });
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
  sink.flush();
  return Buffer.concat(chunks).toString('utf8');
}

/** What toJsonString prints (or the message of what it throws). */
function reference(bytes: Uint8Array, typeName: string, registry: SchemaRegistry, indent: number, protoNames = false): string {
  try {
    const root = decodeMessage(bytes, registry.findMessage(typeName)!, { resolveType: (n) => registry.findMessage(n) });
    return toJsonString(root, { registry, indent, protoNames });
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

function expectSame(bytes: Uint8Array, typeName: string, registry: SchemaRegistry): void {
  for (const indent of [2, 0]) {
    for (const protoNames of [false, true]) {
      expect(fast(bytes, typeName, registry, indent, protoNames), `${typeName}, indent ${indent}`).toBe(
        reference(bytes, typeName, registry, indent, protoNames),
      );
    }
  }
}

describe('writeJson prints what toJsonString prints, byte for byte', () => {
  let bundled: SchemaRegistry;
  const messages = sampleMessages();
  beforeAll(async () => {
    bundled = await loadSchemas({ bundled: true });
  });

  it('for every sample message', () => {
    expect(messages.length).toBeGreaterThan(20);
    for (const m of messages) expectSame(m.bytes, m.type, bundled);
  });

  it('for the fuzz corpus (inputs that once broke a decoder or printer)', () => {
    const corpus = corpusMessages((name) => !!bundled.findMessage(name));
    expect(corpus.length).toBeGreaterThan(5);
    for (const m of corpus) expectSame(m.bytes, m.type, bundled);
  });

  it('for 3,000 messages made from the samples by concatenating, repeating, reordering and cutting fields', () => {
    const next = rng(7);
    let compared = 0;
    for (let k = 0; k < 3000; k++) {
      const a = messages[Math.floor(next() * messages.length)];
      const same = messages.filter((m) => m.type === a.type);
      const b = same[Math.floor(next() * same.length)];
      const fields = topLevelFields(a.bytes);
      let bytes: Uint8Array;
      switch (Math.floor(next() * 4)) {
        case 0: // two messages of one type concatenated: singular fields merge, repeated ones append
          bytes = concat([a.bytes, b.bytes]);
          break;
        case 1: // a field written twice
          bytes = concat([a.bytes, fields[Math.floor(next() * fields.length)] ?? new Uint8Array(0)]);
          break;
        case 2: // fields in reverse order
          bytes = concat([...fields].reverse());
          break;
        default: // the fields of a prefix of the message
          bytes = concat(fields.slice(0, Math.floor(next() * (fields.length + 1))));
      }
      expectSame(bytes, a.type, bundled);
      compared++;
    }
    expect(compared).toBe(3000);
  });

  it('for the JSON format fixtures: well-known types, maps, groups, extensions, enums, unknown fields', () => {
    const schema = protocSchema(JSON_FORMAT_FILES);
    const registry = loadSchemaSources(Object.entries(JSON_FORMAT_FILES).map(([name, contents]) => ({ name, contents })));
    for (const text of JSON_CASES) expectSame(schema.encode('j.Room', text), 'j.Room', registry);
  });

  it('for map keys toJson orders as a JS object does (integer-like keys first), repeated keys, and a __proto__ key', () => {
    const registry = loadSchemaSources([
      {
        name: 'm.proto',
        contents:
          'syntax = "proto3"; package m; message M { map<string, int32> s = 1; map<int64, string> i = 2; map<bool, M> b = 3; repeated double d = 4; optional float f = 5; }',
      },
    ]);
    const entry = (fn: number, key: (w: WireWriter) => void, value: (w: WireWriter) => void) => {
      const e = new WireWriter();
      key(e);
      value(e);
      const w = new WireWriter();
      w.tag(fn, WireType.LEN).lengthDelimited(e.finish());
      return w.finish();
    };
    const s = (k: string, v: number) =>
      entry(
        1,
        (w) => w.tag(1, WireType.LEN).lengthDelimited(new TextEncoder().encode(k)), // key
        (w) => w.tag(2, WireType.VARINT).int32(v), // value
      );
    const d = new WireWriter()
      .tag(4, WireType.LEN)
      .lengthDelimited(new WireWriter().double(-0).double(NaN).double(1e21).double(0.1).finish())
      .finish();
    const f = new WireWriter().tag(5, WireType.I32).float(0.1).finish();
    const cases = [
      concat([s('b', 1), s('10', 2), s('a', 3), s('2', 4), s('-1', 5), s('01', 6)]),
      concat([s('k', 1), s('j', 2), s('k', 3)]), // k twice: the last value, at the first place
      concat([s('__proto__', 1), s('x', 2)]),
      concat([
        entry(
          2,
          (w) => w.tag(1, WireType.VARINT).varint64(-5n),
          () => {},
        ),
        entry(
          2,
          () => {},
          () => {},
        ),
      ]), // a missing value and key
      concat([
        entry(
          3,
          (w) => w.tag(1, WireType.VARINT).uvarint(1),
          (w) => w.tag(2, WireType.LEN).lengthDelimited(s('x', 1)),
        ),
      ]),
      concat([d, f]),
    ];
    for (const bytes of cases) expectSame(bytes, 'm.M', registry);
  });

  it('prints an edited tree (no checked bytes behind it) through toJsonString', async () => {
    const registry = await loadSchemas({ bundled: true });
    const m = messages.find((x) => x.type === 'livekit.Room')!;
    const type = registry.findMessage('livekit.Room')!;
    const edited = applyEdit(decodeMessage(m.bytes, type), { op: 'set-value', path: [0], value: 'RM_EDITED' });
    const sink = new ByteSink();
    writeJson(edited, sink, { registry });
    expect(new TextDecoder().decode(sink.view())).toBe(toJsonString(edited, { registry }));
  });
});

/** The top-level fields of a message, each as its bytes (tag and value). */
function topLevelFields(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  try {
    const root = decodeMessage(bytes, null);
    for (const f of root.fields) out.push(bytes.subarray(f.span!.tagStart, f.span!.end));
  } catch {
    // not a message: no fields
  }
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}
