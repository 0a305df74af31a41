import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderGraph, importCircles, importGraph } from '../../testing/import-graph';

const ROOT = resolve(import.meta.dirname, '../..');

describe('core-node imports', () => {
  const graph = importGraph(ROOT, ['core-node']);

  it('the folders import each other in one direction only (the mock never imports the replay client)', () => {
    expect(importCircles(folderGraph(graph))).toEqual([]);
    const mockImports = [...graph].filter(([f]) => f.startsWith('core-node/mock/')).flatMap(([, targets]) => targets);
    expect(mockImports.filter((t) => t.startsWith('core-node/replay/'))).toEqual([]);
  });

  it('no module imports itself back through others', () => {
    expect(importCircles(graph)).toEqual([]);
  });

  it('sees a circle where there is one', () => {
    const circular = new Map([
      ['core-node/mock/a.ts', ['core-node/replay/b.ts']],
      ['core-node/replay/b.ts', ['core-node/mock/c.ts']],
      ['core-node/mock/c.ts', []],
    ]);
    expect(importCircles(folderGraph(circular))).toEqual([['core-node/mock', 'core-node/replay']]);
    expect(importCircles(circular)).toEqual([]);
  });
});
