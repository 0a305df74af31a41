/**
 * A LiveKit signal WebSocket that Chromium itself opened and Playwright's recordHar recorded: the
 * page connects to the mock's /rtc, sends SignalRequests built here with @livekit/protocol (a
 * ping_req, then leave) and reads the SignalResponses; Playwright (1.65) writes the frames into
 * the HAR as Chrome's `_webSocketMessages` (binary frames base64, opcode 2). Imported, every frame
 * is typed by direction (SignalRequest sent, SignalResponse received) and every body decodes, in
 * the engine and in the capture view.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { LeaveRequest, Ping, SignalRequest, SignalResponse } from '@livekit/protocol';
import { mintLiveKitToken } from '../core-node/livekit/access-token';
import { startMockServer } from '../core-node/mock/mock-server';
import { loadSchemas } from '../core-node/schema/load-schemas';
import { openEntry } from '../core/capture/open-entry';
import { readCapture } from '../core/capture/read-capture';
import { test, expect, dropFiles } from './app-fixture';

/** Opens /rtc from the page, sends each frame after the join (and each answer after the one before it), and returns how the socket closed. */
async function signalFromPage(page: Page, url: string, frames: number[][]): Promise<{ received: number; code: number; reason: string }> {
  return page.evaluate(
    ({ url, frames }) =>
      new Promise<{ received: number; code: number; reason: string }>((resolve, reject) => {
        const ws = new WebSocket(url);
        ws.binaryType = 'arraybuffer';
        let received = 0;
        let next = 0;
        ws.onmessage = () => {
          received++;
          // The join first, then the pong to the ping: one frame out per answer in.
          if (next < frames.length) ws.send(new Uint8Array(frames[next++]));
        };
        ws.onclose = (e) => resolve({ received, code: e.code, reason: e.reason });
        ws.onerror = () => reject(new Error('the WebSocket failed'));
      }),
    { url, frames },
  );
}

test('a signal WebSocket recorded by Chromium imports with every frame typed and decoded', async ({ app, chromiumForApp }) => {
  test.skip(app.mode !== 'browser', 'the recording browser is the browser project one');
  const registry = await loadSchemas({ bundled: true });
  const mock = await startMockServer({ root: registry.root, port: 0 });
  try {
    const token = await mintLiveKitToken({
      apiKey: 'devkey',
      apiSecret: 'secret',
      grant: { roomJoin: true, room: 'standup' },
      identity: 'browser',
    });
    const frames = [
      new SignalRequest({ message: { case: 'pingReq', value: new Ping({ timestamp: 1_700_000_000_000n, rtt: 20n }) } }),
      new SignalRequest({ message: { case: 'leave', value: new LeaveRequest({}) } }),
    ].map((r) => [...r.toBinary()]);
    const harPath = test.info().outputPath('chromium-ws.har');
    const context = await chromiumForApp!.newContext({ recordHar: { path: harPath, content: 'embed' } });
    const recorder = await context.newPage();
    await recorder.goto(`${mock.httpUrl}/_mock/status`).catch(() => undefined);
    const closed = await signalFromPage(recorder, `${mock.httpUrl.replace(/^http/, 'ws')}/rtc?access_token=${token}`, frames);
    expect(closed).toEqual({ received: 2, code: 1000, reason: 'participant left' });
    await context.close();

    // The engine: the socket's frames in order, typed by direction, every body decoded.
    const har = new Uint8Array(readFileSync(harPath));
    const capture = readCapture(har, { schemas: registry });
    const ws = capture.entries.filter((e) => e.protocol === 'websocket');
    expect(ws.map((e) => [e.direction, e.type])).toEqual([
      ['response', 'livekit.SignalResponse'],
      ['request', 'livekit.SignalRequest'],
      ['response', 'livekit.SignalResponse'],
      ['request', 'livekit.SignalRequest'],
    ]);
    // Playwright writes frame times in ms where Chrome writes seconds: both read as the wall time of the recording.
    for (const e of ws) expect(Math.abs(e.time - Date.now()), `entry ${e.index} time`).toBeLessThan(10 * 60_000);
    // Each body as the protocol's own classes (protobuf-es) read it.
    const decoded = ws.map((e) => {
      const opened = openEntry(capture, e, { schemas: registry });
      expect(opened.problem, `entry ${e.index}`).toBeUndefined();
      expect(opened.messages.length, `entry ${e.index}`).toBe(1);
      const bytes = opened.messages[0].bytes;
      return e.type === 'livekit.SignalRequest' ? SignalRequest.fromBinary(bytes).message : SignalResponse.fromBinary(bytes).message;
    });
    expect(decoded.map((m) => m.case)).toEqual(['join', 'pingReq', 'pongResp', 'leave']);
    expect(decoded[0].case === 'join' && decoded[0].value.participant?.identity).toBe('browser');
    expect(decoded[2].case === 'pongResp' && decoded[2].value.lastPingTimestamp).toBe(1_700_000_000_000n);

    // The app: the capture view lists the frames typed.
    const { page } = app;
    await dropFiles(page, [{ name: 'chromium-ws.har', bytes: har }]);
    await expect(page.getByTestId('capture-count')).toHaveText(`${capture.entries.length} exchanges`);
    await expect(page.getByTestId('capture-type')).toHaveText(capture.entries.map((e) => e.type ?? ''));
    await expect(page.getByTestId('capture-type')).toHaveText([
      'livekit.SignalResponse',
      'livekit.SignalRequest',
      'livekit.SignalResponse',
      'livekit.SignalRequest',
    ]);
  } finally {
    await mock.close();
  }
});
