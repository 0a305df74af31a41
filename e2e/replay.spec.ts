/**
 * The replay pane end to end, as a user drives it: drop a LiveKit CreateRoomRequest, open the
 * Replay pane, start the mock from the pane (port 0: a free port), mint a token with the dev
 * key/secret, filter the methods (the list keeps showing what Send uses), send over Twirp, open
 * the response as a document (the pane stays open in the new tab, the response still shown),
 * send again over gRPC and Connect, mint for a document that names a room, send a Kik
 * JoinConvoConference (no auth, picked for the service) and see its notification, stop the mock.
 * TLS files: typed in the browser, picked with the native dialog (Choose…) in Electron.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, Request } from '@playwright/test';
import { test, expect, dropFiles, row, sample, ROOT } from './app-fixture';

const CREATE_ROOM = { name: 'create-room-request.bin', bytes: sample('livekit/create-room-request.bin') };
const KIK_JOIN = { name: 'join-convo-conference-request.bin', bytes: sample('kik-video/join-convo-conference-request.bin') };
/** A LiveKit DeleteRoomRequest { room: "standup" } (field 1, a string). */
const DELETE_ROOM = { name: 'delete-room-request.bin', bytes: new Uint8Array([0x0a, 7, ...Buffer.from('standup')]) };
/** The mock's default fixture (core-node/mock/fixtures/default.json), pasted into the pane's fixture box. */
const FIXTURE = readFileSync(join(ROOT, 'core-node/mock/fixtures/default.json'), 'utf8');
const KIK_GROUP = '1234567890123_g';
/** The group's members in the fixture; the first one calls. */
const KIK_MEMBERS = (JSON.parse(FIXTURE) as { kik: { groups: Record<string, string[]> } }).kik.groups[KIK_GROUP];
const KIK_USER = KIK_MEMBERS[0];

type Pane = ReturnType<Page['getByTestId']>;

/** Opens the Replay pane of the active tab and returns it. */
async function openReplay(page: Page) {
  await page.getByRole('checkbox', { name: 'Replay' }).check();
  const pane = page.getByTestId('replay-pane');
  await expect(pane).toBeVisible();
  return pane;
}

/** Opens a collapsed section of the pane by its title (a <details> summary). */
async function openSection(pane: Pane, title: RegExp) {
  const summary = pane.locator('summary').filter({ hasText: title }).first();
  const details = summary.locator('xpath=..');
  if ((await details.getAttribute('open')) === null) await summary.click();
  await expect(details).toHaveAttribute('open', '');
}

/** Chooses target preset, method and the document to send, as the form's selects do. */
async function target(pane: Pane, preset: string, method: string, source: RegExp) {
  await pane.getByLabel('Preset', { exact: true }).selectOption(preset);
  await pane.getByLabel('Method', { exact: true }).selectOption(method);
  const sendSelect = pane.getByLabel('Send', { exact: true });
  const option = sendSelect.locator('option').filter({ hasText: source });
  await expect(option).toHaveCount(1);
  await sendSelect.selectOption({ label: (await option.textContent())! });
}

/** Clicks Send and waits for the pane to finish. */
async function send(pane: Pane) {
  await pane.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(pane.getByText('working…')).toHaveCount(0, { timeout: 30_000 });
}

test.afterEach(async ({ app }) => {
  // A failed run must not leave the mock running in the served session (which outlives the page).
  await app.page
    .evaluate(async () => {
      const pd = (window as unknown as { protodesk?: { api: Record<string, (r: unknown) => Promise<unknown>> } }).protodesk?.api;
      if (pd) return pd.replayMockStop({});
      await fetch('/api/replayMockStop', { method: 'POST', body: '{}' });
    })
    .catch(() => undefined);
});

