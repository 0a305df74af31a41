#!/usr/bin/env node
// Type-checks every project once, in dependency order (TypeScript project references, see
// tsconfig.json): each layer has its own tsconfig with only the globals it may use (core/ has no
// Node or DOM types) and references only the layers below it, so a wrong import across layers
// fails here. Referenced layers are checked once and seen by the others through declarations
// in .tsbuild/ (git-ignored), which also makes a second run incremental.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const started = Date.now();
const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '--build', 'tsconfig.json', '--pretty'], {
  cwd: root,
  stdio: 'inherit',
});
if (r.status !== 0) {
  console.error('typecheck failed');
  process.exit(r.status ?? 1);
}
console.log(`typecheck ok: every project (tsc --build) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
