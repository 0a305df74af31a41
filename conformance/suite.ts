/**
 * The conformance suite as vitest tests: one test per syntax, running each of its schemas,
 * printing the pass counts per category for each schema and for the syntax, and failing on any
 * difference or when a category of the syntax compared fewer than PER_SYNTAX messages. The test
 * files call it for their syntaxes, so vitest runs them side by side.
 */
import { expect, it } from 'vitest';
import { protocVersion } from '../testing/protoc';
import { CATEGORIES, sumResults, type CategoryResult } from './compare';
import { DEEP_TARGETS } from './deep';
import { ES_REFUSES, MESSAGE_SET, runConformance } from './run';
import { CONFORMANCE_SCHEMAS, type ConformanceSchema, type Syntax } from './schemas';

/** Messages each category compares at least, per syntax (CONFORMANCE_COUNT changes it, for a long run). */
export const PER_SYNTAX = Number(process.env['CONFORMANCE_COUNT'] ?? 2000);
/** The seed the messages come from (CONFORMANCE_SEED). */
export const SEED = Number(process.env['CONFORMANCE_SEED'] ?? 20261207);
/**
 * Messages generated per schema: enough that the JSON categories, which leave out messages with
 * MessageSet items (about one in twenty of proto2's), still compare PER_SYNTAX.
 */
export const PER_SCHEMA = Math.ceil(PER_SYNTAX * 1.125);

function table(title: string, results: CategoryResult[]): string {
  const rows = results.map((r) => {
    const reasons = Object.entries(r.skips)
      .map(([reason, n]) => `${n} ${reason}`)
      .join('; ');
    return `  ${r.category.padEnd(15)} ${String(r.passed).padStart(6)} passed ${String(r.failed).padStart(4)} differ ${String(r.skipped).padStart(5)} skipped${reasons ? ` (${reasons})` : ''}`;
  });
  return [title, ...rows].join('\n');
}

/** Declares the test of one syntax: every schema of it run, zero differences, PER_SYNTAX compared per category. */
export function conformanceTest(family: Syntax): void {
  const schemas = CONFORMANCE_SCHEMAS.filter((s) => s.family === family);
  const deepCount = schemas.reduce((n, s) => n + s.deep.length * DEEP_TARGETS.length, 0);
  it(`${family}: at least ${PER_SYNTAX} messages per category and ${deepCount} deep chains, zero differences`, () => {
    const runs = schemas.map((schema) => {
      const results = runConformance(schema, PER_SCHEMA, SEED);
      if (schemas.length > 1) console.log(table(`  ${schema.syntax} (${PER_SCHEMA} messages):`, results));
      return results;
    });
    const total = sumResults(runs);
    console.log(
      table(
        `conformance ${family} (${schemas.length * PER_SCHEMA} messages in ${schemas.length} schema(s), seed ${SEED}, ${protocVersion()}, protobuf-es v2):`,
        total,
      ),
    );
    schemas.forEach((schema, k) => checkSchema(schema, runs[k]));
    for (const r of total) {
      expect(r.differences, r.category).toEqual([]);
      expect(r.failed, r.category).toBe(0);
      if (r.category === 'deep recursion') expect(r.passed).toBe(deepCount);
      else expect(r.passed, r.category).toBeGreaterThanOrEqual(PER_SYNTAX);
    }
  }, 600_000);
}

/** One schema's counts: every message compared or skipped for a stated reason, and only the expected skips. */
function checkSchema(schema: ConformanceSchema, results: CategoryResult[]): void {
  expect(results.map((r) => r.category)).toEqual([...CATEGORIES]);
  const byCategory = Object.fromEntries(results.map((r) => [r.category, r]));
  for (const r of results)
    if (r.category !== 'deep recursion') expect(r.passed + r.failed + r.skipped, `${schema.syntax} ${r.category}`).toBe(PER_SCHEMA);
  // Text is compared on every message; JSON on every message but those with MessageSet items
  // and those protobuf-es refuses to print (nothing to read in, then).
  for (const c of ['text out', 'text in'] as const) expect(byCategory[c].skipped, `${schema.syntax} ${c}`).toBe(0);
  for (const c of ['JSON out', 'JSON in', 'JSON read back'] as const) {
    const allowed = c === 'JSON out' ? [MESSAGE_SET] : [MESSAGE_SET, ES_REFUSES];
    for (const reason of Object.keys(byCategory[c].skips)) expect(allowed, `${schema.syntax} ${c}`).toContain(reason);
    expect(byCategory[c].skipped, `${schema.syntax} ${c}`).toBeLessThan(PER_SCHEMA / 10);
  }
}
