/**
 * A bounded load test of the mock on loopback: good and abusive unary requests mixed over every
 * wire format (Twirp protobuf / JSON, Connect binary / JSON, gRPC-Web binary / text, gRPC),
 * against a mock in a child process (`node --expose-gc --import tsx`) whose heap is measured
 * after gc, once after a warm-up and once at the end. Stops by itself: after --requests, or at
 * --max-seconds, whichever comes first. Figures only; nothing here is a timed assertion.
 *
 *   npx tsx testing/mock-load-test.ts --requests 10000 --concurrency 32 [--seed 1] [--max-seconds 120]
 *
 * Exit 0 when every good request succeeded, every bad one got the answer it deserves (see
 * mock-abuse-requests.ts) and none was a server error; 1 otherwise.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ABUSES, AbuseClient, expectedOutcome, isServerError, WIRES, type Abuse, type Outcome, type Wire } from './mock-abuse-requests';
import type { LoadServerCommand, LoadServerMessage } from './mock-load-test-server';

/** Options of a load test run. */
export interface LoadTestOptions {
  /** Requests measured (after the warm-up); default 10 000. */
  requests?: number;
  /** Requests in flight at once; default 32. */
  concurrency?: number;
  /** Warm-up requests before the first memory reading; default min(1000, requests / 10). */
  warmup?: number;
  /** Share of good requests, 0..1; default 0.5. */
  goodShare?: number;
  /** PRNG seed of the mix; default 1. */
  seed?: number;
  /** Stop sending after this long (the run is bounded in time too); default 120. */
  maxSeconds?: number;
  /** Largest request the mock accepts (oversized requests are one byte more); default 16 KiB. */
  maxRequestBytes?: number;
  /** Progress lines go here; default none. */
  log?: (line: string) => void;
}

/** What a run found. */
export interface LoadTestReport {
  requests: number;
  concurrency: number;
  /** Requests by kind: good, and each abuse. */
  byAbuse: Record<string, number>;
  /** Requests by wire format. */
  byWire: Record<string, number>;
  goodOk: number;
  goodFailed: number;
  /** Bad requests answered with the code and status they deserve. */
  badAsExpected: number;
  /** Answers that were the server's fault (HTTP 5xx, unknown, internal, data_loss, or no answer). */
  serverErrors: number;
  /** Answers other than the expected one, first 20 (wire, abuse, expected, got). */
  mismatches: { wire: Wire; abuse: Abuse; expected: string; got: string }[];
  mismatchCount: number;
  durationMs: number;
  requestsPerSecond: number;
  /** Mock heap after gc: after the warm-up, and at the end. */
  heapBeforeBytes: number;
  heapAfterBytes: number;
  heapGrowthBytes: number;
  rssAfterBytes: number;
  /** Whether the heap readings came after a real gc (--expose-gc). */
  gc: boolean;
  /** Every wire format still answered a good request after the run. */
  stillUp: boolean;
  /** True when --max-seconds stopped the run before --requests. */
  stoppedByTime: boolean;
}

