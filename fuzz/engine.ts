/**
 * The fuzz loop. Input i of a run is a pure function of (seed, i): planInput builds its cases
 * (one mutated binary input through every binary target, plus one mutated JSON or text
 * string), runEngine times each case, classifies it, and saves each new kind of failure
 * (minimized) to the corpus.
 */
import type { MessageRoot } from '../core/document/model';
import { saveCase, knownSignatures } from './corpus';
import { mutateBytes } from './mutate';
import { mutateString } from './mutate-string';
import { Rng } from './rng';
import type { Seed } from './seeds';
import { TARGETS, type DecodeMode, type FuzzCase, type FuzzEnv, type Outcome, type TargetName } from './fuzz-case';
import { isFailure, runCase, signatureOf } from './targets';

/** What the engine works from. */
export interface FuzzContext {
  env: FuzzEnv;
  seeds: Seed[];
  singles: Seed[];
  streams: Seed[];
  jsonSeeds: Seed[];
  textSeeds: Seed[];
  typeNames: string[];
}

/** Builds the context from the env and the seeds. */
export function makeContext(env: FuzzEnv, seeds: Seed[]): FuzzContext {
  return {
    env,
    seeds,
    singles: seeds.filter((s) => !s.stream),
    streams: seeds.filter((s) => s.stream),
    jsonSeeds: seeds.filter((s) => s.json !== undefined && s.typeName),
    textSeeds: seeds.filter((s) => s.text !== undefined && s.typeName),
    typeNames: [...env.typeByName.keys()].sort(),
  };
}

/** Options of a run. */
export interface EngineOptions {
  seed: number;
  /** First input index (a restarted run continues after the input that hung). */
  start: number;
  /** Stop after this input index (exclusive). */
  end: number;
  /** Stop after this many seconds. */
  seconds: number;
  /** Run detect on every n-th input (it ranks all bundled types: slower). */
  detectEvery: number;
  /** A call slower than this (ms, confirmed by re-running) is a SLOW finding. */
  slowMs: number;
  /** Where failing inputs go. */
  corpusDir: string;
  /** Save failures to the corpus (default true). */
  save?: boolean;
  /** Shared progress cells for a watchdog: [beat counter, input index, case number]. */
  heartbeat?: Int32Array;
  /** Called about once a second with a snapshot. */
  onProgress?: (stats: RunStats) => void;
}

/** Per-target counts. */
export interface TargetStats {
  calls: number;
  ok: number;
  reject: number;
  noOffset: number;
  crash: number;
  wrong: number;
  slow: number;
  /** Slowest single call (ms; re-timed minimum when it was over the slow limit). */
  maxMs: number;
  maxMsWhat?: string;
}

/** One distinct failure. */
export interface FailureRecord {
  signature: string;
  target: TargetName;
  kind: Outcome['kind'] | 'slow' | 'hang';
  detail: string;
  where?: string;
  typeName: string | null;
  file?: string;
  count: number;
  ms?: number;
  /** True when the corpus already had it (found by an earlier run). */
  known: boolean;
}

/** A run's results so far. */
export interface RunStats {
  inputs: number;
  stringInputs: number;
  nextIndex: number;
  elapsedMs: number;
  targets: Record<TargetName, TargetStats>;
  failures: FailureRecord[];
  peakRssMb: number;
  peakHeapMb: number;
  /** Calls over the limit in wall time but not in CPU time (a busy machine): not findings. */
  contended: number;
}

/** Empty per-target stats. */
export function emptyTargets(): Record<TargetName, TargetStats> {
  const t = {} as Record<TargetName, TargetStats>;
  for (const name of TARGETS) t[name] = { calls: 0, ok: 0, reject: 0, noOffset: 0, crash: 0, wrong: 0, slow: 0, maxMs: 0 };
  return t;
}

