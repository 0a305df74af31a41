/**
 * Bombs: what the workbench does with a 1 GB file, measured (not part of `npm run
 * bench`'s table; run it on its own, it writes about 2 GB under .bench/):
 *
 *   node --expose-gc --import tsx bench/bomb-1gb.ts [stream|message|over-limit]
 *
 * - stream: a 1 GB varint-delimited stream (the 100 MB bench stream ten times, 10,000,000
 *   messages) opened by path: time, process memory, whether the host answered other requests
 *   while it opened, and the first page of the list.
 * - message: one bench.Dataset message just under the 1 GiB open limit (the 64 MB one fifteen
 *   times: 4,800,000 top-level records), opened lazily: it stops at the node limit with a
 *   warning, keeping what parsed.
 * - over-limit: a sparse 1.5 GB file is refused before it is read.
 * Each runs in this process; run them one at a time for clean memory figures.
 */
import { closeSync, existsSync, openSync, readFileSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createNodeWorkbench } from '../core-node/workbench/node-hosts';
import { benchConfig } from './case';
import { BENCH_DIR, BENCH_PROTO, datasetFile, streamFile } from './inputs';
import { formatBytes, formatMs } from './stats';

const GB = 1_000_000_000;

/** Writes `times` copies of `src` to `dest` (once; kept for later runs). */
function repeated(src: string, times: number, dest: string): string {
  if (existsSync(dest) && statSync(dest).size === statSync(src).size * times) return dest;
  const chunk = readFileSync(src);
  const fd = openSync(dest, 'w');
  try {
    for (let i = 0; i < times; i++) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  return dest;
}

/**
 * Runs `work` while a probe asks the host a cheap question every 50 ms, and reports the longest
 * the host kept a probe waiting: from when it was due (timer lateness, i.e. the event loop
 * blocked by the work) to its answer. Peak memory is the process's own maximum RSS (getrusage),
 * so a peak between samples is not missed.
 */
async function watched<T>(
  wb: Awaited<ReturnType<typeof createNodeWorkbench>>,
  work: () => Promise<T>,
): Promise<{ value: T | Error; ms: number; peakRss: number; slowestAnswer: number; answers: number }> {
  let slowestAnswer = 0;
  let answers = 0;
  let done = false;
  const probe = (async () => {
    while (!done) {
      const due = performance.now() + 50;
      await new Promise((r) => setTimeout(r, 50));
      await wb.api.listDocuments({});
      slowestAnswer = Math.max(slowestAnswer, performance.now() - due);
      answers++;
    }
  })();
  const t0 = performance.now();
  let value: T | Error;
  try {
    value = await work();
  } catch (e) {
    value = e as Error;
  }
  const ms = performance.now() - t0;
  done = true;
  await probe;
  return { value, ms, peakRss: process.resourceUsage().maxRSS * 1024, slowestAnswer, answers };
}

async function main(): Promise<void> {
  const which = process.argv[2] ?? 'stream';
  const config = benchConfig(false);
  const wb = await createNodeWorkbench({ stateFile: null, schemaSources: { protoFiles: [], importPaths: [], descriptorSets: [] } });
  // The bench schema (bench.Dataset), added as an upload so the bundled ones need not load.
  await wb.api.addSchemas({ uploads: [{ name: 'bench.proto', contents: new TextEncoder().encode(BENCH_PROTO) }] });
  const progress: string[] = [];
  wb.onEvent((e) => {
    if (e.kind === 'progress') progress.push(`${e.label} ${e.done}/${e.total}`);
  });
  const idle = process.memoryUsage.rss();
  let path: string;
  if (which === 'stream')
    path = repeated(streamFile(config.streamMessages, config.streamBytes).path, 10, join(BENCH_DIR, 'bomb-stream-1gb.delimited'));
  else if (which === 'message') path = repeated(datasetFile(config.bigMessageBytes).path, 15, join(BENCH_DIR, 'bomb-message-1gb.bin'));
  else {
    path = join(BENCH_DIR, 'bomb-sparse-1.5gb.bin');
    writeFileSync(path, '');
    truncateSync(path, 1.5 * GB); // sparse: no disk used
  }
  const size = statSync(path).size;
  console.log(`${which}: ${path} (${formatBytes(size)}); host idle RSS ${formatBytes(idle)}`);
  const r = await watched(wb, () => wb.api.openPath({ path }));
  if (r.value instanceof Error) {
    console.log(`open refused after ${formatMs(r.ms)}: ${r.value.message}`);
  } else {
    const s = r.value;
    console.log(
      `opened in ${formatMs(r.ms)}: type ${s.typeName ?? 'raw'}, ${s.messageCount} message(s), framing ${s.framing}${s.error ? `; says: ${s.error}` : ''}`,
    );
    const t = performance.now();
    if (s.messageCount > 1) await wb.api.getStream({ docId: s.docId, start: 0, count: 100 });
    else await wb.api.getRows({ docId: s.docId, message: 0, start: 0, count: 100 });
    console.log(`first page of ${s.messageCount > 1 ? 'the message list' : 'the tree'}: ${formatMs(performance.now() - t)}`);
  }
  console.log(
    `peak RSS ${formatBytes(r.peakRss)} (${(r.peakRss / size).toFixed(2)}x the file; ${((r.peakRss - idle) / size).toFixed(2)}x above idle)`,
  );
  console.log(
    `host answered ${r.answers} listDocuments probes (one due every 50 ms) while opening; longest wait from due to answered ${formatMs(r.slowestAnswer)}`,
  );
  console.log(
    `progress events: ${progress.length}${progress.length ? ` (first "${progress[0]}", last "${progress[progress.length - 1]}")` : ''}`,
  );
  wb.dispose();
}

void main();