/** A small seeded PRNG (mulberry32), so a run's mix can be repeated. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const fmt = (o: { httpStatus?: number; code: string }): string => `${o.httpStatus ?? '-'} ${o.code}`;

/** Starts the mock child and returns it with its URLs and a memory probe. */
async function startChild(maxRequestBytes: number): Promise<{
  child: ChildProcess;
  ready: Extract<LoadServerMessage, { type: 'ready' }>;
  memory: () => Promise<Extract<LoadServerMessage, { type: 'memory' }>>;
  stop: () => Promise<void>;
}> {
  const entry = fileURLToPath(new URL('./mock-load-test-server.ts', import.meta.url));
  const child = fork(entry, [], {
    execArgv: ['--expose-gc', '--import', 'tsx'],
    env: { ...process.env, PROTODESK_LOAD_MAX_REQUEST_BYTES: String(maxRequestBytes) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T extends LoadServerMessage['type']>(type: T): Promise<Extract<LoadServerMessage, { type: T }>> =>
    new Promise((resolve, reject) => {
      const onMessage = (m: LoadServerMessage): void => {
        if (m.type !== type) return;
        cleanup();
        resolve(m as Extract<LoadServerMessage, { type: T }>);
      };
      const onExit = (code: number | null): void => {
        cleanup();
        reject(new Error(`the mock process exited (${code}) before sending '${type}'`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no '${type}' from the mock process in 60 s`));
      }, 60_000);
      const cleanup = (): void => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
    });
  const command = (c: LoadServerCommand): void => {
    child.send(c);
  };
  let ready;
  try {
    ready = await next('ready');
  } catch (e) {
    child.kill();
    throw e;
  }
  return {
    child,
    ready,
    memory: () => {
      const p = next('memory');
      command({ type: 'memory' });
      return p;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        command({ type: 'close' });
      }),
  };
}

/** Runs the load test; resolves with the figures (never throws for a failed expectation). */
export async function runLoadTest(opts: LoadTestOptions = {}): Promise<LoadTestReport> {
  const requests = opts.requests ?? 10_000;
  const concurrency = opts.concurrency ?? 32;
  const warmup = opts.warmup ?? Math.min(1000, Math.floor(requests / 10));
  const goodShare = opts.goodShare ?? 0.5;
  const maxMs = (opts.maxSeconds ?? 120) * 1000;
  const log = opts.log ?? (() => undefined);
  const random = prng(opts.seed ?? 1);
  const abuses = ABUSES.filter((a) => a !== 'good');
  const pick = (): { wire: Wire; abuse: Abuse } => ({
    wire: WIRES[Math.floor(random() * WIRES.length)],
    abuse: random() < goodShare ? 'good' : abuses[Math.floor(random() * abuses.length)],
  });

  const server = await startChild(opts.maxRequestBytes ?? 16 * 1024);
  const client = await AbuseClient.create({
    httpUrl: server.ready.httpUrl,
    grpcUrl: server.ready.grpcUrl,
    maxRequestBytes: server.ready.maxRequestBytes,
    maxSockets: concurrency,
  });
  const report: LoadTestReport = {
    requests: 0,
    concurrency,
    byAbuse: {},
    byWire: {},
    goodOk: 0,
    goodFailed: 0,
    badAsExpected: 0,
    serverErrors: 0,
    mismatches: [],
    mismatchCount: 0,
    durationMs: 0,
    requestsPerSecond: 0,
    heapBeforeBytes: 0,
    heapAfterBytes: 0,
    heapGrowthBytes: 0,
    rssAfterBytes: 0,
    gc: false,
    stillUp: false,
    stoppedByTime: false,
  };
  try {
    // Runs `count` requests with `concurrency` in flight; `record` false for the warm-up.
    const drive = async (count: number, record: boolean, deadline: number): Promise<void> => {
      let issued = 0;
      const worker = async (): Promise<void> => {
        while (issued < count) {
          if (performance.now() > deadline) {
            report.stoppedByTime = true;
            return;
          }
          issued++;
          const { wire, abuse } = pick();
          const want = expectedOutcome(wire, abuse);
          let got: Outcome;
          try {
            got = await client.send(wire, abuse);
          } catch {
            got = { code: 'transport' }; // no answer at all: counted as a server error
          }
          if (!record) continue;
          report.requests++;
          report.byAbuse[abuse] = (report.byAbuse[abuse] ?? 0) + 1;
          report.byWire[wire] = (report.byWire[wire] ?? 0) + 1;
          const asExpected = got.code === want.code && got.httpStatus === want.httpStatus;
          if (abuse === 'good') {
            if (got.code === 'ok') report.goodOk++;
            else report.goodFailed++;
          } else if (asExpected) report.badAsExpected++;
          if (isServerError(got)) report.serverErrors++;
          if (!asExpected) {
            report.mismatchCount++;
            if (report.mismatches.length < 20) report.mismatches.push({ wire, abuse, expected: fmt(want), got: fmt(got) });
          }
          if (report.requests % 2000 === 0) log(`  ${report.requests} requests...`);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, () => worker()));
    };

    log(`warm-up: ${warmup} requests`);
    await drive(warmup, false, performance.now() + maxMs);
    const before = await server.memory();
    report.gc = before.gc;
    report.heapBeforeBytes = before.heapUsed;
    log(`load: ${requests} requests, ${concurrency} in flight, ${Math.round(goodShare * 100)}% good, over ${WIRES.length} wire formats`);
    const t0 = performance.now();
    await drive(requests, true, t0 + maxMs);
    report.durationMs = performance.now() - t0;
    report.requestsPerSecond = report.requests / (report.durationMs / 1000);
    const after = await server.memory();
    report.heapAfterBytes = after.heapUsed;
    report.rssAfterBytes = after.rss;
    report.heapGrowthBytes = after.heapUsed - before.heapUsed;
    const still = await Promise.all(
      WIRES.map((w) =>
        client.send(w, 'good').then(
          (o) => o.code === 'ok',
          () => false,
        ),
      ),
    );
    report.stillUp = still.every(Boolean);
  } finally {
    client.close();
    await server.stop();
  }
  return report;
}

/** The report as a few lines for a terminal or a note. */
export function formatLoadReport(r: LoadTestReport): string {
  const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(1)} MB`;
  return [
    `requests         ${r.requests} (${r.concurrency} in flight${r.stoppedByTime ? ', stopped by --max-seconds' : ''})`,
    `by kind          ${Object.entries(r.byAbuse)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    `by wire format   ${Object.entries(r.byWire)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    `good             ${r.goodOk} ok, ${r.goodFailed} failed`,
    `bad              ${r.badAsExpected} answered as expected`,
    `server errors    ${r.serverErrors}`,
    `mismatches       ${r.mismatchCount}${
      r.mismatches.length
        ? `: ${r.mismatches
            .slice(0, 5)
            .map((m) => `${m.wire}/${m.abuse} expected ${m.expected} got ${m.got}`)
            .join('; ')}`
        : ''
    }`,
    `duration         ${(r.durationMs / 1000).toFixed(2)} s, ${r.requestsPerSecond.toFixed(0)} req/s`,
    `mock heap (gc${r.gc ? '' : ' unavailable'})  ${mb(r.heapBeforeBytes)} after warm-up, ${mb(r.heapAfterBytes)} at the end, growth ${mb(r.heapGrowthBytes)}; rss ${mb(r.rssAfterBytes)}`,
    `still up         ${r.stillUp ? 'yes' : 'NO'}`,
  ].join('\n');
}

/** True when the run found nothing wrong (memory is judged by the caller). */
export function loadTestPassed(r: LoadTestReport): boolean {
  return r.serverErrors === 0 && r.goodFailed === 0 && r.mismatchCount === 0 && r.stillUp && r.requests > 0;
}

async function cli(): Promise<void> {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string' },
      concurrency: { type: 'string' },
      warmup: { type: 'string' },
      seed: { type: 'string' },
      'max-seconds': { type: 'string' },
      'good-share': { type: 'string' },
      'max-request-bytes': { type: 'string' },
    },
  });
  const num = (v: string | undefined, name: string): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number`);
    return n;
  };
  const report = await runLoadTest({
    requests: num(values.requests, 'requests'),
    concurrency: num(values.concurrency, 'concurrency'),
    warmup: num(values.warmup, 'warmup'),
    seed: num(values.seed, 'seed'),
    maxSeconds: num(values['max-seconds'], 'max-seconds'),
    goodShare: num(values['good-share'], 'good-share'),
    maxRequestBytes: num(values['max-request-bytes'], 'max-request-bytes'),
    log: (l) => process.stdout.write(`${l}\n`),
  });
  process.stdout.write(`${formatLoadReport(report)}\n`);
  process.exitCode = loadTestPassed(report) ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  cli().catch((e: unknown) => {
    process.stderr.write(`mock-load-test: ${(e as Error).message}\n`);
    process.exitCode = 1;
  });
}
