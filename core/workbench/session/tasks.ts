/**
 * Long operations (opening a big file, expand all, a filter) worked in chunks that yield to the
 * host, with progress events once they take a while, and cancel.
 */
import type { AppEvent, DocId } from '../../api/contract';
import type { Scheduler } from '../engine';
import type { SessionApiPart } from './session-api';

/** A long operation reports progress once it has run this long. */
const PROGRESS_AFTER_MS = 200;

/** A long operation yields to the host's other work (requests, a cancel) at least this often. */
const YIELD_EVERY_MS = 40;

/** A request failed because the user cancelled it (the message says what was cancelled). */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
}

/** Called by a task between chunks with how far it has come; throws CancelledError once the task is cancelled. */
export type TaskStep = (done: number, total: number) => Promise<void>;

/** The running tasks of a session. */
export interface Tasks extends SessionApiPart<'cancelTask'> {
  /**
   * Runs `work`, which calls `step(done, total)` between chunks. A step yields to the host's
   * events every YIELD_EVERY_MS, sends a 'progress' event once the task has run PROGRESS_AFTER_MS
   * (and a last one with done === total when it ends), and throws CancelledError once cancelled.
   */
  run<T>(docId: DocId | null, label: string, work: (step: TaskStep) => Promise<T>): Promise<T>;
  /** Whether a long operation is under way (background work waits for the host to be idle). */
  busy(): boolean;
}

/** Creates the task runner; `emit` sends the progress events. */
export function createTasks(scheduler: Scheduler | undefined, emit: (event: AppEvent) => void): Tasks {
  const now = () => scheduler?.now?.() ?? Date.now();
  const yieldToEvents = () => scheduler?.yieldToEvents?.() ?? Promise.resolve();
  const running = new Map<string, { cancelled: boolean }>();
  let nextTask = 1;

  return {
    async run(docId, label, work) {
      const taskId = `t${nextTask++}`;
      const task = { cancelled: false };
      const start = now();
      let lastYield = start;
      let shown = false;
      running.set(taskId, task);
      const step: TaskStep = async (done, total) => {
        const t = now();
        if (t - lastYield < YIELD_EVERY_MS) return;
        if (t - start >= PROGRESS_AFTER_MS) {
          shown = true;
          emit({ kind: 'progress', taskId, docId, label, done: Math.min(done, total - 1), total });
        }
        await yieldToEvents();
        lastYield = now();
        if (task.cancelled) throw new CancelledError(`${label} was cancelled`);
      };
      try {
        return await work(step);
      } finally {
        running.delete(taskId);
        if (shown) emit({ kind: 'progress', taskId, docId, label, done: 1, total: 1 });
      }
    },
    busy: () => running.size > 0,
    async cancelTask({ taskId }) {
      if (typeof taskId !== 'string') throw new TypeError('cancelTask: field "taskId" must be string');
      const task = running.get(taskId);
      if (task) task.cancelled = true;
      return { cancelled: !!task };
    },
  };
}
