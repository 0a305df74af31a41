/**
 * Replays every input in fuzz/corpus/ (found by `npm run fuzz`) through the target that failed
 * on it, and asserts it now either works or is rejected cleanly with an offset / position
 * (see fuzz/targets.ts for the classification). Slow and hanging inputs are replayed too: they
 * must finish with a clean outcome (no time is asserted here).
 *
 * A sidecar with `"open": true` is a bug not fixed yet: its test is `it.fails` and names the bug,
 * so the suite stays green and the test flips (fails) once the bug is fixed — then set
 * `"open": false` (or delete the field) in that .json file.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSchemas } from '../core-node/schema/load-schemas';
import { loadCorpus } from './corpus';
import { makeEnv, type FuzzEnv } from './fuzz-case';
import { runCase } from './targets';

const entries = loadCorpus();

let env: FuzzEnv;
beforeAll(async () => {
  env = makeEnv(await loadSchemas({ bundled: true }));
});

describe('fuzz corpus regressions', () => {
  it('the corpus loads (every .bin has a sidecar naming its target)', () => {
    for (const e of entries) expect(e.meta.target).toBeTruthy();
  });

  for (const { file, meta: m, fuzzCase } of entries) {
    const title = `${m.open ? 'BUG ' : ''}${m.bug ?? m.signature} [${file}]`;
    const test = m.open ? it.fails : it;
    test(title, () => {
      const outcome = runCase(env, fuzzCase);
      expect(outcome.kind === 'ok' || outcome.kind === 'reject' ? 'clean' : `${outcome.kind}: ${outcome.detail}`).toBe('clean');
    });
  }
});
