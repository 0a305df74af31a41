/**
 * Captures end to end: a HAR file dropped on the window lists its protobuf exchanges typed
 * (LiveKit /rtc frames as SignalRequest / SignalResponse by direction, Twirp and gRPC-Web calls
 * by method), an entry opens as a document of its type, the user overrides an entry's type, and
 * the capture exports as one delimited stream per direction.
 */
import type { Page } from '@playwright/test';
import { test, expect, dropFiles, row, sample } from './app-fixture';

const HAR = { name: 'livekit-session.har', bytes: sample('captures/livekit-session.har') };

/** The capture list's row of an entry. */
function entry(page: Page, index: number) {
  return page.locator(`[data-testid="capture-row"][data-index="${index}"]`);
}

test('a dropped HAR lists every protobuf exchange typed, in time order', async ({ app }) => {
  const { page } = app;
  await dropFiles(page, [HAR]);
  const panel = page.getByTestId('capture-panel');
  await expect(panel).toContainText('livekit-session.har');
  await expect(page.getByTestId('capture-count')).toHaveText('21 exchanges');
  await expect(panel).toContainText('Not listed: 1 HAR entry without protobuf');
  await expect(page.getByTestId('capture-row')).toHaveCount(21);
  // Twirp and gRPC-Web calls typed by method: the input type for requests, the output type for responses.
  await expect(entry(page, 0)).toContainText('RoomService/CreateRoom');
  await expect(entry(page, 0).getByTestId('capture-type')).toHaveText('livekit.CreateRoomRequest');
  await expect(entry(page, 1).getByTestId('capture-type')).toHaveText('livekit.Room');
  await expect(entry(page, 5).getByTestId('capture-type')).toHaveText('livekit.ListRoomsResponse');
  await expect(entry(page, 17).getByTestId('capture-type')).toHaveText('livekit.ListParticipantsRequest');
  // The LiveKit signal channel's frames typed by direction.
  for (const i of [7, 9, 11, 12, 16, 20]) {
    await expect(entry(page, i)).toContainText('lk.example.com/rtc');
    await expect(entry(page, i).getByTestId('capture-type')).toHaveText('livekit.SignalResponse');
    await expect(entry(page, i)).toContainText('←');
  }
  for (const i of [8, 10, 13, 14, 15, 19]) {
    await expect(entry(page, i).getByTestId('capture-type')).toHaveText('livekit.SignalRequest');
    await expect(entry(page, i)).toContainText('→');
  }
  const times = await page.locator('[data-testid="capture-row"] .num:first-of-type').allInnerTexts();
  expect(times.map(Number)).toEqual([...times.map(Number)].sort((a, b) => a - b));
  // A lossy body is said so, and cannot be opened.
  await entry(page, 2).click();
  await expect(page.getByTestId('capture-detail')).toContainText('lossy body');
  await expect(page.getByTestId('capture-detail').getByRole('button', { name: 'Open' })).toBeDisabled();
});

test('an entry opens as a document of its type, and the capture view can be looked at', async ({ app }) => {
  const { page } = app;
  await dropFiles(page, [HAR]);
  await entry(page, 7).dblclick();
  await expect(page.getByTestId('tab')).toHaveText(/livekit-session #7 response SignalResponse\.bin/);
  await expect(page.getByTestId('current-type')).toHaveText('livekit.SignalResponse');
  await expect(row(page, 'join')).toBeVisible();
  await entry(page, 0).click();
  await page.getByTestId('capture-detail').getByRole('button', { name: 'Open' }).click();
  await expect(page.getByTestId('tab')).toHaveCount(2);
  await expect(page.getByTestId('current-type')).toHaveText('livekit.CreateRoomRequest');
  await expect(row(page, 'name')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('capture-view.png') });
});

test('the user overrides an entry type and goes back to the automatic one', async ({ app }) => {
  const { page } = app;
  await dropFiles(page, [HAR]);
  await entry(page, 16).click();
  const input = page.getByTestId('capture-type-input');
  await input.fill('livekit.Room');
  await input.press('Enter');
  await expect(entry(page, 16).getByTestId('capture-type')).toHaveText('livekit.Room');
  await expect(entry(page, 16).getByTestId('capture-type')).toHaveAttribute('title', 'chosen by you');
  await input.fill('livekit.NoSuchType');
  await input.press('Enter');
  await expect(page.locator('.notice')).toContainText('unknown message type: livekit.NoSuchType');
  await page.getByTestId('capture-detail').getByRole('button', { name: 'Automatic' }).click();
  await expect(entry(page, 16).getByTestId('capture-type')).toHaveText('livekit.SignalResponse');
});

