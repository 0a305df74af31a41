// Whether the built renderer (dist/renderer/index.html) is older than its sources (renderer/,
// core/, vite.config.ts). Plain JavaScript so that scripts/build.mjs (which decides whether to
// rebuild) and `protodesk serve` (which then skips starting that script) read it the same way.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The newest modification time (ms) of a file below `dir` of `root` (node_modules and dot entries skipped); 0 when there is none. */
export function newestSource(root, dir) {
  let t = 0;
  const walk = (d) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else t = Math.max(t, statSync(p).mtimeMs);
    }
  };
  walk(join(root, dir));
  return t;
}

/** The newest modification time (ms) of the renderer build's sources. */
export function rendererSourcesTime(root) {
  const config = statSync(join(root, 'vite.config.ts'), { throwIfNoEntry: false });
  return Math.max(newestSource(root, 'renderer'), newestSource(root, 'core'), config ? config.mtimeMs : 0);
}

/** True when dist/renderer/index.html is missing or older than a source of it. */
export function rendererStale(root) {
  const index = statSync(join(root, 'dist', 'renderer', 'index.html'), { throwIfNoEntry: false });
  return !index || index.mtimeMs < rendererSourcesTime(root);
}
