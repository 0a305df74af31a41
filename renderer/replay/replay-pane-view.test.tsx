import { beforeEach, describe, expect, it } from 'vitest';
// eslint-disable-next-line no-restricted-imports -- react-dom's string renderer, not the app's server/ layer
import { renderToString } from 'react-dom/server';
import type { ReplayMethodInfo } from '../../core/api/replay-contract';
import { ReplayPaneView } from './replay-pane-view';
import { choosePathInto, type ReplayPaneApi } from './replay-actions';
import { parseHeaderLines } from './replay-logic';
import { applyReplayPatch, initialReplayState, ReplayStateContext, type ReplayPatch, type ReplayStateAccess } from './replay-state';

function fakeApi(): ReplayPaneApi {
  const none = async () => {
    throw new Error('not in this test');
  };
  return new Proxy({} as ReplayPaneApi, { get: () => none });
}

const METHODS: ReplayMethodInfo[] = [
  {
    id: 'livekit.RoomService/CreateRoom',
    service: 'livekit.RoomService',
    method: 'CreateRoom',
    requestType: 'livekit.CreateRoomRequest',
    responseType: 'livekit.Room',
    streaming: false,
    livekit: true,
  },
  {
    id: 'mobile.video.v1.KikVideo/BatchedGetConvoState',
    service: 'mobile.video.v1.KikVideo',
    method: 'BatchedGetConvoState',
    requestType: 'mobile.video.v1.BatchedGetConvoStateRequest',
    responseType: 'mobile.video.v1.BatchedGetConvoStateResponse',
    streaming: false,
    livekit: false,
  },
];

/** The pane state of a test, as the shell's replay slot would hold it. */
let state = initialReplayState();
const pane: ReplayStateAccess = { get: () => state, set: (patch) => void (state = applyReplayPatch(state, patch)) };
const setReplay = (patch: ReplayPatch) => pane.set(patch);

/** The pane over the test's state, as HTML, without React's text separators. */
function render(api: ReplayPaneApi): string {
  return renderToString(
    <ReplayStateContext.Provider value={{ ...pane, state }}>
      <ReplayPaneView api={api} />
    </ReplayStateContext.Provider>,
  ).replace(/<!-- -->/g, '');
}

/** The options of a rendered select, as [value, label, selected]. */
function options(html: string, id: string): [string, string, boolean][] {
  const select = new RegExp(`<select[^>]*id="${id}"[^>]*>([\\s\\S]*?)</select>`).exec(html)?.[1] ?? '';
  return [...select.matchAll(/<option([^>]*)>([\s\S]*?)<\/option>/g)].map(([, attrs, label]) => [
    /value="([^"]*)"/.exec(attrs)?.[1] ?? label,
    label,
    /\bselected=""/.test(attrs),
  ]);
}

/** The labels of the rendered TLS path inputs. */
function pathFields(html: string): string[] {
  return [...html.matchAll(/<input[^>]*aria-label="([^"]*\(PEM\))"/g)].map((m) => m[1]);
}

/** The names of the rendered Choose… buttons. */
function chooseButtons(html: string): string[] {
  return [...html.matchAll(/<button[^>]*aria-label="([^"]*)"[^>]*>Choose…<\/button>/g)].map((m) => m[1]);
}