/** The cases of input i: the mutated bytes through each binary target, and one mutated JSON or text string. */
export function planInput(ctx: FuzzContext, seed: number, i: number, detectEvery = 64): { cases: FuzzCase[]; ops: string[] } {
  const rng = Rng.forInput(seed, i);
  const base = ctx.streams.length && rng.chance(0.05) ? rng.pick(ctx.streams) : rng.pick(ctx.singles.length ? ctx.singles : ctx.seeds);
  const other = rng.pick(ctx.seeds);
  const { bytes, ops } = mutateBytes(rng, base.bytes, other.bytes, base.stream ? 131072 : 16384);
  const cases: FuzzCase[] = [];
  const decodes: FuzzCase[] = [];
  const mode = (): DecodeMode => (rng.chance(0.5) ? 'strict' : 'partial');
  if (base.typeName) {
    decodes.push({ target: 'decode', bytes, typeName: base.typeName, mode: 'strict' });
    decodes.push({ target: 'decode', bytes, typeName: base.typeName, mode: 'partial' });
  }
  decodes.push({ target: 'decode', bytes, typeName: rng.pick(ctx.typeNames), mode: mode() });
  if (rng.chance(0.1)) decodes.push({ target: 'decode', bytes, typeName: null, mode: mode() });
  // Printing (and parsing the print back) costs more than decoding: a share of the decodes.
  const print = rng.chance(0.3);
  for (const d of decodes) {
    cases.push(d);
    cases.push({ ...d, target: 'encode' });
    if (d.typeName && print && (d.mode === 'strict' || rng.chance(0.25))) cases.push({ ...d, target: 'json-print' });
    if (print && (d.mode === 'strict' || rng.chance(0.25))) cases.push({ ...d, target: 'text-print' });
  }
  // raw: 'partial' here means the deep checks (text 'best' mode, JSON with readings)
  cases.push({ target: 'raw', bytes, typeName: null, mode: rng.chance(1 / 16) ? 'partial' : 'strict' });
  cases.push({ target: 'stream', bytes, typeName: null, mode: 'strict' });
  if (rng.chance(1 / detectEvery)) cases.push({ target: 'detect', bytes, typeName: null, mode: 'strict' });
  const json = i % 4 === 0;
  const pool = json ? ctx.jsonSeeds : ctx.textSeeds;
  if (i % 2 === 0 && pool.length) {
    const s = rng.pick(pool);
    const text = mutateString(rng, (json ? s.json : s.text)!, json ? 'json' : 'text', s.fieldNames);
    cases.push({ target: json ? 'json-parse' : 'text-parse', bytes: new Uint8Array(0), text, typeName: s.typeName, mode: 'strict' });
  }
  return { cases, ops: [`seed ${base.name}`, ...ops] };
}

function caseLength(c: FuzzCase): number {
  return c.text !== undefined ? c.text.length : c.bytes.length;
}

function withContent(c: FuzzCase, content: Uint8Array | string): FuzzCase {
  return typeof content === 'string' ? { ...c, text: content } : { ...c, bytes: content };
}

/**
 * Shrinks a failing case while it fails the same way (same signature): truncations, then
 * removal of ever smaller chunks. Bounded by `budget` runs and `ms` milliseconds.
 */
