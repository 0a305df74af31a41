import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { afterAll, describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../core/api/request-check';
import type { ReplayEvent } from '../core/api/replay-contract';
import type { ReplayService } from '../core-node/replay/replay-service';
import { createReplayHandlers } from './replay-handlers';

describe('createReplayHandlers (browser-served mode)', () => {
  const historyDir = mkdtempSync(join(tmpdir(), 'protodesk-replay-handlers-'));
  const { handlers, service } = createReplayHandlers({ getRoot: () => new protobuf.Root(), historyDir, cwd: historyDir });
  afterAll(async () => {
    await service.close();
    rmSync(historyDir, { recursive: true, force: true });
  });

  it('answers every replay method of the contract, the host ones included', () => {
    const replay = METHOD_NAMES.filter((m) => m.startsWith('replay') || m === 'choosePaths');
    expect(replay.length).toBeGreaterThan(10);
    for (const m of replay) expect(typeof (handlers as unknown as Record<string, unknown>)[m], m).toBe('function');
  });

  it('refuses choosePaths as unsupported: a browser page gets no native file dialog, its paths are typed', async () => {
    await expect(handlers.choosePaths({ purpose: 'tls-ca', kind: 'file' })).rejects.toMatchObject({
      code: 'unsupported',
      message: "choosePaths: native file dialogs are not available in the browser; type the file's path instead",
    });
  });
});

describe('the replay service behind the handlers', () => {
  /** A stand-in service counting what is asked of it, with a way to push an event to its subscribers. */
  function fakeService() {
    const subscribers = new Set<(e: ReplayEvent) => void>();
    let closed = 0;
    const service = {
      onEvent(l: (e: ReplayEvent) => void) {
        subscribers.add(l);
        return () => subscribers.delete(l);
      },
      async close() {
        closed++;
      },
      async replayHistoryList() {
        return { entries: [] };
      },
    } as unknown as ReplayService;
    const push = (n: number) => {
      for (const l of subscribers) l({ seq: n, time: '', kind: 'sent', summary: `event ${n}` } as unknown as ReplayEvent);
    };
    return { service, push, closed: () => closed };
  }
  const options = { getRoot: () => new protobuf.Root(), historyDir: '/nonexistent', cwd: '/' };

  it('is made on the first replay call, not at start, and gets the listeners subscribed before', async () => {
    const fake = fakeService();
    let made = 0;
    const { handlers, service } = createReplayHandlers(options, async () => {
      made++;
      return fake.service;
    });
    const seen: number[] = [];
    const stop = service.onEvent((e) => seen.push(e.seq));
    expect(made).toBe(0);
    expect(service.started()).toBe(false);
    await handlers.replayHistoryList({});
    await handlers.replayHistoryList({});
    expect(made).toBe(1);
    fake.push(1);
    const late: number[] = [];
    service.onEvent((e) => late.push(e.seq));
    await handlers.replayHistoryList({});
    fake.push(2);
    stop();
    fake.push(3);
    expect(seen).toEqual([1, 2]);
    expect(late).toEqual([2, 3]);
    await service.close();
    expect(fake.closed()).toBe(1);
  });

  it('closes without making the service when no replay call came', async () => {
    let made = 0;
    const { service } = createReplayHandlers(options, async () => {
      made++;
      return fakeService().service;
    });
    await service.close();
    expect(made).toBe(0);
  });
});
