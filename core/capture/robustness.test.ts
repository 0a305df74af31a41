/**
 * Bad input never crashes or hangs: a damaged HAR lists or fails with HarFormatError, every
 * entry of what lists opens without throwing, and the diff of arbitrary bytes answers or
 * fails with DiffInputError.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeDecompress } from '../../core-node/capture/decompress';
import { loadSchemas } from '../../core-node/schema/load-schemas';
import { DiffInputError, diffMessages } from '../diff/message-diff';
import { testRoot } from '../../testing/field-shapes-schema';
import type { SchemaRegistry } from '../schema/registry';
import { HarFormatError } from './har-read';
import { openEntry } from './open-entry';
import { readCapture } from './read-capture';

const SAMPLE = new Uint8Array(readFileSync(join(import.meta.dirname, '../../samples/captures/livekit-session.har')));
let registry: SchemaRegistry;
beforeAll(async () => {
  registry = await loadSchemas({ bundled: true });
});

describe('damaged HAR files', () => {
  it('list or fail with HarFormatError, and what lists opens without throwing', () => {
    const damage = fc.record({
      cuts: fc.array(fc.tuple(fc.nat(SAMPLE.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
      truncate: fc.option(fc.nat(SAMPLE.length), { nil: undefined }),
    });
    fc.assert(
      fc.property(damage, ({ cuts, truncate }) => {
        const bytes = SAMPLE.slice(0, truncate ?? SAMPLE.length);
        for (const [at, value] of cuts) if (at < bytes.length) bytes[at] = value;
        let capture;
        try {
          capture = readCapture(bytes, { schemas: registry });
        } catch (e) {
          expect(e).toBeInstanceOf(HarFormatError);
          return;
        }
        for (const entry of capture.entries) openEntry(capture, entry, { schemas: registry, decompress: nodeDecompress });
      }),
      { numRuns: 400 },
    );
  });
});

describe('diff of arbitrary bytes', () => {
  const Outer = testRoot().lookupType('test.Outer');
  it('answers or fails with DiffInputError, with a schema and without', () => {
    const bytes = fc.uint8Array({ maxLength: 64 });
    fc.assert(
      fc.property(bytes, bytes, fc.boolean(), (a, b, typed) => {
        try {
          const d = diffMessages(a, b, { type: typed ? Outer : null });
          expect(d.identical).toBe(a.length === b.length && a.every((x, i) => x === b[i]));
        } catch (e) {
          expect(e).toBeInstanceOf(DiffInputError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
