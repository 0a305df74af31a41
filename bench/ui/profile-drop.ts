/**
 * Diagnostic (not part of `npm run bench`): where the page's time goes between a drop and the
 * view being shown. Builds the renderer unminified into .bench/renderer-diag (so function names
 * survive), serves it, drops a file with the Chromium CPU profiler running and prints the page's
 * hottest functions by self time. With --server-prof the server runs under `node --cpu-prof` too;
 * its profile (whole process: start, the drop, stop) lands in .bench/server-prof/, to read with
 * bench/profile.ts.
 * usage: node --import tsx bench/ui/profile-drop.ts stream|tree [--quick] [--no-build] [--server-prof] [--top=N]
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchConfig } from '../case';
import { BENCH_DIR, benchProtoFile, nodesFile, streamFile } from '../inputs';
import { selfTimes } from '../profile';
import { dropAndWait, formatRequests, launchBrowser, openApp, stageFile } from './browser';
import { startServedApp } from './served-app';

const args = process.argv.slice(2);
const what = args.find((a) => !a.startsWith('--'));
const config = benchConfig(args.includes('--quick'));
const top = Number(args.find((a) => a.startsWith('--top='))?.slice(6) ?? 25);
if (what !== 'stream' && what !== 'tree') {
  process.stderr.write('usage: profile-drop.ts stream|tree [--quick] [--no-build] [--server-prof] [--top=N]\n');
  process.exit(2);
}
const rendererDir = join(BENCH_DIR, 'renderer-diag');
if (!args.includes('--no-build')) {
  const r = spawnSync(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', '--minify', 'false', '--outDir', rendererDir, '--emptyOutDir', '--logLevel', 'warn'],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) process.exit(1);
}
const file = what === 'stream' ? streamFile(config.streamMessages, config.streamBytes) : nodesFile(config.uiNodes);
const condition =
  what === 'stream'
    ? `[...document.querySelectorAll('[data-testid="stream-list"] .stream-item[data-index="0"] .muted')].some((e) => /\\d B$/.test(e.textContent ?? ''))`
    : `document.querySelector('[data-testid="tree"] [role="treeitem"]') !== null`;

const serverProfDir = join(BENCH_DIR, 'server-prof');
const app = await startServedApp(
  120_000,
  ['--renderer', rendererDir],
  args.includes('--server-prof') ? ['--cpu-prof', `--cpu-prof-dir=${serverProfDir}`] : [],
);
const browser = await launchBrowser();
try {
  if (what === 'tree') await app.call('addSchemas', { protoFiles: [benchProtoFile()], importPaths: [BENCH_DIR] });
  const page = await openApp(browser, app);
  await stageFile(page, file.path);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Profiler.start');
  const drop = await dropAndWait(page, { shown: condition }, 120_000);
  const { profile } = await cdp.send('Profiler.stop');
  const out = join(BENCH_DIR, `page-${what}.cpuprofile`);
  writeFileSync(out, JSON.stringify(profile));
  process.stdout.write(
    `${what}: shown ${drop.times.shown.toFixed(0)} ms after the drop; requests: ${formatRequests(drop.requests)}; profile: ${out}\n`,
  );
  for (const r of selfTimes(profile as never).slice(0, top)) {
    process.stdout.write(
      `${r.ms.toFixed(1).padStart(9)} ms ${(100 * r.share).toFixed(1).padStart(5)}%  ${r.fn.replace(/https?:\/\/[^ ]*\/assets\//, 'assets/')}\n`,
    );
  }
} finally {
  await browser.close();
  await app.stop();
}
if (args.includes('--server-prof')) process.stdout.write(`server profile (written when the server stopped): ${serverProfDir}/\n`);
