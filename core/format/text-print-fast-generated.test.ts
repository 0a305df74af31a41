import type { Type } from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { BENCH_PROTO } from '../../bench/inputs';
import { loadSchemas } from '../../core-node/schema/load-schemas';
import { JSON_FORMAT_FILES } from '../../testing/json-format-fixtures';
import { protocSchema } from '../../testing/protoc';
import { sampleMessages } from '../../testing/sample-messages';
import { TEXT_FORMAT_FILES } from '../../testing/text-format-fixtures';
import { CLOSED_SCHEMA, Generator, rng } from '../../testing/wire-message-generator';
import { decodeMessage } from '../document/decode';
import { loadSchemaSources, type SchemaRegistry } from '../schema/registry';
import { ByteSink } from '../wire/byte-sink';
import { WireWriter } from '../wire/wire-writer';
import { toText } from './text-print';
import { TextWriter, writeText } from './text-print-fast';

/** What writeText prints (or the message of what it throws), through a small flush size. */
function fast(bytes: Uint8Array, type: Type, registry: SchemaRegistry, indent = 2): string {
  const chunks: Uint8Array[] = [];
  const sink = new ByteSink((c) => chunks.push(c.slice()), 64, 8);
  try {
    writeText(decodeMessage(bytes, type, { resolveType: (n) => registry.findMessage(n), transient: true }), sink, { indent });
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
  sink.flush();
  return Buffer.concat(chunks).toString('latin1');
}

function reference(bytes: Uint8Array, type: Type, registry: SchemaRegistry, indent = 2): string {
  try {
    return toText(decodeMessage(bytes, type, { resolveType: (n) => registry.findMessage(n) }), { indent });
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

/** Compares writeText with toText on `count` generated messages of `type`; returns how many printed (did not fail to decode). */
function compareGenerated(type: Type, registry: SchemaRegistry, count: number, seed: number): number {
  const gen = new Generator(rng(seed), true);
  let printed = 0;
  for (let k = 0; k < count; k++) {
    const bytes = gen.message(type, 0);
    const indent = k % 4 === 0 ? 0 : 2;
    const want = reference(bytes, type, registry, indent);
    const got = fast(bytes, type, registry, indent);
    if (got !== want) expect(got, `${type.fullName} message ${k}: ${Buffer.from(bytes).toString('hex')}`).toBe(want);
    if (!want.startsWith('error:')) printed++;
  }
  return printed;
}

const sources = (files: Record<string, string>) => Object.entries(files).map(([name, contents]) => ({ name, contents }));

describe('writeText prints what toText prints for generated messages', () => {
  const registry = loadSchemaSources([
    ...sources(JSON_FORMAT_FILES),
    ...sources(TEXT_FORMAT_FILES),
    { name: 'c.proto', contents: CLOSED_SCHEMA },
    { name: 'bench.proto', contents: BENCH_PROTO },
  ]);

  for (const typeName of ['c.Node', 'j.Room', 'j2.Old', 't2.All', 't3.Msg', 'bench.Dataset', 'bench.Event']) {
    it(`for 1,500 random ${typeName} messages`, () => {
      const printed = compareGenerated(registry.findMessage(typeName)!, registry, 1500, typeName.length * 7919);
      expect(printed).toBeGreaterThan(1000);
    });
  }

  it('for random messages of every bundled type (LiveKit, Kik, Google)', async () => {
    const bundled = await loadSchemas({ bundled: true });
    const types = bundled.messageTypes();
    expect(types.length).toBeGreaterThan(300);
    let printed = 0;
    types.forEach((type, i) => (printed += compareGenerated(type, bundled, 12, i + 1)));
    expect(printed).toBeGreaterThan(types.length * 6);
  });

  it('for messages made from the LiveKit samples by concatenating, repeating, reordering and cutting fields', async () => {
    const bundled = await loadSchemas({ bundled: true });
    const messages = sampleMessages().map((m) => ({ bytes: m.bytes, type: bundled.findMessage(m.type)! }));
    const next = rng(7);
    for (let k = 0; k < 2000; k++) {
      const a = messages[Math.floor(next() * messages.length)];
      const same = messages.filter((m) => m.type === a.type);
      const b = same[Math.floor(next() * same.length)];
      const fields = topLevelFields(a.bytes);
      const pick = () => fields[Math.floor(next() * fields.length)] ?? new Uint8Array(0);
      const variants = [
        () => concat([a.bytes, b.bytes]), // singular fields: last wins, messages merge; repeated ones append
        () => concat([a.bytes, pick()]), // a field written twice
        () => concat([...fields].reverse()),
        () => concat(fields.slice(0, Math.floor(next() * (fields.length + 1)))),
      ];
      const bytes = variants[Math.floor(next() * variants.length)]();
      expect(fast(bytes, a.type, bundled), hex(bytes)).toBe(reference(bytes, a.type, bundled));
    }
  });

  it('prints a stream of messages through one TextWriter as message by message', () => {
    const type = registry.findMessage('c.Node')!;
    const gen = new Generator(rng(99), true);
    const sink = new ByteSink();
    const writer = new TextWriter(sink);
    const want: string[] = [];
    for (let k = 0; k < 300; k++) {
      const bytes = gen.message(type, 0);
      const ref = reference(bytes, type, registry);
      if (ref.startsWith('error:')) continue; // does not decode
      writer.write(decodeMessage(bytes, type, { transient: true }));
      want.push(ref);
    }
    expect(want.length).toBeGreaterThan(200);
    expect(new TextDecoder().decode(sink.view())).toBe(want.join(''));
  });
});

describe('writeText prints what protoc --decode prints for generated messages', () => {
  it('for 150 random proto2 messages (closed enums, groups, maps, extensions, unknown fields)', () => {
    const files = { 'c.proto': CLOSED_SCHEMA };
    const protoc = protocSchema(files);
    const registry = loadSchemaSources(sources(files));
    const type = registry.findMessage('c.Node')!;
    const gen = new Generator(rng(2024), true);
    let compared = 0;
    for (let k = 0; k < 150; k++) {
      const bytes = gen.message(type, 0);
      let expected: string;
      try {
        expected = protoc.decode('c.Node', bytes);
      } catch {
        continue; // protoc refuses these bytes
      }
      expect(fast(bytes, type, registry), hex(bytes)).toBe(expected);
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
  });
});

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** The top-level fields of a message, each as its bytes (tag and value). */
function topLevelFields(bytes: Uint8Array): Uint8Array[] {
  try {
    return decodeMessage(bytes, null).fields.map((f) => bytes.subarray(f.span!.tagStart, f.span!.end));
  } catch {
    return []; // not a message: no fields
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const w = new WireWriter();
  for (const p of parts) w.raw(p);
  return w.finish();
}
