#!/usr/bin/env node
// Type-checks every layer with its own tsconfig, so a wrong import across layers fails the build.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const projects = [
  'core/tsconfig.json',
  'core-node/tsconfig.json',
  'cli/tsconfig.json',
  'server/tsconfig.json',
  'app/main/tsconfig.json',
  'app/preload/tsconfig.json',
  'renderer/tsconfig.json',
  'e2e/tsconfig.json',
  'fuzz/tsconfig.json',
  'tsconfig.tests.json',
];
let failed = 0;
for (const p of projects) {
  if (!existsSync(p)) continue;
  const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', p], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.error(`typecheck failed: ${p}`);
  } else console.log(`typecheck ok: ${p}`);
}
process.exit(failed ? 1 : 0);
