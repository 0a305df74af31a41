import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { afterAll, describe, expect, it } from 'vitest';
import { REPLAY_HOST_METHODS, REPLAY_METHODS } from '../core/api/replay-contract';
import { createReplayHandlers } from './replay-handlers';

describe('createReplayHandlers (browser-served mode)', () => {
  const historyDir = mkdtempSync(join(tmpdir(), 'protodesk-replay-handlers-'));
  const { handlers, service } = createReplayHandlers({ getRoot: () => new protobuf.Root(), historyDir, cwd: historyDir });
  afterAll(async () => {
    await service.close();
    rmSync(historyDir, { recursive: true, force: true });
  });

  it('answers every replay method of the contract, the host ones included', () => {
    expect(Object.keys(handlers).sort()).toEqual([...REPLAY_METHODS, ...REPLAY_HOST_METHODS].sort());
  });

  it('refuses choosePaths: a browser page gets no native file dialog, its paths are typed', async () => {
    await expect(handlers.choosePaths({ purpose: 'tls-ca', kind: 'file' })).rejects.toThrow(
      "choosePaths: native file dialogs are not available in the browser; type the file's path instead",
    );
  });
});
