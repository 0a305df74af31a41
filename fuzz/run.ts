/**
 * `npm run fuzz` — a deterministic, seeded mutation fuzzer for the core decoders.
 *
 *   tsx fuzz/run.ts [--start I] [--count N] [--seconds S] [--seed X] [--detect-every N] [--slow-ms MS]
 *                   [--hang-ms MS] [--samples DIR] [--corpus DIR] [--no-save] [--no-fail | --fail-on-known] [--json]
 *
 * Mutates the samples in samples/ (bit flips, inserts, deletes, truncations, length-prefix and
 * tag corruptions, over-long varints, splices, wrapping, deep nesting, random bytes) and feeds
 * each input through schema decode (the sample's type and a random other type, strict and
 * partial), raw decode, re-encode (must give the input bytes back), JSON and text printing
 * (and parsing back), stream framing and (on a sample of inputs) type detection; also
 * mutated JSON and text prints through fromJson / fromText. Input i is a pure function of
 * (seed, i): a run is reproducible. Each call is timed; a call over --slow-ms (default 100)
 * is re-timed and reported when the fastest of three runs is still over.
 *
 * The loop runs in a worker thread watched by this one: an input that makes no progress for
 * --hang-ms (default 30 s) is recorded as a HANG and the run continues after it.
 * Each new kind of failure is minimized and saved as fuzz/corpus/<target>-<hash>.bin with a
 * .json sidecar; fuzz/regressions.test.ts replays them. Exits 1 when it found something not
 * yet in the corpus (--fail-on-known: anything at all; --no-fail: never). For CI, a short run:
 * `npm run fuzz -- --seconds 30 --no-save`.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSchemas } from '../core-node/schema/load-schemas';
import { CORPUS_DIR, knownSignatures, saveCase } from './corpus';
import { emptyTargets, makeContext, planInput, runEngine, type FailureRecord, type FuzzContext, type RunStats } from './engine';
import { seedFrom } from './rng';
import { loadSeeds } from './seeds';
import { makeEnv, TARGETS } from './fuzz-case';

interface Args {
  /** First input index (to replay a stretch of a run). */
  start: number;
  count: number;
  seconds: number;
  seed: number;
  detectEvery: number;
  slowMs: number;
  hangMs: number;
  samples: string;
  corpus: string;
  save: boolean;
  /** Exit 1 on new findings (not yet in the corpus); 'all': on any finding; 'never'. */
  fail: 'new' | 'all' | 'never';
  json: boolean;
}

interface WorkerJob extends Args {
  start: number;
  end: number;
  heartbeat: SharedArrayBuffer;
}

const REPO = fileURLToPath(new URL('..', import.meta.url));

function parseArgs(argv: string[]): Args {
  const a: Args = {
    start: 0,
    count: 1_000_000,
    seconds: 3600,
    seed: 1,
    detectEvery: 64,
    slowMs: 100,
    hangMs: 30_000,
    samples: join(REPO, 'samples'),
    corpus: CORPUS_DIR,
    save: true,
    fail: 'new',
    json: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${k} needs a value`);
      return x;
    };
    switch (k) {
      case '--start':
        a.start = Number(v());
        break;
      case '--count':
        a.count = Number(v());
        break;
      case '--seconds':
        a.seconds = Number(v());
        break;
      case '--seed':
        a.seed = seedFrom(v());
        break;
      case '--detect-every':
        a.detectEvery = Number(v());
        break;
      case '--slow-ms':
        a.slowMs = Number(v());
        break;
      case '--hang-ms':
        a.hangMs = Number(v());
        break;
      case '--samples':
        a.samples = v();
        break;
      case '--corpus':
        a.corpus = v();
        break;
      case '--no-save':
        a.save = false;
        break;
      case '--no-fail':
        a.fail = 'never';
        break;
      case '--fail-on-known':
        a.fail = 'all';
        break;
      case '--json':
        a.json = true;
        break;
      case '-h':
      case '--help':
        console.log(
          'usage: tsx fuzz/run.ts [--start I] [--count N] [--seconds S] [--seed X] [--detect-every N] [--slow-ms MS] [--hang-ms MS] [--samples DIR] [--corpus DIR] [--no-save] [--no-fail | --fail-on-known] [--json]',
        );
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${k}`);
    }
  }
  if (!(a.count > 0) || !(a.seconds > 0)) throw new Error('--count and --seconds must be positive');
  return a;
}

async function loadContext(samples: string): Promise<FuzzContext> {
  const env = makeEnv(await loadSchemas({ bundled: true }));
  return makeContext(env, loadSeeds(env, samples));
}

// ---------------------------------------------------------------------------------------------
// Worker: runs the loop and reports.

