/** The websocket transport through the replay service, as the pane uses it: methods, presets, sends by reference, history. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Root } from 'protobufjs';
import { Ping, SignalRequest } from '@livekit/protocol';
import { createReplayService, type ReplayService } from './replay-service';
import { testRoot } from '../../testing/mock-schemas';
import { createNodeWorkbench, type NodeWorkbench } from '../workbench/node-hosts';

let root: Root;
let dir: string;
let svc: ReplayService;
let wb: NodeWorkbench;

beforeAll(async () => {
  root = await testRoot();
  dir = mkdtempSync(join(tmpdir(), 'protodesk-replay-ws-'));
  wb = await createNodeWorkbench({ cwd: dir, stateFile: null });
  svc = createReplayService({ getRoot: () => root, historyDir: dir, documents: wb.api });
  await svc.replayMockStart({});
});
afterAll(async () => {
  await svc.close();
  wb.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('replay service: websocket', () => {
  it('lists the signal connection as a method and the mock /rtc as a preset', async () => {
    const m = (await svc.replayListMethods({})).find((x) => x.id === 'livekit/rtc');
    expect(m).toMatchObject({ requestType: 'livekit.SignalRequest', responseType: 'livekit.SignalResponse', kind: 'bidi', livekit: true });
    const preset = (await svc.replayPresets({})).find((p) => p.transport === 'websocket');
    expect(preset?.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
  });

  it('sends a document of SignalRequests by reference and answers every SignalResponse with its time, kept in history', async () => {
    const preset = (await svc.replayPresets({})).find((p) => p.transport === 'websocket')!;
    const bytes = new SignalRequest({ message: { case: 'pingReq', value: new Ping({ timestamp: 4242n }) } }).toBinary();
    const { docId } = await wb.api.openBytes({ name: 'ping.bin', bytes });
    await wb.api.setType({ docId, typeName: 'livekit.SignalRequest' });
    const r = await svc.replaySend({
      url: preset.url,
      transport: 'websocket',
      method: 'livekit/rtc',
      auth: { kind: 'livekit-key', apiKey: 'devkey', apiSecret: 'secret', identity: 'pane-user', room: 'demo-room' },
      docId,
      message: 0,
    });
    expect(r.ok).toBe(true);
    expect(r.target).not.toMatch(/access_token=ey/);
    const kinds = r.responses!.map((m) => Object.keys(JSON.parse(m.json) as object)[0]);
    expect(kinds[0]).toBe('join');
    const pong = r.responses!.find((m) => m.json.includes('pongResp'))!;
    expect(JSON.parse(pong.json)).toMatchObject({ pongResp: { lastPingTimestamp: '4242' } });
    expect(r.responses!.every((m) => typeof m.timeMs === 'number')).toBe(true);
    // Each frame was an event as it arrived.
    const received = (await svc.replayEvents({ since: 0 })).events.filter((e) => e.kind === 'received');
    expect(received.map((e) => e.summary)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^websocket ← join \(message 0, \d+ bytes, \+\d+\.\d ms\)$/),
        expect.stringMatching(/^websocket ← pongResp/),
      ]),
    );
    expect(JSON.parse(received.find((e) => e.summary.includes('pongResp'))!.json!)).toMatchObject({
      pongResp: { lastPingTimestamp: '4242' },
    });
    const [entry] = await svc.replayHistoryList({ limit: 1 });
    expect(entry).toMatchObject({ transport: 'websocket', method: 'livekit/rtc', ok: true, requestType: 'livekit.SignalRequest' });
    const detail = await svc.replayHistoryGet({ id: entry.id });
    expect(JSON.parse(detail.requestJson!)).toEqual({ pingReq: { timestamp: '4242' } });
  });

  it('sends a JSON array as a stream, mints a join token for the pane, and refuses to copy it as curl', async () => {
    const preset = (await svc.replayPresets({})).find((p) => p.transport === 'websocket')!;
    const r = await svc.replaySend({
      url: preset.url,
      transport: 'websocket',
      method: 'livekit/rtc',
      auth: { kind: 'livekit-key', apiKey: 'devkey', apiSecret: 'secret' },
      json: '[{"pingReq":{"timestamp":"1"}},{"pingReq":{"timestamp":"2"}},{"leave":{}}]',
    });
    expect(r.responses!.filter((m) => m.json.includes('pongResp')).length).toBe(2);
    const minted = await svc.replayMintLiveKitToken({
      apiKey: 'devkey',
      apiSecret: 'secret',
      method: 'livekit/rtc',
      room: 'r9',
      identity: 'me',
    });
    expect(JSON.parse(minted.claims)).toMatchObject({ sub: 'me', video: { roomJoin: true, room: 'r9' } });
    await expect(
      svc.replayCommand({ url: preset.url, transport: 'websocket', method: 'livekit/rtc', tool: 'curl', json: '{}' }),
    ).rejects.toMatchObject({ code: 'unsupported' });
  });
});
