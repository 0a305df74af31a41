import { beforeEach, describe, expect, it } from 'vitest';
import type { ReplaySendResult } from '../../core/api/replay-contract';
import { mint, replayStream, resend, send, type ReplayPaneApi } from './replay-actions';
import { applyReplayPatch, initialReplayState, type ReplayPatch, type ReplayStateAccess } from './replay-state';

const RESULT: ReplaySendResult = {
  id: 'h1',
  ok: true,
  transport: 'twirp',
  target: 'http://127.0.0.1:5000/twirp/livekit.RoomService/ListParticipants',
  headers: [],
  trailers: [],
  timeMs: 1,
  responseType: 'livekit.ListParticipantsResponse',
  requestHeaders: [],
};

/** A host API that records each call (method and request) and answers what the pane needs. */
function recordingApi(answers: Record<string, unknown> = {}): { api: ReplayPaneApi; calls: [string, unknown][] } {
  const calls: [string, unknown][] = [];
  const api = new Proxy({} as ReplayPaneApi, {
    get: (_t, name: string) => async (request: unknown) => {
      calls.push([name, request]);
      if (name in answers) return answers[name];
      throw new Error(`${name} is not expected here`);
    },
  });
  return { api, calls };
}

/** The pane state the actions read and change, as the shell's replay slot would hold it. */
let state = initialReplayState();
const pane: ReplayStateAccess = { get: () => state, set: (patch) => void (state = applyReplayPatch(state, patch)) };
const setReplay = (patch: ReplayPatch) => pane.set(patch);

describe('the replay pane actions', () => {
  beforeEach(() => {
    state = initialReplayState();
  });

  it('Send is two calls: the request by reference to the source document, then the history', async () => {
    setReplay({ source: 'd7', url: 'http://127.0.0.1:5000', method: 'livekit.RoomService/ListParticipants', headerText: 'x-a: 1' });
    const converted = { fromType: 'livekit.DeleteRoomRequest', toType: 'livekit.ListParticipantsRequest', dropped: ['extra'] };
    const { api, calls } = recordingApi({ replaySend: { ...RESULT, converted }, replayHistoryList: [] });
    await send(pane, api);
    expect(calls.map(([m]) => m)).toEqual(['replaySend', 'replayHistoryList']);
    expect(calls[0][1]).toMatchObject({
      url: 'http://127.0.0.1:5000',
      transport: 'twirp',
      method: 'livekit.RoomService/ListParticipants',
      headers: [['x-a', '1']],
      docId: 'd7',
      message: 0,
    });
    expect(calls[0][1]).not.toHaveProperty('body');
    const state = pane.get();
    expect(state.result).toMatchObject({ id: 'h1', ok: true });
    expect(state.notice).toBe('converted livekit.DeleteRoomRequest → livekit.ListParticipantsRequest; dropped: extra');
    expect(state.busy).toBe(false);
  });

  it('sends the JSON box as text, and says what went wrong when the host refuses', async () => {
    setReplay({ source: 'json', jsonText: '{"room":"r"}' });
    const { api, calls } = recordingApi();
    await send(pane, api);
    expect(calls[0][1]).toMatchObject({ json: '{"room":"r"}' });
    expect(pane.get().notice).toBe('replaySend is not expected here');
  });

  it('replays a stream document by reference: one call, no bytes through the page', async () => {
    setReplay({ source: 'd3' });
    const stream = { framing: 'delimited' as const, items: [], okCount: 0, errorCount: 0 };
    const { api, calls } = recordingApi({ replayStream: stream });
    await replayStream(pane, api);
    expect(calls.map(([m, r]) => [m, (r as { docId?: string }).docId])).toEqual([['replayStream', 'd3']]);
    expect(pane.get().stream).toEqual(stream);
  });

  it('mints from the same source Send uses: one call', async () => {
    setReplay({ source: 'd2', method: 'livekit.RoomService/ListParticipants', apiKey: 'devkey', inlineSecret: 'secret' });
    const { api, calls } = recordingApi({ replayMintLiveKitToken: { token: 't', claims: '{}' } });
    await mint(pane, api);
    expect(calls).toEqual([
      [
        'replayMintLiveKitToken',
        { apiKey: 'devkey', apiSecret: 'secret', method: 'livekit.RoomService/ListParticipants', docId: 'd2', message: 0 },
      ],
    ]);
    expect(pane.get()).toMatchObject({ token: 't', claims: '{}' });
  });

  it('sends a history entry again with its own headers, not those the send sets itself', async () => {
    const { api, calls } = recordingApi({ replaySend: RESULT, replayHistoryList: [] });
    await resend(pane, api, {
      id: 'h0',
      time: '2024-01-01T00:00:00Z',
      url: 'http://127.0.0.1:5000',
      transport: 'connect',
      method: 'a.B/C',
      ok: true,
      timeMs: 1,
      requestBytes: new Uint8Array([8, 1]),
      headers: [
        ['x-kik-user', 'alice'],
        ['Authorization', 'Bearer <redacted>'],
        ['content-type', 'application/proto'],
      ],
    });
    expect(calls[0][1]).toMatchObject({ headers: [['x-kik-user', 'alice']], body: new Uint8Array([8, 1]) });
  });
});