async function workerMain(job: WorkerJob): Promise<void> {
  const ctx = await loadContext(job.samples);
  const hb = new Int32Array(job.heartbeat);
  const stats = runEngine(ctx, {
    seed: job.seed,
    start: job.start,
    end: job.end,
    seconds: job.seconds,
    detectEvery: job.detectEvery,
    slowMs: job.slowMs,
    corpusDir: job.corpus,
    save: job.save,
    heartbeat: hb,
    onProgress: (s) => parentPort!.postMessage({ type: 'progress', stats: s }),
  });
  parentPort!.postMessage({ type: 'done', stats });
}

// ---------------------------------------------------------------------------------------------
// Main: starts the worker, watches it for hangs, merges and prints the results.

function merge(total: RunStats, part: RunStats): void {
  total.inputs += part.inputs;
  total.stringInputs += part.stringInputs;
  total.elapsedMs += part.elapsedMs;
  total.nextIndex = part.nextIndex;
  total.peakRssMb = Math.max(total.peakRssMb, part.peakRssMb);
  total.peakHeapMb = Math.max(total.peakHeapMb, part.peakHeapMb);
  total.contended += part.contended;
  for (const t of TARGETS) {
    const a = total.targets[t];
    const b = part.targets[t];
    a.calls += b.calls;
    a.ok += b.ok;
    a.reject += b.reject;
    a.noOffset += b.noOffset;
    a.crash += b.crash;
    a.wrong += b.wrong;
    a.slow += b.slow;
    if (b.maxMs > a.maxMs) {
      a.maxMs = b.maxMs;
      a.maxMsWhat = b.maxMsWhat;
    }
  }
  for (const f of part.failures) {
    const g = total.failures.find((x) => x.signature === f.signature);
    if (g) {
      g.count += f.count;
      g.file ??= f.file;
      if ((f.ms ?? 0) > (g.ms ?? 0)) g.ms = f.ms;
    } else total.failures.push({ ...f });
  }
}

/** How a worker session ended: done, hung on a case, or died on one (an uncaught error, out of memory). */
interface SessionEnd {
  stats: RunStats | null;
  hung: { index: number; caseNo: number } | null;
  died?: { index: number; caseNo: number; error: string };
}

function runWorker(job: WorkerJob, onProgress: (s: RunStats) => void): Promise<SessionEnd> {
  return new Promise((resolve) => {
    const bootstrap = `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(import.meta.url)}); });`;
    const w = new Worker(bootstrap, { eval: true, workerData: job });
    const hb = new Int32Array(job.heartbeat);
    let last = Atomics.load(hb, 0);
    let lastChange = Date.now();
    let latest: RunStats | null = null;
    let settled = false;
    const finish = (r: SessionEnd) => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      resolve(r);
    };
    const timer = setInterval(() => {
      const now = Atomics.load(hb, 0);
      if (now !== last) {
        last = now;
        lastChange = Date.now();
      } else if (Date.now() - lastChange > job.hangMs && last !== 0) {
        // Settle first: terminating makes the worker exit, which must not count as a death.
        finish({ stats: latest, hung: { index: hb[1], caseNo: hb[2] } });
        void w.terminate();
      }
    }, 250);
    w.on('message', (m: { type: string; stats: RunStats }) => {
      latest = m.stats;
      if (m.type === 'progress') onProgress(m.stats);
      else finish({ stats: m.stats, hung: null });
    });
    const died = (error: string) => finish({ stats: latest, hung: null, died: { index: hb[1], caseNo: hb[2], error } });
    w.on('error', (e) => died(e instanceof Error ? `${e.name}: ${e.message}` : String(e)));
    w.on('exit', (code) => died(`the fuzz worker exited (code ${code}) before it finished`));
  });
}

function pad(s: string | number, n: number, right = false): string {
  const t = String(s);
  return right ? t.padEnd(n) : t.padStart(n);
}