test('a type for every entry matching a URL pattern, offered for the selected entry, and removed again', async ({ app }) => {
  const { page } = app;
  await dropFiles(page, [HAR]);
  await expect(page.getByTestId('capture-row')).toHaveCount(21);
  await entry(page, 0).click();
  // Offered from the entry: its RPC service with any method, its direction, its type.
  await expect(page.getByTestId('url-rule-pattern')).toHaveValue('/twirp/livekit.RoomService/*');
  await expect(page.getByRole('combobox', { name: 'Direction of the rule' })).toHaveValue('request');
  await page.getByTestId('url-rule-type').fill('livekit.Room');
  await page.getByRole('button', { name: 'Apply to matching' }).click();

  const rule = page.getByTestId('url-rule');
  await expect(rule).toHaveCount(1);
  await expect(rule).toContainText('/twirp/livekit.RoomService/*');
  // Every Twirp RoomService request (CreateRoom twice, ListRooms) is typed by the rule; responses keep
  // their method's type, and the gRPC-Web call (not under /twirp) its own.
  await expect(page.getByTestId('url-rule-matches')).toHaveText('3 entries');
  const byRule = page.locator('[data-testid="capture-type"][title="chosen by you for its URL"]');
  await expect(byRule).toHaveCount(3);
  await expect(byRule).toHaveText(['livekit.Room', 'livekit.Room', 'livekit.Room']);
  await expect(entry(page, 0).getByTestId('capture-type')).toHaveText('livekit.Room');
  await expect(entry(page, 5).getByTestId('capture-type')).toHaveText('livekit.ListRoomsResponse');
  await expect(entry(page, 17).getByTestId('capture-type')).toHaveText('livekit.ListParticipantsRequest');
  await entry(page, 0).dblclick();
  await expect(page.getByTestId('current-type')).toHaveText('livekit.Room');
  await page.screenshot({ path: test.info().outputPath('capture-url-rule.png') });

  await page.getByRole('button', { name: 'Remove the rule for /twirp/livekit.RoomService/*' }).click();
  await expect(rule).toHaveCount(0);
  await expect(entry(page, 0).getByTestId('capture-type')).toHaveText('livekit.CreateRoomRequest');
});

test('two entries compared from the capture view: the previous frame of the same channel offered, the diff shown', async ({ app }) => {
  const { page } = app;
  await dropFiles(page, [HAR]);
  await entry(page, 9).click();
  // Offered: the previous SignalResponse on /rtc.
  await expect(page.getByTestId('compare-entry-index')).toHaveValue('7');
  await page.getByTestId('capture-detail').getByRole('button', { name: 'Compare with' }).click();
  const view = page.getByTestId('diff-view');
  await expect(view).toBeVisible();
  await expect(view.locator('.diff-sides')).toContainText('livekit-session.har #7');
  await expect(view.locator('.diff-sides')).toContainText('livekit-session.har #9');
  await expect(view).toContainText('livekit.SignalResponse');
  const join = page.getByTestId('diff-row').filter({ has: page.locator('.diff-name .mono', { hasText: /^join$/ }) });
  await expect(join).toHaveAttribute('data-kind', 'removed');
  await page.screenshot({ path: test.info().outputPath('capture-compare.png') });
  await page.keyboard.press('Escape');
  await expect(view).toHaveCount(0);
  await expect(page.getByTestId('capture-panel')).toBeVisible();
});

test('the capture exports as one delimited stream per direction', async ({ app }) => {
  test.skip(app.mode !== 'browser', 'the files are downloads in the browser');
  const { page } = app;
  await dropFiles(page, [HAR]);
  await expect(page.getByTestId('capture-row')).toHaveCount(21);
  const downloads: string[] = [];
  page.on('download', (d) => downloads.push(d.suggestedFilename()));
  await page.getByRole('button', { name: 'Export streams' }).click();
  await expect(page.locator('.notice')).toContainText(
    'Exported 10 requests to livekit-session.requests.bin and 10 responses to livekit-session.responses.bin; 1 left out (#2: lossy body',
  );
  await expect.poll(() => downloads.sort()).toEqual(['livekit-session.requests.bin', 'livekit-session.responses.bin']);
});
