import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { afterAll, describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../core/api/request-check';
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