function printSummary(a: Args, total: RunStats): void {
  const secs = total.elapsedMs / 1000;
  const calls = TARGETS.reduce((n, t) => n + total.targets[t].calls, 0);
  console.log(
    `\nProtodesk fuzz — seed ${a.seed}: ${total.inputs} binary inputs and ${total.stringInputs} JSON/text strings (${total.inputs + total.stringInputs} inputs, ${calls} target calls) in ${secs.toFixed(1)} s (${Math.round(total.inputs / Math.max(secs, 0.001))} binary inputs/s)`,
  );
  console.log(
    `${pad('target', 11, true)}${pad('calls', 10)}${pad('ok', 10)}${pad('rejected', 10)}${pad('no-offset', 10)}${pad('crash', 7)}${pad('wrong', 7)}${pad('slow', 6)}${pad('max ms', 9)}  slowest`,
  );
  for (const t of TARGETS) {
    const s = total.targets[t];
    console.log(
      `${pad(t, 11, true)}${pad(s.calls, 10)}${pad(s.ok, 10)}${pad(s.reject, 10)}${pad(s.noOffset, 10)}${pad(s.crash, 7)}${pad(s.wrong, 7)}${pad(s.slow, 6)}${pad(s.maxMs.toFixed(1), 9)}  ${s.maxMsWhat ?? ''}`,
    );
  }
  console.log(
    `peak RSS ${total.peakRssMb.toFixed(0)} MB, peak heap ${total.peakHeapMb.toFixed(0)} MB; ${total.contended} call(s) over ${a.slowMs} ms in wall time only (CPU time under it: a busy machine, not counted)`,
  );
  const found = total.failures;
  if (!found.length) {
    console.log('findings: none (0 crashes, 0 rejections without an offset, 0 round-trip mismatches, 0 slow inputs, 0 hangs)');
    return;
  }
  console.log(`findings: ${found.length} distinct`);
  for (const f of found) {
    const file = f.file ? ` -> ${f.file.replace(REPO, '')}` : f.known ? ' (already in the corpus)' : '';
    console.log(
      `  [${f.kind}] ${f.target}${f.typeName ? ` as ${f.typeName}` : ''} x${f.count}${f.ms ? `, ${f.ms.toFixed(0)} ms` : ''}${f.where ? ` at ${f.where}` : ''}: ${f.detail.replace(/\s+/g, ' ').slice(0, 200)}${file}`,
    );
  }
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  const total: RunStats = {
    inputs: 0,
    stringInputs: 0,
    nextIndex: 0,
    elapsedMs: 0,
    targets: emptyTargets(),
    failures: [],
    peakRssMb: 0,
    peakHeapMb: 0,
    contended: 0,
  };
  const deadline = Date.now() + a.seconds * 1000;
  let start = a.start;
  const end = a.start + a.count;
  let ctx: FuzzContext | null = null;
  let lastPrint = Date.now();
  while (start < end && Date.now() < deadline) {
    const job: WorkerJob = { ...a, start, end, seconds: (deadline - Date.now()) / 1000, heartbeat: new SharedArrayBuffer(16) };
    const base = total.inputs;
    const r = await runWorker(job, (s) => {
      if (Date.now() - lastPrint >= 15_000) {
        lastPrint = Date.now();
        process.stderr.write(
          `fuzz: ${base + s.inputs} binary inputs + ${s.stringInputs} strings (this session), ${(s.elapsedMs / 1000).toFixed(0)} s, ${s.failures.length} distinct findings this session\n`,
        );
      }
    });
    if (r.stats) merge(total, r.stats);
    const stuck = r.hung ?? r.died;
    if (!stuck) break;
    if (r.died && Atomics.load(new Int32Array(job.heartbeat), 0) === 0) {
      console.error(`fuzz: the worker failed before fuzzing: ${r.died.error}`);
      process.exitCode = 2;
      break;
    }
    // A hang or a dead worker: save the input (regenerated from seed and index) and continue after it.
    ctx ??= await loadContext(a.samples);
    const { cases, ops } = planInput(ctx, a.seed, stuck.index, a.detectEvery);
    const c = cases[stuck.caseNo];
    const kind = r.hung ? 'hang' : 'crash';
    const signature = `${c.target}|${kind}|${r.hung ? c.mode : 'worker died'}`;
    const detail = r.died
      ? `the fuzz worker died on input ${stuck.index}: ${r.died.error}`
      : `no progress for ${a.hangMs} ms on input ${stuck.index}`;
    const known = knownSignatures(a.corpus).has(signature);
    const rec: FailureRecord = { signature, target: c.target, kind, detail, typeName: c.typeName, count: 1, known };
    if (a.save && !known) {
      rec.file = saveCase(a.corpus, c, { kind, error: detail, signature, found: { seed: a.seed, index: stuck.index, ops } });
    }
    const g = total.failures.find((x) => x.signature === signature);
    if (g) g.count++;
    else total.failures.push(rec);
    process.stderr.write(`fuzz: ${detail}; continuing after it\n`);
    total.inputs = base + (stuck.index + 1 - start);
    start = stuck.index + 1;
  }
  total.peakRssMb = Math.max(total.peakRssMb, process.resourceUsage().maxRSS / 1024);
  if (a.json) console.log(JSON.stringify(total, null, 2));
  else printSummary(a, total);
  const failing = a.fail === 'all' ? total.failures : a.fail === 'new' ? total.failures.filter((f) => !f.known) : [];
  if (failing.length && !process.exitCode) process.exitCode = 1;
}

if (isMainThread) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 2;
  });
} else {
  const fatal = (e: unknown): void => {
    // Synchronous write: the worker's console output is asynchronous and would be lost on exit.
    writeSync(2, `fuzz worker: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(2);
  };
  process.on('uncaughtException', fatal);
  workerMain(workerData as WorkerJob).catch(fatal);
}