test('replay: mock, Twirp/gRPC/Connect CreateRoom, open the response, a Kik notification', async ({ app }) => {
  test.setTimeout(180_000);
  const { page } = app;

  // Drop the request; its type is detected.
  await dropFiles(page, [CREATE_ROOM]);
  await expect(page.getByTestId('current-type')).toHaveText('livekit.CreateRoomRequest');

  // Open the pane and start the mock on a free port with the default fixture.
  let pane = await openReplay(page);
  await openSection(pane, /^Mock server$/);
  await pane.getByLabel('Port', { exact: true }).fill('0');
  await pane.getByLabel('fixture', { exact: true }).fill(FIXTURE);
  await pane.getByRole('button', { name: 'Start mock' }).click();
  const urls = pane.getByTestId('replay-mock-urls');
  await expect(urls).toContainText(/HTTP \(Twirp \/twirp, Connect, gRPC-Web\): http:\/\/127\.0\.0\.1:\d+/, { timeout: 30_000 });
  await expect(pane).toContainText('livekit.RoomService (livekit)');
  await expect(pane).toContainText('mobile.video.v1.KikVideo (kik)');
  const urlText = (await urls.innerText()).replace(/\s+/g, ' ');
  const httpUrl = /HTTP \(Twirp \/twirp, Connect, gRPC-Web\): (http:\/\/127\.0\.0\.1:\d+)/.exec(urlText)![1];
  const grpcUrl = /gRPC: (http:\/\/127\.0\.0\.1:\d+)/.exec(urlText)![1];
  expect(grpcUrl).not.toBe(httpUrl);

  // Target: the mock over Twirp (protobuf), CreateRoom, the dropped document.
  await target(pane, 'Mock: Twirp', 'livekit.RoomService/CreateRoom', /^create-room-request\.bin \(livekit\.CreateRoomRequest\)$/);
  await expect(pane.getByLabel('URL', { exact: true })).toHaveValue(httpUrl);
  await expect(pane.getByLabel('Transport', { exact: true })).toHaveValue('twirp');
  await expect(pane).toContainText('livekit.CreateRoomRequest → livekit.Room');

  // The method filter never hides what Send uses: the selected method stays listed (marked) and
  // the Types line agrees with it; Enter picks the first match.
  const methodSelect = pane.getByLabel('Method', { exact: true });
  const methodFilter = pane.getByLabel('Method filter', { exact: true });
  const types = pane.getByTestId('replay-types');
  await methodFilter.fill('KikVideo');
  await expect(methodSelect).toHaveValue('livekit.RoomService/CreateRoom');
  await expect(methodSelect.locator('option:checked')).toHaveText('livekit.RoomService/CreateRoom (selected, not matching the filter)');
  await expect(methodSelect.locator('option').nth(1)).toHaveText(/^mobile\.video\.v1\.KikVideo\//);
  await expect(types).toHaveText('livekit.CreateRoomRequest → livekit.Room');
  await methodFilter.press('Enter');
  await expect(methodSelect).toHaveValue(/^mobile\.video\.v1\.KikVideo\//);
  const kikMethod = (await methodSelect.inputValue()).split('/')[1];
  await expect(types).toHaveText(new RegExp(`^mobile\\.video\\.v1\\.${kikMethod}Request → mobile\\.video\\.v1\\.\\w+$`));
  // A Kik method needs no LiveKit token: auth follows the service (the preset stays chosen).
  await expect(pane.getByLabel('Kind', { exact: true })).toHaveValue('none');
  await expect(pane.getByLabel('Preset', { exact: true })).toHaveValue('Mock: Twirp');
  await methodFilter.fill('RoomService/Create');
  await methodFilter.press('Enter');
  await expect(methodSelect).toHaveValue('livekit.RoomService/CreateRoom');
  await methodFilter.fill('KikVideo');
  await expect(methodSelect).toHaveValue('livekit.RoomService/CreateRoom');
  await expect(types).toHaveText('livekit.CreateRoomRequest → livekit.Room');

  // Auth: the dev preset's key and secret (back for the LiveKit method); mint the token CreateRoom needs.
  await expect(pane.getByLabel('Kind', { exact: true })).toHaveValue('livekit-key');
  await expect(pane.getByLabel('API key', { exact: true })).toHaveValue('devkey');
  await expect(pane.getByLabel('secret', { exact: true })).toHaveValue('secret');
  await pane.getByRole('button', { name: 'Mint token' }).click();
  const claims = pane.getByTestId('replay-claims');
  await expect(claims).toContainText('"iss": "devkey"');
  await expect(claims).toContainText('"roomCreate": true');

  // Send over Twirp (the filter still shows KikVideo methods): CreateRoom, as the list shows, is sent; the created Room comes back.
  // One Send is two calls from the page (counted where they are HTTP requests): the request, naming
  // the document (the host reads its bytes), and the history.
  const apiCalls: string[] = [];
  const countCall = (r: Request) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith('/api/')) apiCalls.push(path.slice('/api/'.length));
  };
  if (!app.electron) page.on('request', countCall);
  await send(pane);
  if (!app.electron) {
    page.off('request', countCall);
    expect(apiCalls).toEqual(['replaySend', 'replayHistoryList']);
  }
  const status = pane.getByTestId('replay-status');
  const json = pane.getByTestId('replay-response-json');
  await expect(status).toContainText(/^OK · HTTP 200 · [\d.]+ ms · /);
  await expect(status).toContainText(`${httpUrl}/twirp/livekit.RoomService/CreateRoom`);
  await expect(json).toContainText(/"name":\s*"standup"/);
  await expect(json).toContainText(/"maxParticipants":\s*50/);
  await methodFilter.fill('');

  // The Preset list says "custom" once the address is edited; choosing the preset again restores it.
  await pane.getByLabel('URL', { exact: true }).fill(`${httpUrl}/x`);
  await expect(pane.getByLabel('Preset', { exact: true })).toHaveValue('');
  await pane.getByLabel('Preset', { exact: true }).selectOption('Mock: Twirp');
  await expect(pane.getByLabel('URL', { exact: true })).toHaveValue(httpUrl);

  // Open the response as a document: a new tab of type livekit.Room, the pane still open there
  // with the response and the target; the request stays the source of the next Send.
  await pane.getByRole('button', { name: 'Open as document (livekit.Room)' }).click();
  await expect(page.getByTestId('tab')).toHaveCount(2);
  await expect(page.getByRole('tab', { selected: true })).toContainText('CreateRoom-response.bin');
  await expect(page.getByTestId('current-type')).toHaveText('livekit.Room');
  await expect(row(page, 'name')).toContainText('"standup"');
  await expect(page.getByRole('checkbox', { name: 'Replay' })).toBeChecked();
  await expect(pane).toBeVisible();
  await expect(pane.getByTestId('replay-notice')).toContainText('opened the response as livekit.Room');
  await expect(status).toContainText(`${httpUrl}/twirp/livekit.RoomService/CreateRoom`);
  await expect(json).toContainText(/"name":\s*"standup"/);
  await expect(pane.getByLabel('URL', { exact: true })).toHaveValue(httpUrl);
  await expect(methodSelect).toHaveValue('livekit.RoomService/CreateRoom');
  await expect(pane.getByLabel('Send', { exact: true }).locator('option:checked')).toHaveText(/^create-room-request\.bin /);

  // Back to the request; the pane is still there (the mock is still running), now over gRPC.
  await page.getByTestId('tab').filter({ hasText: 'create-room-request.bin' }).click();
  await expect(page.getByTestId('current-type')).toHaveText('livekit.CreateRoomRequest');
  await expect(page.getByRole('checkbox', { name: 'Replay' })).toBeChecked();
  await expect(json).toContainText(/"name":\s*"standup"/);
  pane = await openReplay(page);
  await openSection(pane, /^Mock server$/);
  await expect(pane.getByTestId('replay-mock-urls')).toContainText(grpcUrl);
  await expect(pane.getByLabel('Preset', { exact: true }).locator('option', { hasText: /^Mock: gRPC$/ })).toHaveCount(1);
  await target(pane, 'Mock: gRPC', 'livekit.RoomService/CreateRoom', /^create-room-request\.bin \(livekit\.CreateRoomRequest\)$/);
  await expect(pane.getByLabel('Transport', { exact: true })).toHaveValue('grpc');
  await send(pane);
  await expect(status).toContainText(/^OK · [\d.]+ ms · /);
  await expect(status).toContainText(`${grpcUrl}/livekit.RoomService/CreateRoom`);
  await expect(json).toContainText(/"name":\s*"standup"/);

  // And over Connect.
  await target(pane, 'Mock: Connect', 'livekit.RoomService/CreateRoom', /^create-room-request\.bin \(livekit\.CreateRoomRequest\)$/);
  await expect(pane.getByLabel('Transport', { exact: true })).toHaveValue('connect');
  await send(pane);
  await expect(status).toContainText(/^OK · HTTP 200 · [\d.]+ ms · /);
  await expect(status).toContainText(`${httpUrl}/livekit.RoomService/CreateRoom`);
  await expect(status).not.toContainText('/twirp/');
  await expect(json).toContainText(/"name":\s*"standup"/);

  // The history lists the three sends.
  await openSection(pane, /^History \(\d+\)$/);
  const history = pane.getByTestId('replay-history');
  for (const t of ['twirp', 'grpc', 'connect']) await expect(history).toContainText(` ${t} livekit.RoomService/CreateRoom → ok`);

  // Mint from a document that names a room: the claims carry it, as the token Send mints does.
  await dropFiles(page, [DELETE_ROOM]);
  await expect(page.getByTestId('tab')).toHaveCount(3);
  await page.getByTestId('type-picker').click();
  await page.getByTestId('type-search').fill('livekit.DeleteRoomRequest');
  await page
    .getByRole('option', { name: /^livekit\.DeleteRoomRequest/ })
    .first()
    .click();
  await expect(page.getByTestId('current-type')).toHaveText('livekit.DeleteRoomRequest');
  pane = await openReplay(page);
  // The source follows the active tab.
  await expect(pane.getByLabel('Send', { exact: true }).locator('option:checked')).toHaveText(
    'delete-room-request.bin (livekit.DeleteRoomRequest)',
  );
  await methodSelect.selectOption('livekit.RoomService/DeleteRoom');
  await expect(pane.getByLabel('Kind', { exact: true })).toHaveValue('livekit-key');
  await pane.getByRole('button', { name: 'Mint token' }).click();
  // DeleteRoom's grant is roomCreate (as livekit-server-sdk asks for it).
  await expect(claims).toContainText('"roomCreate": true');
  await expect(claims).not.toContainText('"roomAdmin"');
  // ListParticipants needs the room: it comes from the document (converted to ListParticipantsRequest, as Send does).
  await methodSelect.selectOption('livekit.RoomService/ListParticipants');
  await pane.getByRole('button', { name: 'Mint token' }).click();
  await expect(claims).toContainText('"roomAdmin": true');
  await expect(claims).toContainText('"room": "standup"');
  await send(pane);
  await expect(status).toContainText(/^OK · /);
  await expect(status).toContainText('/livekit.RoomService/ListParticipants');

  // A Kik request: join the group conference as a member of the fixture's group.
  await dropFiles(page, [KIK_JOIN]);
  await expect(page.getByTestId('tab')).toHaveCount(4);
  await expect(page.getByTestId('current-type')).toHaveText('mobile.video.v1.JoinConvoConferenceRequest');
  pane = await openReplay(page);
  await target(
    pane,
    'Mock: Twirp',
    'mobile.video.v1.KikVideo/JoinConvoConference',
    /^join-convo-conference-request\.bin \(mobile\.video\.v1\.JoinConvoConferenceRequest\)$/,
  );
  // Not a LiveKit method: no auth, without choosing it.
  await expect(pane.getByLabel('Kind', { exact: true })).toHaveValue('none');
  await pane.getByLabel('Headers', { exact: true }).fill(`x-kik-user: ${KIK_USER}`);
  await send(pane);
  await expect(status).toContainText(/^OK · HTTP 200 · /);
  await expect(status).toContainText(`${httpUrl}/twirp/mobile.video.v1.KikVideo/JoinConvoConference`);
  // Result OK is proto3's default (not written): the OK answer carries the state and connection info.
  await expect(json).not.toContainText(/"result":/);
  await expect(json).toContainText(KIK_GROUP);
  await expect(json).toContainText(new RegExp(`"localPart":\\s*"${KIK_USER}"[\\s\\S]*"state":\\s*"CONNECTING"`));
  await expect(json).toContainText(/"conferenceId":\s*"kik\.[^".]{16}\.[^".]{4}"/);

  // The notification shows in the pane's events.
  await openSection(pane, /^Events \(\d+\)$/);
  const events = pane.getByTestId('replay-events');
  await expect(events).toContainText(new RegExp(`MobileVideo\\.OnConvoVideoStateChanged ${KIK_GROUP}: .*${KIK_USER} CONNECTING → `), {
    timeout: 15_000,
  });
  // It goes to every member of the group.
  await expect(events.locator('summary').filter({ hasText: 'OnConvoVideoStateChanged' }).first()).toHaveText(
    new RegExp(`→ ${KIK_MEMBERS.join(', ')}$`),
  );

  // Stop the mock.
  await openSection(pane, /^Mock server$/);
  await pane.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(pane.getByRole('button', { name: 'Start mock' })).toBeVisible();
  await expect(pane.getByTestId('replay-mock-urls')).toHaveCount(0);
  await expect(pane.getByLabel('Preset', { exact: true }).locator('option', { hasText: 'Mock:' })).toHaveCount(0);
});

