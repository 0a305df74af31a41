#!/usr/bin/env node
// npm start: builds what is missing, then starts Electron where its runtime is installed.
// Where it is not, tries once to fetch it (node_modules/electron/install.js); if that fails it
// says so plainly and serves the same UI in the browser mode at http://127.0.0.1:PORT (`protodesk
// serve` prints the link to open, with its one-time key).
// Arguments are files to open (and --port N for the browser mode).
import { existsSync, readFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const portAt = args.indexOf('--port');
const port = portAt >= 0 ? args[portAt + 1] : '7777';
const files = args.filter((a, i) => a !== '--port' && i !== portAt + 1);

const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--if-needed'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

/**
 * The Electron binary's path when the runtime is installed, else null and why. Reads
 * node_modules/electron/path.txt itself: require('electron') would try to download.
 */
function electronBinary() {
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return { path: null, why: 'node_modules/electron/path.txt is missing: the binary was never downloaded' };
  const bin = join(process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkg, 'dist'), readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? { path: bin } : { path: null, why: `${bin} does not exist` };
}

let rt = electronBinary();
if (!rt.path) {
  console.log(`Electron's runtime is not installed (${rt.why}); trying to fetch it once…`);
  const r = spawnSync(process.execPath, [join(root, 'node_modules/electron/install.js')], { stdio: 'inherit', timeout: 180_000 });
  rt = r.status === 0 ? electronBinary() : { path: null, why: r.error ? r.error.message : `the download failed (exit ${r.status})` };
}

let child;
if (rt.path) {
  child = spawn(rt.path, [join(root, 'dist/electron/main.cjs'), ...files], { stdio: 'inherit' });
} else {
  console.log(
    `Electron's runtime is not installed here (${rt.why}); serving the same UI on http://127.0.0.1:${port} instead: open the link printed below`,
  );
  child = spawn(process.execPath, [join(root, 'bin/protodesk'), 'serve', '--port', port, ...files], { stdio: 'inherit' });
}
child.on('exit', (code) => process.exit(code ?? 0));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