describe('ReplayPaneView', () => {
  beforeEach(() => {
    state = initialReplayState();
  });

  it('renders its sections without a host', () => {
    const html = render(fakeApi());
    for (const text of ['Target', 'Auth', 'Message', 'Mock server', 'Events', 'History', 'twirp-json', 'grpc-web', 'connect'])
      expect(html).toContain(text);
  });

  it('parses header lines', () => {
    expect(parseHeaderLines('x-kik-user: alice\n\n Authorization : Bearer a:b \nbare')).toEqual([
      ['x-kik-user', 'alice'],
      ['Authorization', 'Bearer a:b'],
      ['bare', ''],
    ]);
  });

  it('a filter that hides the selected method still shows it selected, and the Types line agrees', () => {
    setReplay({ methods: METHODS, method: 'livekit.RoomService/CreateRoom', methodFilter: 'KikVideo' });
    const html = render(fakeApi());
    const opts = options(html, 'rp-method');
    expect(opts[0]).toEqual(['livekit.RoomService/CreateRoom', 'livekit.RoomService/CreateRoom (selected, not matching the filter)', true]);
    expect(opts.slice(1).map(([v]) => v)).toEqual(['mobile.video.v1.KikVideo/BatchedGetConvoState']);
    expect(opts.filter(([, , sel]) => sel)).toHaveLength(1);
    expect(html).toContain('livekit.CreateRoomRequest → livekit.Room');
    expect(html).toContain('1 matching; the selected method is kept');
  });

  it('shows the state it is given (the slot keeps it while the pane is hidden): target, response, notice', () => {
    setReplay({
      methods: METHODS,
      method: 'livekit.RoomService/CreateRoom',
      url: 'http://127.0.0.1:4321',
      transport: 'connect',
      headerText: 'x-kik-user: alice',
      notice: 'opened the response as livekit.Room in a new tab; Send still sends req.bin',
      result: {
        id: '1',
        ok: true,
        transport: 'connect',
        target: 'http://127.0.0.1:4321/livekit.RoomService/CreateRoom',
        httpStatus: 200,
        headers: [],
        trailers: [],
        timeMs: 1.5,
        responseType: 'livekit.Room',
        responseJson: '{"name":"standup"}',
        requestHeaders: [],
      },
    });
    const html = render(fakeApi());
    expect(html).toContain('value="http://127.0.0.1:4321"');
    expect(options(html, 'rp-transport').find(([, , sel]) => sel)?.[0]).toBe('connect');
    expect(html).toContain('x-kik-user: alice');
    expect(html).toContain('opened the response as livekit.Room');
    expect(html).toContain('{&quot;name&quot;:&quot;standup&quot;}');
    expect(html).toContain('OK · HTTP 200');
  });

  it('the Preset list says custom once the address differs from the chosen preset', () => {
    const presets = [
      {
        name: 'Mock: Twirp',
        url: 'http://127.0.0.1:5000',
        transport: 'twirp' as const,
        auth: { kind: 'livekit-key' as const, apiKey: 'devkey', apiSecret: 'secret' },
      },
    ];
    setReplay({ methods: METHODS, method: 'livekit.RoomService/CreateRoom', presets, url: 'http://127.0.0.1:5000', transport: 'twirp' });
    expect(options(render(fakeApi()), 'rp-preset').find(([, , sel]) => sel)?.[0]).toBe('Mock: Twirp');
    setReplay({ url: 'http://127.0.0.1:5001' });
    expect(options(render(fakeApi()), 'rp-preset').find(([, , sel]) => sel)).toEqual(['', 'custom', true]);
    // A Kik method under the same preset: no auth is still the preset.
    setReplay({ url: 'http://127.0.0.1:5000', method: 'mobile.video.v1.KikVideo/BatchedGetConvoState', authKind: 'none' });
    expect(options(render(fakeApi()), 'rp-preset').find(([, , sel]) => sel)?.[0]).toBe('Mock: Twirp');
  });

  it('offers a Choose… button beside each TLS file only when the host has native dialogs', () => {
    // Browser-served: the paths are typed, no button.
    const browser = render(fakeApi());
    expect(pathFields(browser)).toEqual(['CA file (PEM)', 'client cert (PEM)', 'client key (PEM)']);
    expect(chooseButtons(browser)).toEqual([]);
    setReplay({ nativeDialogs: true });
    const electron = render(fakeApi());
    expect(pathFields(electron)).toEqual(['CA file (PEM)', 'client cert (PEM)', 'client key (PEM)']);
    expect(chooseButtons(electron)).toEqual(['Choose CA file (PEM)', 'Choose client cert (PEM)', 'Choose client key (PEM)']);
  });

  it('a file chosen in the dialog fills its field; a cancelled dialog leaves the field as it was', async () => {
    const asked: unknown[] = [];
    const picks: string[][] = [['/home/me/certs/ca.pem'], []];
    const api = { choosePaths: async (request: unknown) => (asked.push(request), picks.shift()!) };
    setReplay({ keyFile: '/typed/client.key' });
    await choosePathInto(pane, api, 'tls-ca', 'caFile');
    await choosePathInto(pane, api, 'tls-key', 'keyFile');
    expect(asked).toEqual([
      { purpose: 'tls-ca', kind: 'file' },
      { purpose: 'tls-key', kind: 'file' },
    ]);
    const page = render(fakeApi());
    expect(page).toMatch(/<input placeholder="CA file \(PEM\)" aria-label="CA file \(PEM\)"[^>]* value="\/home\/me\/certs\/ca.pem"/);
    expect(page).toMatch(/aria-label="client key \(PEM\)"[^>]* value="\/typed\/client.key"/);
  });
});
