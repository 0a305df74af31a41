#!/usr/bin/env node
// Builds the app: the renderer with Vite (dist/renderer), the Electron main and preload with
// esbuild (dist/electron/main.cjs, dist/electron/preload.cjs; the preload is CommonJS for the
// sandbox), and the CLI bundle that bin/protodesk runs with esbuild (dist/cli/, see bin/cli-bundle.mjs).
// --if-needed: skip when the outputs are newer than every source file (the CLI: up to date with its inputs).
// --only=renderer|electron|cli: build just that one.
import { existsSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BUNDLE_DIR, forgetInputs, freshBundle, recordInputs } from '../bin/cli-bundle.mjs';
import { newestSource, rendererSourcesTime } from './renderer-freshness.mjs';
import { bundleCommonJs, bundleInputs, requireCommonJs, writeCommonJsLoader } from './require-commonjs.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const ifNeeded = process.argv.includes('--if-needed');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);

const newest = (dir) => newestSource(root, dir);

const outputs = {
  renderer: join(root, 'dist/renderer/index.html'),
  electron: join(root, 'dist/electron/main.cjs'),
};
const sources = {
  renderer: () => rendererSourcesTime(root),
  electron: () => Math.max(newest('app'), newest('core'), newest('core-node')),
};

function stale(name) {
  if (!ifNeeded || !existsSync(outputs[name])) return true;
  return statSync(outputs[name]).mtimeMs < sources[name]();
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if ((!only || only === 'renderer') && stale('renderer')) {
  const vite = join(root, 'node_modules/vite/bin/vite.js');
  if (!existsSync(vite)) {
    console.error('build: cannot build the UI: vite is not installed (an install without devDependencies); run `npm install` here first');
    process.exit(1);
  }
  const t0 = Date.now();
  console.log('build: the UI (renderer, vite)…');
  run(process.execPath, [vite, 'build', '--logLevel', 'warn']);
  console.log(`build: the UI built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
if ((!only || only === 'electron') && stale('electron')) {
  console.log('build: electron main and preload (esbuild)');
  const esbuild = await import('esbuild');
  const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning', external: ['electron'] };
  await esbuild.build({
    ...common,
    entryPoints: [join(root, 'app/main/main.ts')],
    outfile: outputs.electron,
    format: 'cjs',
    // core-node finds the bundled schemas from import.meta.url; give the bundle a value for it.
    define: { 'import.meta.url': '__protodesk_import_meta_url' },
    banner: { js: "const __protodesk_import_meta_url = require('url').pathToFileURL(__filename).href;" },
  });
  await esbuild.build({
    ...common,
    entryPoints: [join(root, 'app/preload/preload.ts')],
    outfile: join(root, 'dist/electron/preload.cjs'),
    format: 'cjs',
    platform: 'browser',
  });
}
if ((!only || only === 'cli') && !(ifNeeded && freshBundle())) {
  console.log('build: cli bundle (esbuild)');
  await buildCli();
}

/** Bundles bin/cli-entry.ts into dist/cli/ and records its inputs, so bin/protodesk can tell whether it is up to date. */
async function buildCli() {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    // An install without devDependencies: bin/protodesk runs the sources through tsx instead.
    console.log('build: cli bundle skipped: esbuild is not installed');
    return;
  }
  const started = Date.now();
  forgetInputs();
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
  // protobufjs is CommonJS: one prebundled file, require()d, loads faster than an ESM import (see require-commonjs.mjs).
  const commonJs = ['protobufjs', 'protobufjs/ext/descriptor.js'];
  const commonJsFile = join(BUNDLE_DIR, 'commonjs-packages.cjs');
  const packageFiles = await bundleCommonJs(esbuild, commonJs, commonJsFile, root);
  const commonJsLoader = join(BUNDLE_DIR, 'commonjs-loader.cjs');
  writeCommonJsLoader(commonJsLoader, commonJsFile);
  const { metafile } = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { protodesk: 'bin/cli-entry.ts' },
    outdir: BUNDLE_DIR,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    format: 'esm',
    // Each command's lazy import() becomes its own chunk: `raw` and --help load no schema code.
    splitting: true,
    platform: 'node',
    target: 'node20',
    packages: 'external',
    // The bundle's import.meta.url is bin/cli-entry.ts's (see define below).
    plugins: [requireCommonJs(commonJs, root, relative(join(root, 'bin'), commonJsLoader))],
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
    // Sources find package files from import.meta.url as modules one level below the package
    // root (cli/main.ts: ../package.json; server/: ..). The bundle's files are two levels down.
    define: { 'import.meta.url': '__protodesk_source_url' },
    banner: { js: "const __protodesk_source_url = new URL('../../bin/cli-entry.ts', import.meta.url).href;" },
  });
  const changed = recordInputs([...bundleInputs(metafile), ...packageFiles, 'scripts/build.mjs', 'scripts/require-commonjs.mjs'], started);
  if (changed) console.warn(`build: ${changed} changed during the build; bin/protodesk keeps running the sources until the next build`);
}
