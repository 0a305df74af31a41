/**
 * The replay pane over the websocket transport, as a user drives it: a SignalRequest document
 * (a ping_req) makes the method the LiveKit signal connection and the transport websocket, Start
 * the mock points the URL at its /rtc, and Send shows the JoinResponse and the pong_resp, each
 * with its time.
 */
import { Ping, SignalRequest } from '@livekit/protocol';
import { test, expect, dropFiles, setType } from './app-fixture';

const PING = {
  name: 'ping-request.bin',
  bytes: new SignalRequest({ message: { case: 'pingReq', value: new Ping({ timestamp: 1_234_567n }) } }).toBinary(),
};

test.afterEach(async ({ app }) => {
  // The served session outlives the page: leave no mock running.
  await app.page
    .evaluate(async () => {
      const pd = (window as unknown as { protodesk?: { api: Record<string, (r: unknown) => Promise<unknown>> } }).protodesk?.api;
      if (pd) return pd.replayMockStop({});
      await fetch('/api/replayMockStop', { method: 'POST', body: '{}' });
    })
    .catch(() => undefined);
});

test('replay pane: a SignalRequest sent over websocket to the mock /rtc answers join and pong_resp', async ({ app }) => {
  test.setTimeout(120_000);
  const { page } = app;
  await dropFiles(page, [PING]);
  await setType(page, 'livekit.SignalRequest');
  await page.getByRole('checkbox', { name: 'Replay' }).check();
  const pane = page.getByTestId('replay-pane');
  // The one method that takes a SignalRequest is the signal connection, and it goes over websocket.
  await expect(pane.getByLabel('Method', { exact: true })).toHaveValue('livekit/rtc');
  await expect(pane.getByLabel('Transport', { exact: true })).toHaveValue('websocket');
  await expect(pane.getByTestId('replay-types')).toHaveText('livekit.SignalRequest → livekit.SignalResponse');
  await pane.getByRole('button', { name: 'Start the mock' }).click();
  await expect(pane.getByLabel('URL', { exact: true })).toHaveValue(/^ws:\/\/127\.0\.0\.1:\d+$/, { timeout: 30_000 });
  await expect(pane.getByLabel('Preset', { exact: true })).toHaveValue('Mock: WebSocket (/rtc)');
  await pane.getByLabel('Room', { exact: true }).fill('pane-room');
  await pane.getByLabel('Identity', { exact: true }).fill('pane-user');

  await pane.getByRole('button', { name: 'Send', exact: true }).click();
  const status = pane.getByTestId('replay-status');
  await expect(status).toContainText(/^OK · HTTP 101 · /, { timeout: 30_000 });
  await expect(status).toContainText(/ws:\/\/127\.0\.0\.1:\d+\/rtc\?access_token=/);
  const answers = pane.getByTestId('replay-response-stream').locator('li');
  await expect(answers.first()).toContainText('"join"');
  await expect(answers.first()).toContainText('"pane-room"');
  await expect(answers.first()).toContainText('"pane-user"');
  const pong = answers.filter({ hasText: '"pongResp"' });
  await expect(pong).toContainText('"lastPingTimestamp": "1234567"');
  await expect(pong).toContainText(/\+\d+\.\d ms/);
  await page.screenshot({ path: test.info().outputPath('replay-websocket.png') });
});
