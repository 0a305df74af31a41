/** No two of the project's modules import each other, directly or through others. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importCircles, importGraph } from './import-circles';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('import circles', () => {
  it('finds a circle through three files and a folder index, and none in a chain', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-circles-'));
    try {
      mkdirSync(join(dir, 'c'));
      writeFileSync(join(dir, 'a.ts'), "import { b } from './b';\nexport const a = b;\n");
      writeFileSync(join(dir, 'b.ts'), "import type { C } from './c';\nexport const b = 1 as unknown as C;\n");
      writeFileSync(join(dir, 'c/index.ts'), "export { a as C } from '../a';\n");
      writeFileSync(join(dir, 'd.ts'), "import { a } from './a';\nexport const d = a;\n");
      expect(importCircles(importGraph(dir))).toEqual([['a.ts', 'b.ts', 'c/index.ts']]);
      writeFileSync(join(dir, 'c/index.ts'), 'export type C = number;\n');
      expect(importCircles(importGraph(dir))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the project has none', () => {
    const graph = importGraph(root);
    expect(graph.size).toBeGreaterThan(300); // the walk found the sources
    expect(importCircles(graph)).toEqual([]);
  });
});
