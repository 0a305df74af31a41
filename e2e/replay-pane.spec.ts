/**
 * The replay pane following the document, as a user drives it: CreateRoom from an opened
 * CreateRoomRequest in three interactions (open the pane, start the mock, Send); the method
 * follows tab switches and asks when several methods take the document's type; Cancel stops a
 * send that hangs; the history shows past answers and restores the body; a send copies as curl /
 * grpcurl; an environment fills {{variables}}, its secret kept by the host; the minted token shows.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { Page } from '@playwright/test';
import { test, expect, dropFiles, sample, setType } from './app-fixture';

const CREATE_ROOM = { name: 'create-room-request.bin', bytes: sample('livekit/create-room-request.bin') };
const KIK_JOIN = { name: 'join-convo-conference-request.bin', bytes: sample('kik-video/join-convo-conference-request.bin') };
/** A livekit.RoomParticipantIdentity { room: "demo-room", identity: "alice" } (GetParticipant and RemoveParticipant take it). */
const IDENTITY = {
  name: 'participant-identity.bin',
  bytes: new Uint8Array([0x0a, 9, ...Buffer.from('demo-room'), 0x12, 5, ...Buffer.from('alice')]),
};

/** A TCP server that accepts and never answers: a send to it hangs until cancelled. */
let silent: Server;
const sockets = new Set<Socket>();
let silentUrl = '';
test.beforeAll(async () => {
  silent = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.resume();
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  silentUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
});
test.afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => silent.close(() => r()));
});

test.afterEach(async ({ app }) => {
  // The served session outlives the page: leave no mock running.
  await app.page
    .evaluate(async () => {
      const pd = (window as unknown as { protodesk?: { api: Record<string, (r: unknown) => Promise<unknown>> } }).protodesk?.api;
      if (pd) return pd.replayMockStop({});
      // The page's session cookie goes along (same origin).
      await fetch('/api/replayMockStop', { method: 'POST', body: '{}' });
    })
    .catch(() => undefined);
});

/** Opens a collapsed section of the pane by its title. */
async function openSection(pane: ReturnType<Page['getByTestId']>, title: RegExp) {
  const summary = pane.locator('summary').filter({ hasText: title }).first();
  const details = summary.locator('xpath=..');
  if ((await details.getAttribute('open')) === null) await summary.click();
  await expect(details).toHaveAttribute('open', '');
}

/** Clicks Send, waits for the pane to finish, and checks it said nothing went wrong. */
async function sendOk(pane: ReturnType<Page['getByTestId']>) {
  await pane.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(pane.getByText('working…')).toHaveCount(0, { timeout: 30_000 });
  await expect(pane.getByTestId('replay-notice')).toHaveCount(0);
  await expect(pane.getByTestId('replay-status')).toContainText(/^OK · /);
}

test('replay pane: CreateRoom from an opened CreateRoomRequest in three interactions', async ({ app }) => {
  test.setTimeout(120_000);
  const { page } = app;
  await dropFiles(page, [CREATE_ROOM]);
  await expect(page.getByTestId('current-type')).toHaveText('livekit.CreateRoomRequest');

  let interactions = 0;
  // 1. Open the pane: the method is the one that takes the document's type, the source the document.
  interactions++;
  await page.getByRole('checkbox', { name: 'Replay' }).check();
  const pane = page.getByTestId('replay-pane');
  await expect(pane.getByLabel('Method', { exact: true })).toHaveValue('livekit.RoomService/CreateRoom');
  await expect(pane.getByLabel('Send', { exact: true }).locator('option:checked')).toHaveText(/^create-room-request\.bin /);
  // 2. Start the mock from the Target section: the URL becomes the mock's (the transport kept).
  interactions++;
  await pane.getByRole('button', { name: 'Start the mock' }).click();
  await expect(pane.getByLabel('URL', { exact: true })).toHaveValue(/^http:\/\/127\.0\.0\.1:\d+$/, { timeout: 30_000 });
  await expect(pane.getByLabel('Preset', { exact: true })).toHaveValue('Mock: Twirp');
  // 3. Send.
  interactions++;
  await pane.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(pane.getByTestId('replay-status')).toContainText(/^OK · HTTP 200 · /, { timeout: 30_000 });
  await expect(pane.getByTestId('replay-status')).toContainText('/twirp/livekit.RoomService/CreateRoom');
  await expect(pane.getByTestId('replay-response-json')).toContainText(/"name":\s*"standup"/);
  expect(interactions).toBeLessThanOrEqual(3);
  await page.screenshot({ path: test.info().outputPath('replay-three-interactions.png') });
});

