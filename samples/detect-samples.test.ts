/**
 * What a user checks first: `detect` on each ordinary sample (not an edge case) ranks the
 * sample's own type first among every bundled message type.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSchemas } from '../core-node/schema/load-schemas';
import type { SchemaRegistry } from '../core/schema/registry';
import { rankRegistryTypes } from '../core/detect/detect-type';
import type { SampleEntry } from '../scripts/make-samples';
import { REPO_ROOT } from '../schemas/schema-files';

const SAMPLES_DIR = join(REPO_ROOT, 'samples');
const index = (JSON.parse(readFileSync(join(SAMPLES_DIR, 'index.json'), 'utf8')) as { samples: SampleEntry[] }).samples;
const ordinary = index.filter((s) => !s.edgeCase);
let registry: SchemaRegistry;

beforeAll(async () => {
  registry = await loadSchemas({ bundled: true });
});

describe('detect on the samples', () => {
  it('covers the ordinary samples of both families', () => {
    expect(ordinary.length).toBeGreaterThanOrEqual(23);
    expect(ordinary.every((s) => s.framing === 'single')).toBe(true);
  });

  it.each(ordinary.map((s) => [s.file, s.type] as const))('%s: ranks %s first', (file, type) => {
    const bytes = new Uint8Array(readFileSync(join(SAMPLES_DIR, file)));
    const ranks = rankRegistryTypes(bytes, registry, { limit: 3, reasonsFor: 3 });
    const shown = ranks.map((r) => `${r.typeName} ${r.score.toFixed(4)}: ${r.reasons?.join('; ')}`).join('\n');
    expect(ranks[0].typeName, shown).toBe(type);
  });
});
