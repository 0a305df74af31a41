/** Timing and memory helpers for the benchmark cases: warm-up, repeated runs, medians. */
import { performance } from 'node:perf_hooks';

/** Summary of repeated timings, in milliseconds. */
export interface Timing {
  median: number;
  min: number;
  max: number;
  runs: number;
}

/** Median of a list of numbers (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Summarizes raw timings (ms) into median, min and max. */
export function summarize(samples: readonly number[]): Timing {
  return { median: median(samples), min: Math.min(...samples), max: Math.max(...samples), runs: samples.length };
}

/** Runs the garbage collector when node runs with --expose-gc (a no-op otherwise). */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
}

/** Options of measure. */
export interface MeasureOptions<T, S> {
  /** Measured runs after the warm-up (default 5). */
  runs?: number;
  /** Unmeasured warm-up runs (default 1). */
  warmup?: number;
  /** Collect garbage before each run so one run's garbage does not land in the next (default true). */
  gcBetween?: boolean;
  /** Looks at the last run's result (outside the timing); its answer is returned as `info`, the result itself is dropped. */
  inspect?: (result: T) => S;
}

/** Times fn: warm-up runs, then `runs` measured runs; returns the timings and what `inspect` said of the last result. */
export async function measure<T, S = undefined>(
  fn: () => T | Promise<T>,
  options: MeasureOptions<T, S> = {},
): Promise<{ timing: Timing; info: S | undefined }> {
  const runs = options.runs ?? 5;
  const warmup = options.warmup ?? 1;
  const gcBetween = options.gcBetween !== false;
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  let info: S | undefined;
  for (let i = 0; i < runs; i++) {
    if (gcBetween) collectGarbage();
    const t0 = performance.now();
    const result = await fn();
    samples.push(performance.now() - t0);
    if (i === runs - 1 && options.inspect) info = options.inspect(result);
  }
  return { timing: summarize(samples), info };
}

/** Holds the value whose retained size retainedBy measures. */
let held: unknown = null; // eslint-disable-line @typescript-eslint/no-unused-vars -- written to keep a value reachable

/**
 * Heap plus array-buffer bytes retained by the value `make` returns: full GC, make, full GC.
 * Synchronous on purpose: an async function's suspended frame can keep an earlier result alive.
 */
export function retainedBy(make: () => unknown): number {
  held = null;
  const before = memoryNow();
  held = make();
  const after = memoryNow();
  held = null;
  return after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers;
}

/** A snapshot of process memory, in bytes. */
export interface MemorySnapshot {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** Current process memory (after a full GC when available). */
export function memoryNow(gcFirst = true): MemorySnapshot {
  if (gcFirst) collectGarbage();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers };
}

/** Bytes as a short human string (KB/MB/GB, base 1024). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(2)} GB`;
  if (abs >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  if (abs >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} B`;
}

/** Milliseconds as a short string with sensible precision. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  if (ms >= 0.1) return `${ms.toFixed(2)} ms`;
  return `${(ms * 1000).toFixed(1)} µs`;
}

/** Throughput in MB/s (base 1024) of `bytes` processed in `ms`. */
export function mbPerSecond(bytes: number, ms: number): number {
  return bytes / (1024 * 1024) / (ms / 1000);
}
