import type { Type } from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { JSON_FORMAT_FILES } from '../../testing/json-format-fixtures';
import { CLOSED_SCHEMA, Generator, rng } from '../../testing/wire-message-generator';
import { decodeMessage } from '../document/decode';
import { loadSchemaSources, type SchemaRegistry } from '../schema/registry';
import { indexStream, messageAt } from '../stream/stream-framing';
import { ByteSink } from '../wire/byte-sink';
import { WireWriter } from '../wire/wire-writer';
import { toJsonString } from './json-print';
import { JsonWriter, writeJson } from './json-print-fast';

function fast(bytes: Uint8Array, type: Type, registry: SchemaRegistry, indent: number, protoNames: boolean): string {
  const chunks: Uint8Array[] = [];
  const sink = new ByteSink((c) => chunks.push(c.slice()), 64, 8);
  try {
    writeJson(decodeMessage(bytes, type, { resolveType: (n) => registry.findMessage(n) }), sink, { registry, indent, protoNames });
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
  sink.flush();
  return Buffer.concat(chunks).toString('utf8');
}

function reference(bytes: Uint8Array, type: Type, registry: SchemaRegistry, indent: number, protoNames: boolean): string {
  try {
    return toJsonString(decodeMessage(bytes, type, { resolveType: (n) => registry.findMessage(n) }), { registry, indent, protoNames });
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

describe('writeJson prints what toJsonString prints for generated messages', () => {
  const registry = loadSchemaSources([
    ...Object.entries(JSON_FORMAT_FILES).map(([name, contents]) => ({ name, contents })),
    { name: 'c.proto', contents: CLOSED_SCHEMA },
  ]);

  for (const typeName of ['c.Node', 'j.Room', 'j2.Old']) {
    it(`for 1,500 random ${typeName} messages`, () => {
      const type = registry.findMessage(typeName)!;
      const gen = new Generator(rng(typeName.length * 7919));
      let printed = 0;
      for (let k = 0; k < 1500; k++) {
        const bytes = gen.message(type, 0);
        const indent = k % 3 === 0 ? 0 : 2;
        const protoNames = k % 5 === 0;
        const want = reference(bytes, type, registry, indent, protoNames);
        expect(fast(bytes, type, registry, indent, protoNames), `message ${k}: ${Buffer.from(bytes).toString('hex')}`).toBe(want);
        if (!want.startsWith('error:')) printed++;
      }
      expect(printed).toBeGreaterThan(300); // most messages print; errors (Any without a resolvable type, Value unset) are compared too
    });
  }

  it('prints a stream of messages through one JsonWriter as message by message, and leaves nothing of one that fails', () => {
    const type = registry.findMessage('j.Room')!;
    const gen = new Generator(rng(99));
    const w = new WireWriter();
    for (let k = 0; k < 300; k++) w.raw(framed(gen.message(type, 0)));
    const index = indexStream(w.finish(), 'delimited');
    const sink = new ByteSink();
    const writer = new JsonWriter(sink, { registry, indent: 0 });
    const want: string[] = [];
    let failed = 0;
    for (let i = 0; i < index.count; i++) {
      const bytes = messageAt(index, i);
      const ref = reference(bytes, type, registry, 0, false);
      try {
        writer.write(decodeMessage(bytes, type, { resolveType: (n) => registry.findMessage(n) }));
        sink.byte(0x0a);
      } catch (e) {
        expect(`error: ${(e as Error).message}`).toBe(ref);
        failed++;
        continue;
      }
      want.push(ref + '\n');
    }
    expect(failed).toBeGreaterThan(0);
    expect(new TextDecoder().decode(sink.view())).toBe(want.join(''));
  });
});

function framed(bytes: Uint8Array): Uint8Array {
  return new WireWriter().lengthDelimited(bytes).finish();
}
