/**
 * A HAR that Chromium itself wrote: the test starts the mock services, records a HAR with
 * Playwright's recordHar while a page calls them over Twirp, Connect and gRPC-Web, and imports
 * it: every protobuf body decodes as the method's type, in the engine and in the capture view,
 * except a request body Chromium could only keep as lossy text, which is said to be lost.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { nodeDecompress } from '../core-node/capture/decompress';
import { mintLiveKitToken } from '../core-node/livekit/access-token';
import { startMockServer } from '../core-node/mock/mock-server';
import { loadSchemas } from '../core-node/schema/load-schemas';
import { openEntry } from '../core/capture/open-entry';
import { readCapture } from '../core/capture/read-capture';
import { test, expect, dropFiles, row } from './app-fixture';

/** One call the recorded page makes. */
interface Call {
  path: string;
  contentType: string;
  body: number[];
}

/** A gRPC-Web data frame around a message. */
function grpcWebFrame(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + message.length);
  new DataView(out.buffer).setUint32(1, message.length);
  out.set(message, 5);
  return out;
}

/** Makes the calls from the page (same origin as the mock), answering each status. */
async function callAll(page: Page, token: string, calls: Call[]): Promise<number[]> {
  return page.evaluate(
    async ({ token, calls }) => {
      const statuses: number[] = [];
      for (const c of calls) {
        const r = await fetch(c.path, {
          method: 'POST',
          headers: { 'content-type': c.contentType, authorization: `Bearer ${token}` },
          body: new Uint8Array(c.body),
        });
        await r.arrayBuffer();
        statuses.push(r.status);
      }
      return statuses;
    },
    { token, calls },
  );
}

test('a HAR recorded by Chromium imports with every protobuf body decoded', async ({ app, chromiumForApp }) => {
  test.skip(app.mode !== 'browser', 'the recording browser is the browser project one');
  const registry = await loadSchemas({ bundled: true });
  const mock = await startMockServer({ root: registry.root, port: 0 });
  try {
    const enc = (type: string, value: Record<string, unknown>) => {
      const t = registry.root.lookupType(type);
      return t.encode(t.fromObject(value)).finish();
    };
    const calls: Call[] = [
      {
        path: '/twirp/livekit.RoomService/CreateRoom',
        contentType: 'application/protobuf',
        body: [...enc('livekit.CreateRoomRequest', { name: 'standup', empty_timeout: 60, max_participants: 50 })],
      },
      {
        path: '/livekit.RoomService/ListRooms',
        contentType: 'application/proto',
        body: [...enc('livekit.ListRoomsRequest', { names: ['standup'] })],
      },
      {
        path: '/livekit.RoomService/ListParticipants',
        contentType: 'application/grpc-web+proto',
        body: [...grpcWebFrame(enc('livekit.ListParticipantsRequest', { room: 'standup' }))],
      },
      // 300 is the varint ac 02: not UTF-8, and Chromium keeps request bodies as text.
      {
        path: '/twirp/livekit.RoomService/CreateRoom',
        contentType: 'application/protobuf',
        body: [...enc('livekit.CreateRoomRequest', { name: 'later', empty_timeout: 300 })],
      },
    ];
    const token = await mintLiveKitToken({
      apiKey: 'devkey',
      apiSecret: 'secret',
      grant: { roomCreate: true, roomList: true, roomAdmin: true, room: 'standup' },
    });
    const harPath = test.info().outputPath('chromium.har');
    const context = await chromiumForApp!.newContext({ recordHar: { path: harPath, content: 'embed' } });
    const recorder = await context.newPage();
    await recorder.goto(`${mock.httpUrl}/_mock/status`).catch(() => undefined);
    expect(await callAll(recorder, token, calls)).toEqual([200, 200, 200, 200]);
    await context.close();

    // The engine: every exchange listed, typed by method, and decoded; the one request body
    // Chromium stored lossily is said to be lost, never decoded into something else.
    const har = new Uint8Array(readFileSync(harPath));
    const capture = readCapture(har, { schemas: registry });
    expect(capture.entries.map((e) => [e.protocol, e.direction, e.type])).toEqual([
      ['twirp', 'request', 'livekit.CreateRoomRequest'],
      ['twirp', 'response', 'livekit.Room'],
      ['connect', 'request', 'livekit.ListRoomsRequest'],
      ['connect', 'response', 'livekit.ListRoomsResponse'],
      ['grpc-web', 'request', 'livekit.ListParticipantsRequest'],
      ['grpc-web', 'response', 'livekit.ListParticipantsResponse'],
      ['twirp', 'request', 'livekit.CreateRoomRequest'],
      ['twirp', 'response', 'livekit.Room'],
    ]);
    expect(capture.entries[6].body.kind).toBe('unavailable');
    expect(openEntry(capture, capture.entries[6]).problem).toMatch(/^lossy body/);
    for (const e of capture.entries.filter((x) => x.index !== 6)) {
      const opened = openEntry(capture, e, { schemas: registry, decompress: nodeDecompress });
      expect(opened.problem, `entry ${e.index}`).toBeUndefined();
      expect(opened.messages.length, `entry ${e.index}`).toBe(1);
    }

    // The app: the capture view lists them typed, and the gRPC-Web answer opens as its type.
    const { page } = app;
    await dropFiles(page, [{ name: 'chromium.har', bytes: har }]);
    await expect(page.getByTestId('capture-count')).toHaveText('8 exchanges');
    await expect(page.getByTestId('capture-type')).toHaveText([
      'livekit.CreateRoomRequest',
      'livekit.Room',
      'livekit.ListRoomsRequest',
      'livekit.ListRoomsResponse',
      'livekit.ListParticipantsRequest',
      'livekit.ListParticipantsResponse',
      'livekit.CreateRoomRequest',
      'livekit.Room',
    ]);
    await page.locator('[data-testid="capture-row"][data-index="1"]').dblclick();
    await expect(page.getByTestId('current-type')).toHaveText('livekit.Room');
    await expect(row(page, 'name')).toContainText('"standup"');
    await expect(row(page, 'empty_timeout')).toContainText('60');
  } finally {
    await mock.close();
  }
});