export function minimize(env: FuzzEnv, c: FuzzCase, signature: string, budget = 2000, ms = 3000, beat?: () => void): FuzzCase {
  const t0 = performance.now();
  let runs = 0;
  const fails = (cand: FuzzCase): boolean => {
    runs++;
    beat?.();
    const o = runCase(env, cand);
    return isFailure(o) && signatureOf(cand.target, o) === signature;
  };
  const out = (): boolean => runs >= budget || performance.now() - t0 > ms;
  let cur: Uint8Array | string = c.text !== undefined ? c.text : c.bytes;
  const slice = (x: Uint8Array | string, a: number, b: number): Uint8Array | string =>
    typeof x === 'string' ? x.slice(a, b) : x.slice(a, b);
  const cut = (x: Uint8Array | string, a: number, b: number): Uint8Array | string => {
    if (typeof x === 'string') return x.slice(0, a) + x.slice(b);
    const r = new Uint8Array(x.length - (b - a));
    r.set(x.subarray(0, a));
    r.set(x.subarray(b), a);
    return r;
  };
  // Truncation: the shortest prefix that still fails (binary search, then linear steps down).
  let lo = 0;
  let hi = cur.length;
  while (lo < hi && !out()) {
    const mid = (lo + hi) >> 1;
    if (fails(withContent(c, slice(cur, 0, mid)))) hi = mid;
    else lo = mid + 1;
  }
  if (hi < cur.length && fails(withContent(c, slice(cur, 0, hi)))) cur = slice(cur, 0, hi);
  // Chunk removal, from large chunks to single bytes.
  for (let chunk = Math.max(1, cur.length >> 1); chunk >= 1 && !out(); chunk >>= 1) {
    for (let pos = 0; pos + chunk <= cur.length && !out();) {
      const cand = cut(cur, pos, pos + chunk);
      if (fails(withContent(c, cand))) cur = cand;
      else pos += chunk;
    }
  }
  return withContent(c, cur);
}

