import { describe, expect, it } from 'vitest';
import type { AppEvent } from '../../api/contract';
import { createCoreEngine } from '../core-engine';
import { createSession } from './session';
import { CancelledError, createTasks } from './tasks';
import { fakeClock, manyItems, memoryFiles, schemaHost } from './test-session';

describe('session tasks', () => {
  it('expands a big tree in chunks that yield, with progress events after 200 ms and a last one at the end', async () => {
    const clock = fakeClock();
    const s = createSession({
      engine: createCoreEngine(),
      schemas: schemaHost,
      files: memoryFiles().host,
      scheduler: clock.scheduler,
      lazyAboveBytes: 0,
    });
    const { docId } = await s.api.openBytes({ name: 'big.bin', bytes: manyItems(30_000) });
    const events: AppEvent[] = [];
    s.onEvent((e) => events.push(e));
    clock.yields = 0;
    const { total } = await s.api.setExpanded({ docId, message: 0, path: [], expanded: true, all: true });
    expect(total).toBe(90_001);
    expect(clock.yields).toBeGreaterThan(0);
    const progress = events.filter((e) => e.kind === 'progress');
    expect(progress.length).toBeGreaterThan(1);
    expect(progress[0]).toMatchObject({ kind: 'progress', docId, label: 'Expanding' });
    expect(progress.at(-1)).toMatchObject({ done: 1, total: 1 });
    expect(progress.slice(0, -1).every((e) => e.kind === 'progress' && e.done < e.total)).toBe(true);
    const last = await s.api.getRows({ docId, message: 0, start: total - 1, count: 1 });
    expect(last).toMatchObject({ nodeCount: 90_001, rows: [{ name: 'count', value: 29_999n }] });
  });

  it('cancels expand all from its progress event: the request fails saying so and the tree stays collapsed', async () => {
    const clock = fakeClock();
    const s = createSession({
      engine: createCoreEngine(),
      schemas: schemaHost,
      files: memoryFiles().host,
      scheduler: clock.scheduler,
      lazyAboveBytes: 0,
    });
    const { docId } = await s.api.openBytes({ name: 'big.bin', bytes: manyItems(30_000) });
    s.onEvent((e) => {
      if (e.kind === 'progress' && e.taskId && e.done < e.total) void s.api.cancelTask({ taskId: e.taskId });
    });
    await expect(s.api.setExpanded({ docId, message: 0, path: [], expanded: true, all: true })).rejects.toThrow(
      /^Expanding was cancelled$/,
    );
    const rows = await s.api.getRows({ docId, message: 0, start: 0, count: 3 });
    expect(rows.total).toBe(30_001);
    expect(rows.rows.map((r) => r.expanded)).toEqual([false, false, false]);
    expect(await s.api.cancelTask({ taskId: 'no-such-task' })).toEqual({ cancelled: false });
    // A filter walks everything: cancelled the same way.
    await expect(s.api.getRows({ docId, message: 0, start: 0, count: 10, filter: 'item-29999' })).rejects.toThrow(
      /^Filtering was cancelled$/,
    );
  });

  it('runs a short task without events, and a long one with progress after 200 ms, yielding between its chunks', async () => {
    const clock = fakeClock(); // 100 ms per reading of the clock
    const events: AppEvent[] = [];
    const tasks = createTasks(clock.scheduler, (e) => events.push(e));
    expect(await tasks.run('d1', 'Quick', async () => 'done')).toBe('done');
    expect(events).toEqual([]);
    const result = await tasks.run('d1', 'Long', async (step) => {
      for (let i = 0; i < 5; i++) await step(i, 5);
      return 5;
    });
    expect(result).toBe(5);
    expect(clock.yields).toBe(5);
    // The first step is at 100 ms (no event yet), then one event per step, and a last one at the end.
    expect(events.map((e) => (e.kind === 'progress' ? [e.label, e.done, e.total] : e.kind))).toEqual([
      ['Long', 1, 5],
      ['Long', 2, 5],
      ['Long', 3, 5],
      ['Long', 4, 5],
      ['Long', 1, 1],
    ]);
    expect(new Set(events.map((e) => (e.kind === 'progress' ? e.taskId : null))).size).toBe(1);
  });

  it('cancels a task at its next step: the work fails with CancelledError naming the task, and the task is gone', async () => {
    const events: AppEvent[] = [];
    const tasks = createTasks(fakeClock().scheduler, (e) => events.push(e));
    let steps = 0;
    const run = tasks.run(null, 'Counting', async (step) => {
      for (;;) {
        await step(steps++, 100);
        const first = events.find((e) => e.kind === 'progress');
        if (first?.kind === 'progress' && steps === 3)
          expect(await tasks.cancelTask({ taskId: first.taskId! })).toEqual({ cancelled: true });
      }
    });
    await expect(run).rejects.toThrow(CancelledError);
    await expect(run).rejects.toThrow(/^Counting was cancelled$/);
    expect(steps).toBe(4);
    const id = events[0].kind === 'progress' ? events[0].taskId! : '';
    expect(await tasks.cancelTask({ taskId: id })).toEqual({ cancelled: false });
    await expect(tasks.cancelTask({ taskId: 7 as unknown as string })).rejects.toThrow('cancelTask: field "taskId" must be string');
  });

  it('is busy while a task runs, and idle before and after', async () => {
    const tasks = createTasks(fakeClock().scheduler, () => undefined);
    expect(tasks.busy()).toBe(false);
    let release!: () => void;
    const run = tasks.run(null, 'Waiting', () => new Promise<void>((resolve) => (release = resolve)));
    expect(tasks.busy()).toBe(true);
    release();
    await run;
    expect(tasks.busy()).toBe(false);
  });
});
