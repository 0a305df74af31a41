/** No two of the project's modules import each other, directly or through others (tests and type-only imports included). */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importCircles, importGraph } from '../testing/import-graph';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Every folder of the repository that holds TypeScript. */
const SOURCE_DIRS = [
  'app',
  'bench',
  'bin',
  'cli',
  'conformance',
  'core',
  'core-node',
  'e2e',
  'fuzz',
  'renderer',
  'samples',
  'schemas',
  'scripts',
  'server',
  'testing',
];

describe('import circles', () => {
  it('finds a circle through three files and a folder index, and none in a chain', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-circles-'));
    try {
      mkdirSync(join(dir, 'src/c'), { recursive: true });
      writeFileSync(join(dir, 'src/a.ts'), "import { b } from './b';\nexport const a = b;\n");
      writeFileSync(join(dir, 'src/b.ts'), "import type { C } from './c';\nexport const b = 1 as unknown as C;\n");
      writeFileSync(join(dir, 'src/c/index.ts'), "export { a as C } from '../a';\n");
      writeFileSync(join(dir, 'src/d.ts'), "import { a } from './a';\nexport const d = a;\n");
      expect(importCircles(importGraph(dir, ['src'], { tests: true }))).toEqual([['src/a.ts', 'src/b.ts', 'src/c/index.ts']]);
      writeFileSync(join(dir, 'src/c/index.ts'), 'export type C = number;\n');
      expect(importCircles(importGraph(dir, ['src'], { tests: true }))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the project has none', () => {
    const graph = importGraph(root, SOURCE_DIRS, { tests: true });
    expect(graph.size).toBeGreaterThan(300); // the walk found the sources
    expect(importCircles(graph)).toEqual([]);
  });
});