/** Runs the fuzz loop; returns the stats. */
export function runEngine(ctx: FuzzContext, opts: EngineOptions): RunStats {
  const env = ctx.env;
  const t0 = performance.now();
  const stats: RunStats = {
    inputs: 0,
    stringInputs: 0,
    nextIndex: opts.start,
    elapsedMs: 0,
    targets: emptyTargets(),
    failures: [],
    peakRssMb: 0,
    peakHeapMb: 0,
    contended: 0,
  };
  const known = knownSignatures(opts.corpusDir);
  const bySig = new Map<string, FailureRecord>();
  const hb = opts.heartbeat;
  const beat = hb
    ? () => {
        hb[0]++;
      }
    : undefined;
  let lastProgress = t0;

  const memory = (): void => {
    const m = process.memoryUsage();
    stats.peakRssMb = Math.max(stats.peakRssMb, m.rss / 1048576, process.resourceUsage().maxRSS / 1024);
    stats.peakHeapMb = Math.max(stats.peakHeapMb, m.heapUsed / 1048576);
  };

  const record = (
    c: FuzzCase,
    kind: FailureRecord['kind'],
    o: Outcome,
    signature: string,
    i: number,
    ops: string[],
    ms: number,
    cpuMs = 0,
  ): void => {
    let rec = bySig.get(signature);
    if (rec) {
      rec.count++;
      if (ms > (rec.ms ?? 0) && kind === 'slow') rec.ms = ms;
      return;
    }
    rec = {
      signature,
      target: c.target,
      kind,
      detail: o.detail,
      where: o.where,
      typeName: c.typeName,
      count: 1,
      known: known.has(signature),
      ...(kind === 'slow' ? { ms } : {}),
    };
    bySig.set(signature, rec);
    stats.failures.push(rec);
    if (rec.known || opts.save === false) return;
    const small = kind === 'slow' ? c : minimize(env, c, signature, 2000, 3000, beat);
    rec.file = saveCase(opts.corpusDir, small, {
      kind,
      error:
        kind === 'slow'
          ? `slower than ${opts.slowMs} ms (fastest of 3 runs: ${ms.toFixed(1)} ms wall, ${cpuMs.toFixed(1)} ms CPU)${o.detail ? `; outcome ${o.kind}: ${o.detail}` : ''}`
          : o.detail,
      ...(o.where ? { where: o.where } : {}),
      signature,
      found: { seed: opts.seed, index: i, ops, ...(kind === 'slow' ? { ms: Math.round(ms) } : {}), originalLength: caseLength(c) },
    });
  };

  const stackLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let i = opts.start;
  try {
    for (; i < opts.end; i++) {
      if ((i & 63) === 0) {
        const now = performance.now();
        if (now - t0 >= opts.seconds * 1000) break;
        if (now - lastProgress >= 1000) {
          lastProgress = now;
          memory();
          stats.nextIndex = i;
          stats.elapsedMs = now - t0;
          opts.onProgress?.(stats);
        }
      }
      const { cases, ops } = planInput(ctx, opts.seed, i, opts.detectEvery);
      stats.inputs++;
      const roots = new Map<string, MessageRoot | null>();
      for (let k = 0; k < cases.length; k++) {
        const c = cases[k];
        if (c.text !== undefined) stats.stringInputs++;
        const key = `${c.typeName}|${c.mode}`;
        let decoded: MessageRoot | undefined;
        if (c.target === 'encode' || c.target === 'json-print' || c.target === 'text-print') {
          const r = roots.get(key);
          if (!r) continue; // the decode rejected (or failed): nothing to encode or print
          decoded = r;
        }
        if (hb) {
          hb[1] = i;
          hb[2] = k;
          hb[0]++;
        }
        const out: { root?: MessageRoot } = {};
        let t = performance.now();
        let o = runCase(env, c, decoded, out);
        let ms = performance.now() - t;
        let cpuMs = 0;
        if (ms > opts.slowMs) {
          // Confirm with up to three more runs, timed in wall and CPU time: a GC pause or a machine
          // busy with other work is not a finding; a re-run over the limit in both is.
          cpuMs = Infinity;
          for (let r = 0; r < 3 && ms > opts.slowMs && !(cpuMs > opts.slowMs && cpuMs < Infinity); r++) {
            if (hb) hb[0]++;
            const c0 = process.cpuUsage();
            t = performance.now();
            o = runCase(env, c, decoded);
            ms = Math.min(ms, performance.now() - t);
            const used = process.cpuUsage(c0);
            cpuMs = Math.min(cpuMs, (used.user + used.system) / 1000);
          }
          if (ms > opts.slowMs && cpuMs <= opts.slowMs) stats.contended++;
        }
        const slow = ms > opts.slowMs && cpuMs > opts.slowMs;
        if (c.target === 'decode') roots.set(key, o.kind === 'ok' ? (out.root ?? null) : null);
        const ts = stats.targets[c.target];
        ts.calls++;
        if (ms > ts.maxMs) {
          ts.maxMs = ms;
          ts.maxMsWhat = `input ${i} (${caseLength(c)} ${c.text !== undefined ? 'chars' : 'bytes'}${c.typeName ? `, ${c.typeName}` : ''}, ${c.mode})`;
        }
        switch (o.kind) {
          case 'ok':
            ts.ok++;
            break;
          case 'reject':
            ts.reject++;
            break;
          case 'no-offset':
            ts.noOffset++;
            break;
          case 'crash':
            ts.crash++;
            break;
          case 'wrong':
            ts.wrong++;
            break;
        }
        if (isFailure(o)) {
          if (o.kind !== 'wrong') {
            // Stack traces are off in the loop (they dominate the cost of a DecodeError); re-run to learn where it failed.
            Error.stackTraceLimit = stackLimit;
            o = runCase(env, c, decoded);
            Error.stackTraceLimit = 0;
          }
          if (isFailure(o)) {
            Error.stackTraceLimit = stackLimit;
            record(c, o.kind, o, signatureOf(c.target, o), i, ops, ms);
            Error.stackTraceLimit = 0;
          }
        }
        if (slow) {
          ts.slow++;
          record(c, 'slow', o, `${c.target}|slow|${c.mode}`, i, ops, ms, cpuMs);
        }
      }
    }
  } finally {
    Error.stackTraceLimit = stackLimit;
  }
  memory();
  stats.nextIndex = i;
  stats.elapsedMs = performance.now() - t0;
  return stats;
}
