/**
 * The relative imports among a code base's TypeScript files, and the circles in them: tests use
 * it to prove that modules (and folders) import each other in one direction only.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** File (relative to the root) → the files it imports (relative to the root). */
export type ImportGraph = Map<string, string[]>;

const IMPORT = /(?:^|\n)\s*(?:import|export)\s(?:[^'";]*?\sfrom\s*)?['"](\.{1,2}\/[^'"]+)['"]/g;
const DYNAMIC = /import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string, tests: boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p, tests));
    else if (/\.tsx?$/.test(name) && (tests || !/\.test\.tsx?$/.test(name)) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function resolveImport(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** The import graph of the production files under `dirs` (the tests too with `tests: true`), paths relative to `root`. */
export function importGraph(root: string, dirs: readonly string[], options: { tests?: boolean } = {}): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const dir of dirs) {
    for (const file of sourceFiles(join(root, dir), options.tests ?? false)) {
      const text = readFileSync(file, 'utf8');
      const specs = [...text.matchAll(IMPORT), ...text.matchAll(DYNAMIC)].map((m) => m[1]);
      const targets = specs.flatMap((s) => {
        const r = resolveImport(file, s);
        return r ? [relative(root, r)] : [];
      });
      graph.set(relative(root, file), [...new Set(targets)]);
    }
  }
  return graph;
}

/** The graph between folders: an edge when a file of one folder imports a file of another. */
export function folderGraph(graph: ImportGraph): ImportGraph {
  const out: ImportGraph = new Map();
  for (const [file, targets] of graph) {
    const from = dirname(file);
    const edges = new Set(out.get(from) ?? []);
    for (const t of targets) if (dirname(t) !== from) edges.add(dirname(t));
    out.set(from, [...edges]);
  }
  return out;
}

/** The circles of a graph: each set of nodes that reach each other (Tarjan's strongly connected components of two or more). */
export function importCircles(graph: ImportGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) circles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return circles;
}
