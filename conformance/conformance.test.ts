import { describe, expect, it } from 'vitest';
import { protocVersion } from '../testing/protoc';
import { generateMessage, Rng } from './generate';
import { esReferee } from './referees/protobuf-es';
import { CATEGORIES, runConformance, type CategoryResult } from './run';
import { CONFORMANCE_SCHEMAS } from './schemas';
import { protocSchema } from '../testing/protoc';

/** Messages per syntax (CONFORMANCE_COUNT raises it for a long run) and the seed they come from. */
const COUNT = Number(process.env['CONFORMANCE_COUNT'] ?? 2000);
const SEED = Number(process.env['CONFORMANCE_SEED'] ?? 20261207);

function table(syntax: string, results: CategoryResult[]): string {
  const rows = results.map(
    (r) =>
      `  ${r.category.padEnd(15)} ${String(r.passed).padStart(6)} passed ${String(r.failed).padStart(4)} differ ${String(r.skipped).padStart(5)} skipped`,
  );
  return [`conformance ${syntax} (${COUNT} messages, seed ${SEED}, ${protocVersion()}, protobuf-es v2):`, ...rows].join('\n');
}

describe('conformance: generated messages against protoc 36 (text, encode) and protobuf-es v2 (JSON both ways)', () => {
  it.each(CONFORMANCE_SCHEMAS.map((s) => [s.syntax, s] as const))(
    '%s: zero differences',
    (syntax, schema) => {
      const results = runConformance(schema, COUNT, SEED);
      console.log(table(syntax, results));
      expect(results.map((r) => r.category)).toEqual([...CATEGORIES]);
      for (const r of results) {
        expect(r.differences, r.category).toEqual([]);
        expect(r.passed + r.skipped, r.category).toBe(COUNT);
      }
      // Skips stay the exception: text and JSON cover most messages.
      const passed = Object.fromEntries(results.map((r) => [r.category, r.passed]));
      expect(passed['text out']).toBe(COUNT);
      expect(passed['text in']).toBeGreaterThan(COUNT * 0.8);
      expect(passed['JSON in']).toBeGreaterThan(COUNT * 0.65);
    },
    240_000,
  );

  it('generates the same messages from the same seed, and different ones from another', () => {
    const schema = CONFORMANCE_SCHEMAS[0];
    const es = esReferee(protocSchema(schema.files).descriptorSet());
    const run = (seed: number) => {
      const rng = new Rng(seed);
      return Array.from({ length: 5 }, () => Buffer.from(generateMessage(es.message(schema.top), es.registry, rng)).toString('hex'));
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });
});