test('replay pane: follows tabs, asks between methods, Cancel, history, copy, environments, token', async ({ app }) => {
  test.setTimeout(180_000);
  const { page } = app;
  await dropFiles(page, [CREATE_ROOM]);
  await page.getByRole('checkbox', { name: 'Replay' }).check();
  const pane = page.getByTestId('replay-pane');
  const method = pane.getByLabel('Method', { exact: true });
  const status = pane.getByTestId('replay-status');
  await expect(method).toHaveValue('livekit.RoomService/CreateRoom');

  // A tab switch moves the source, and the method with it (Kik methods need no LiveKit auth).
  await dropFiles(page, [KIK_JOIN]);
  await expect(page.getByTestId('current-type')).toHaveText('mobile.video.v1.JoinConvoConferenceRequest');
  await expect(method).toHaveValue('mobile.video.v1.KikVideo/JoinConvoConference');
  await expect(pane.getByLabel('Kind', { exact: true })).toHaveValue('none');
  await page.getByTestId('tab').filter({ hasText: 'create-room-request.bin' }).click();
  await expect(method).toHaveValue('livekit.RoomService/CreateRoom');
  await expect(pane.getByLabel('Kind', { exact: true })).toHaveValue('livekit-key');

  // Two methods take a RoomParticipantIdentity: the pane asks which.
  await dropFiles(page, [IDENTITY]);
  await setType(page, 'livekit.RoomParticipantIdentity');
  const choices = pane.getByTestId('replay-method-choices');
  await expect(choices).toContainText('This document fits 2 methods');
  await choices.getByRole('button', { name: 'GetParticipant' }).click();
  await expect(method).toHaveValue('livekit.RoomService/GetParticipant');
  await expect(choices).toHaveCount(0);

  // Start the mock (the form points at it) and send: the fixture's alice comes back.
  await pane.getByRole('button', { name: 'Start the mock' }).click();
  await expect(pane.getByLabel('Preset', { exact: true })).toHaveValue('Mock: Twirp', { timeout: 30_000 });
  const mockUrl = await pane.getByLabel('URL', { exact: true }).inputValue();
  await pane.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(status).toContainText(/^OK · /, { timeout: 30_000 });
  await expect(pane.getByTestId('replay-response-json')).toContainText(/"identity":\s*"alice"/);

  // Over gRPC the mock has another port: the pane offers it; the mock serves reflection of what it loads.
  await pane.getByLabel('Transport', { exact: true }).selectOption('grpc');
  await pane.getByRole('button', { name: 'Use the mock' }).click();
  await expect(pane.getByLabel('Preset', { exact: true })).toHaveValue('Mock: gRPC');
  await pane.getByRole('button', { name: 'Load schemas by reflection' }).click();
  await expect(pane.getByTestId('replay-notice')).toHaveText(/^reflection \(v1\): the server's \d+ services are all loaded already$/, {
    timeout: 30_000,
  });
  await pane.getByLabel('Transport', { exact: true }).selectOption('twirp');
  await pane.getByRole('button', { name: 'Use the mock' }).click();
  await expect(pane.getByLabel('URL', { exact: true })).toHaveValue(mockUrl);

  // The minted token is there to copy.
  await pane.getByRole('button', { name: 'Mint token' }).click();
  await expect(pane.getByLabel('minted token', { exact: true })).toHaveValue(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);

  // Copy as curl: a command with the token from $LIVEKIT_TOKEN, never the secret; grpcurl cannot speak Twirp.
  await pane.getByRole('group', { name: 'Copy as' }).getByRole('button', { name: 'curl', exact: true }).click();
  const command = pane.getByTestId('replay-command');
  await expect(command).toHaveValue(
    new RegExp(`^curl -X POST .*"Authorization: Bearer \\$LIVEKIT_TOKEN".* ${mockUrl}/twirp/livekit\\.RoomService/GetParticipant$`),
  );
  await expect(command).toHaveValue(/"identity":"alice"/);
  expect(await command.inputValue()).not.toContain('secret');
  await pane.getByRole('group', { name: 'Copy as' }).getByRole('button', { name: 'grpcurl' }).click();
  await expect(pane.getByTestId('replay-notice')).toHaveText('grpcurl speaks gRPC only, not twirp: use buf curl or curl');

  // Cancel: a send to a server that never answers stops when asked.
  await pane.getByLabel('URL', { exact: true }).fill(silentUrl);
  await pane.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(pane.getByText('working…')).toBeVisible();
  await pane.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(pane.getByTestId('replay-notice')).toContainText('cancelled');
  await expect(pane.getByText('working…')).toHaveCount(0);
  await expect(pane.getByRole('button', { name: 'Cancel', exact: true })).toHaveCount(0);

  // An environment fills {{host}} and the secret {{apiSecret}} (kept by the host, never shown back).
  await openSection(pane, /^Environments \(\d+\)$/);
  await pane.getByLabel('Name', { exact: true }).fill('e2e-local');
  await pane.getByLabel('Variables', { exact: true }).fill(`host=${mockUrl}`);
  await pane.getByLabel('Secrets', { exact: true }).fill('apiSecret=secret');
  await pane.getByRole('button', { name: 'Save environment' }).click();
  await expect(pane.getByTestId('replay-notice')).toContainText('environment "e2e-local" saved');
  await expect(pane.getByLabel('Secrets', { exact: true })).toHaveValue('apiSecret=');
  await expect(pane.getByLabel('Environment', { exact: true })).toHaveValue('e2e-local');
  await pane.getByLabel('URL', { exact: true }).fill('{{host}}');
  await pane.getByLabel('secret', { exact: true }).fill('{{apiSecret}}');
  await sendOk(pane);
  await expect(status).toContainText(`${mockUrl}/twirp/livekit.RoomService/GetParticipant`);

  // The history shows a past answer, and restores a past request's body into the form.
  await openSection(pane, /^History \(\d+\)$/);
  const history = pane.getByTestId('replay-history');
  await history
    .getByRole('button', { name: /livekit\.RoomService\/GetParticipant → ok/ })
    .first()
    .click();
  const detail = pane.getByTestId('replay-history-detail');
  await expect(detail).toContainText('(environment e2e-local)');
  await expect(pane.getByTestId('replay-history-request')).toContainText(/"identity":\s*"alice"/);
  await expect(pane.getByTestId('replay-history-response')).toContainText(/"identity":\s*"alice"/);
  await pane.getByLabel('Method', { exact: true }).selectOption('livekit.RoomService/ListRooms');
  await history.locator('li').filter({ hasText: 'GetParticipant → ok' }).first().getByRole('button', { name: 'Restore' }).click();
  await expect(method).toHaveValue('livekit.RoomService/GetParticipant');
  await expect(pane.getByLabel('Send', { exact: true })).toHaveValue('json');
  await expect(pane.getByLabel('request JSON', { exact: true })).toHaveValue(/"room":\s*"demo-room"[\s\S]*"identity":\s*"alice"/);
  await sendOk(pane);
  await page.screenshot({ path: test.info().outputPath('replay-pane-tools.png'), fullPage: true });

  // Clean up the session's environment (the served session outlives the test).
  await pane.getByLabel('Edit', { exact: true }).selectOption('e2e-local');
  await pane.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(pane.getByLabel('Environment', { exact: true })).toHaveValue('');
});
