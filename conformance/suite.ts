/**
 * The conformance suite as vitest tests: one test per schema, printing its pass counts per
 * category and failing on any difference. The test files call it for their schemas, so vitest
 * runs them side by side.
 */
import { expect, it } from 'vitest';
import { protocVersion } from '../testing/protoc';
import { CATEGORIES, runConformance, type CategoryResult } from './run';
import type { ConformanceSchema } from './schemas';

/** Messages per schema (CONFORMANCE_COUNT changes it, for a long run) and the seed they come from. */
export const COUNT = Number(process.env['CONFORMANCE_COUNT'] ?? 2000);
export const SEED = Number(process.env['CONFORMANCE_SEED'] ?? 20261207);

function table(syntax: string, results: CategoryResult[]): string {
  const rows = results.map(
    (r) =>
      `  ${r.category.padEnd(15)} ${String(r.passed).padStart(6)} passed ${String(r.failed).padStart(4)} differ ${String(r.skipped).padStart(5)} skipped`,
  );
  return [`conformance ${syntax} (${COUNT} messages, seed ${SEED}, ${protocVersion()}, protobuf-es v2):`, ...rows].join('\n');
}

/** Declares the test of one schema: zero differences, and skips kept the exception. */
export function conformanceTest(schema: ConformanceSchema): void {
  it(`${schema.syntax}: ${COUNT} generated messages, zero differences`, () => {
    const results = runConformance(schema, COUNT, SEED);
    console.log(table(schema.syntax, results));
    expect(results.map((r) => r.category)).toEqual([...CATEGORIES]);
    for (const r of results) {
      expect(r.differences, r.category).toEqual([]);
      expect(r.passed + r.skipped, r.category).toBe(COUNT);
    }
    const passed = Object.fromEntries(results.map((r) => [r.category, r.passed]));
    expect(passed['text out']).toBe(COUNT);
    expect(passed['text in']).toBeGreaterThan(COUNT * 0.7);
    expect(passed['JSON in']).toBe(COUNT - Math.floor(COUNT / 4)); // every message but the protoc-only quarter
  }, 300_000);
}
