import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCircles, importGraph } from '../../testing/import-graph';

const ROOT = resolve(import.meta.dirname, '../..');

describe('the contract modules', () => {
  const graph = importGraph(ROOT, ['core/api']);

  it('import each other in one direction only', () => {
    expect(importCircles(graph)).toEqual([]);
  });

  it('the replay half does not import the document half (contract.ts imports it)', () => {
    expect(graph.get('core/api/replay-contract.ts')).not.toContain('core/api/contract.ts');
    expect(graph.get('core/api/contract.ts')).toContain('core/api/replay-contract.ts');
  });
});
