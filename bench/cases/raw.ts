/**
 * Case 3: schema-less decode of a 10 MB message: decodeRaw in-process, and `protodesk raw` vs
 * `protoc --decode_raw` as whole processes, on it and on a 100 MB message (3d).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { decodeRaw } from '../../core/raw/raw-decode';
import { rawToText, writeRawText } from '../../core/raw/raw-text';
import { RAW_TEXT_SYNC_CHUNK_BYTES } from '../../core/raw/raw-text-sink';
import { freshBundle } from '../../bin/cli-bundle.mjs';
import type { BenchCase } from '../case';
import { BENCH_DIR, datasetFile, readInput } from '../inputs';
import { infoRow, notMeasuredRow, ratioRow } from '../report';
import { formatBytes, formatMs, mbPerSecond, measure, median, summarize } from '../stats';
import { PROTOC } from '../../testing/protoc';

/** Runs a command with stdin from a file (or none) and stdout to `stdoutPath`; returns wall time in ms. */
function timeProcess(cmd: string, args: readonly string[], stdinPath: string | null, stdoutPath = '/dev/null'): number {
  const inFd = stdinPath ? openSync(stdinPath, 'r') : 'ignore';
  const outFd = openSync(stdoutPath, 'w');
  try {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { stdio: [inFd, outFd, 'pipe'], maxBuffer: 1 << 20 });
    const ms = performance.now() - t0;
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.toString().slice(0, 300)}`);
    return ms;
  } finally {
    if (typeof inFd === 'number') closeSync(inFd);
    closeSync(outFd);
  }
}

/** "yes", or where two texts first differ (line number and both lines). */
function firstDifference(ours: string, theirs: string): string {
  if (ours === theirs) return 'yes';
  const a = ours.split('\n');
  const b = theirs.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const clip = (s: string | undefined) => JSON.stringify((s ?? '<end>').trim().slice(0, 60));
  return `NO, first at line ${i + 1}: ours ${clip(a[i])}, protoc ${clip(b[i])}`;
}

/** Whether bin/protodesk runs the prebuilt bundle (else the sources through tsx), in words. */
function launcherMode(): string {
  return freshBundle()
    ? 'the prebuilt bundle (dist/cli)'
    : 'the sources through tsx (the bundle is out of date: a source changed during the run)';
}

/** Runs case 3. */
export const rawCase: BenchCase = async (config) => {
  // bin/protodesk runs the prebuilt bundle when it is up to date with the sources: build it if needed.
  const build = spawnSync(process.execPath, ['scripts/build.mjs', '--if-needed', '--only=cli'], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (build.status !== 0) throw new Error(`building the CLI bundle failed: ${build.stderr.toString().slice(0, 300)}`);
  const file = datasetFile(config.rawBytes, 3);
  const bytes = readInput(file.path);
  const size = formatBytes(bytes.length);
  const cli = ['bin/protodesk', 'raw', file.path];
  const protoc = ['--decode_raw'];

  // Same output? (outside the timings)
  const ourOut = join(BENCH_DIR, 'raw-ours.txt');
  const protocOut = join(BENCH_DIR, 'raw-protoc.txt');
  let protocMissing = '';
  try {
    timeProcess(PROTOC, protoc, file.path, protocOut);
  } catch (e) {
    protocMissing = (e as Error).message;
  }
  timeProcess(process.execPath, cli, null, ourOut);
  const identical = protocMissing ? 'protoc failed' : firstDifference(readFileSync(ourOut, 'utf8'), readFileSync(protocOut, 'utf8'));
  writeFileSync(ourOut, '');
  writeFileSync(protocOut, '');

  const inProc = await measure(() => decodeRaw(bytes), {
    runs: config.runs,
    inspect: (r) => ({ nodes: r.nodeCount, stopped: r.stoppedAt }),
  });
  const withText = await measure(() => rawToText(decodeRaw(bytes)).length, { runs: config.runs, inspect: (n) => n });
  const streamed = await measure(
    () => {
      let n = 0;
      writeRawText(bytes, (chunk) => (n += chunk.length), { chunkBytes: RAW_TEXT_SYNC_CHUNK_BYTES, reuseChunks: true }); // as protodesk raw
      return n;
    },
    { runs: config.runs },
  );
  const modeBefore = launcherMode();
  const ours = await measure(() => timeProcess(process.execPath, cli, null), { runs: config.runs });
  const startup = await measure(() => timeProcess(process.execPath, ['bin/protodesk', '--help'], null), { runs: config.runs });
  const modeAfter = launcherMode();
  if (protocMissing) {
    return [notMeasuredRow('3', `raw: protodesk raw ${size} (whole process)`, '≥ 1x', `protoc --decode_raw failed: ${protocMissing}`)];
  }
  const base = await measure(() => timeProcess(PROTOC, protoc, file.path), { runs: config.runs });
  const baseline = { timing: base.timing, name: 'protoc --decode_raw' };
  // The same as whole processes on an input ten times bigger (100 MB in a full run), alternating
  // ours and protoc's run by run so a change in the machine's load falls on both.
  const big = datasetFile(config.rawBytes * 10, 4);
  const bigSize = formatBytes(big.bytes);
  const bigOurs: number[] = [];
  const bigBase: number[] = [];
  timeProcess(process.execPath, ['bin/protodesk', 'raw', big.path], null); // warm-up: the page cache
  timeProcess(PROTOC, protoc, big.path);
  for (let i = 0; i < config.runs; i++) {
    bigOurs.push(timeProcess(process.execPath, ['bin/protodesk', 'raw', big.path], null));
    bigBase.push(timeProcess(PROTOC, protoc, big.path));
  }
  return [
    infoRow(
      '3a',
      `raw: decodeRaw ${size} (in-process, tree only)`,
      inProc.timing,
      [
        `${inProc.info?.nodes.toLocaleString()} nodes${inProc.info?.stopped ? `, stopped at ${inProc.info.stopped.offset}: ${inProc.info.stopped.reason}` : ''}; baseline is protoc's whole process (parse + print)`,
      ],
      baseline,
    ),
    infoRow(
      '3b',
      `raw: decodeRaw + rawToText ${size} (in-process)`,
      withText.timing,
      [
        `${withText.info?.toLocaleString()} characters of text; writeRawText (what protodesk raw runs: text written from the bytes into one reused 256 KiB chunk): ${formatMs(streamed.timing.median)}`,
      ],
      baseline,
    ),
    ratioRow('3c', `raw: protodesk raw ${size} (whole process)`, ours.timing, base.timing, 'protoc --decode_raw', 1, [
      `stdout to /dev/null; output identical to protoc --decode_raw: ${identical}`,
      `process startup alone (bin/protodesk --help): ${formatMs(startup.timing.median)}`,
      `bin/protodesk ran ${modeBefore}${modeAfter === modeBefore ? '' : `, then ${modeAfter}`}`,
    ]),
    ratioRow('3d', `raw: protodesk raw ${bigSize} (whole process)`, summarize(bigOurs), summarize(bigBase), 'protoc --decode_raw', 1, [
      `stdout to /dev/null; runs alternate with protoc's; throughput ours ${mbPerSecond(big.bytes, median(bigOurs)).toFixed(0)} MB/s, protoc ${mbPerSecond(big.bytes, median(bigBase)).toFixed(0)} MB/s`,
    ]),
  ];
};
