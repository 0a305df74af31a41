/** What every benchmark case gets, and the input sizes of full and quick runs. */
import type { Row } from './report';

/** Input sizes and run counts; `quick` shrinks everything for a smoke run. */
export interface BenchConfig {
  quick: boolean;
  /** Measured runs per timing (after the warm-up). */
  runs: number;
  /** Case 1 and 2: bytes of the single big message. */
  bigMessageBytes: number;
  /** Case 3: bytes of the schema-less input. */
  rawBytes: number;
  /** Case 4: messages in the delimited stream, and its total size. */
  streamMessages: number;
  streamBytes: number;
  /** Case 5: size of the message ranked by detect, and calls measured. */
  detectBytes: number;
  detectRuns: number;
  /** Case 6: nodes in the message opened in the UI. */
  uiNodes: number;
  /** Case 11: nodes of the message expanded in full on the host, bytes of the hostile descriptor, bytes of the big file opened. */
  expandNodes: number;
  hostileBytes: number;
  openFileBytes: number;
  /** UI cases: measured runs are cut (to at least 1) so that they fit in about this much time. */
  uiBudgetMs: number;
  /** UI cases: a step not done within this is reported as over it. */
  uiTimeoutMs: number;
}

const MB = 1024 * 1024;

/** The configuration for a full or quick (smoke) run. */
export function benchConfig(quick: boolean, runs?: number): BenchConfig {
  return quick
    ? {
        quick,
        runs: runs ?? 3,
        bigMessageBytes: 2 * MB,
        rawBytes: 1 * MB,
        streamMessages: 50_000,
        streamBytes: 5 * MB,
        detectBytes: 1024,
        detectRuns: 10,
        uiNodes: 50_000,
        expandNodes: 100_000,
        hostileBytes: 1 * MB,
        openFileBytes: 20 * MB,
        uiBudgetMs: 60_000,
        uiTimeoutMs: 60_000,
      }
    : {
        quick,
        runs: runs ?? 5,
        bigMessageBytes: 64 * MB,
        rawBytes: 10 * MB,
        streamMessages: 1_000_000,
        streamBytes: 100 * MB,
        detectBytes: 1024,
        detectRuns: 30,
        uiNodes: 1_000_000,
        expandNodes: 3_000_000,
        hostileBytes: 10 * MB,
        openFileBytes: 200 * MB,
        uiBudgetMs: 75_000,
        uiTimeoutMs: 60_000,
      };
}

/** Measured runs that fit in the UI budget given the warm-up run's time (at least 1, at most config.runs). */
export function runsWithinBudget(config: BenchConfig, firstRunMs: number): number {
  return Math.max(1, Math.min(config.runs, Math.floor(config.uiBudgetMs / Math.max(1, firstRunMs))));
}

/** A benchmark case: measures and returns its rows. */
export type BenchCase = (config: BenchConfig) => Promise<Row[]>;