test('replay: TLS files are typed in the browser, chosen with Choose… in Electron', async ({ app }) => {
  const { page } = app;
  await dropFiles(page, [CREATE_ROOM]);
  const pane = await openReplay(page);
  await pane.getByLabel('URL', { exact: true }).fill('http://127.0.0.1:1');
  const caField = pane.getByLabel('CA file (PEM)', { exact: true });
  const status = pane.getByTestId('replay-status');

  if (!app.electron) {
    // No native dialogs: no Choose… buttons; a typed path is what the host reads.
    await expect(pane.getByRole('button', { name: /^Choose / })).toHaveCount(0);
    await caField.fill('/nonexistent/protodesk-e2e/ca.pem');
    await send(pane);
    // A send that fails before any answer has the shape gRPC gives it (unknown, code 2), on every transport.
    await expect(status).toContainText("unknown: ENOENT: no such file or directory, open '/nonexistent/protodesk-e2e/ca.pem'");
    return;
  }

  // Electron reads only files the user chose: the native dialog (answered here) fills the field.
  const caPath = join(mkdtempSync(join(tmpdir(), 'protodesk-e2e-tls-')), 'ca.pem');
  writeFileSync(caPath, '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n');
  await app.electron.evaluate(({ dialog }, p) => {
    dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [p] })) as typeof dialog.showOpenDialog;
  }, caPath);
  await expect(pane.getByRole('button', { name: /^Choose / })).toHaveCount(3);
  await pane.getByRole('button', { name: 'Choose CA file (PEM)' }).click();
  await expect(caField).toHaveValue(caPath);
  // The chosen file passes main's check (a refused path shows no response): the request goes out, nothing listens on port 1.
  await send(pane);
  await expect(status).toContainText(/ECONNREFUSED/);
});
