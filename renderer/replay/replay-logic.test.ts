import { describe, expect, it } from 'vitest';
import type { DocumentSummary } from '../../core/api/contract';
import type { ReplayEvent, ReplayMethodInfo, ReplayPreset } from '../../core/api/replay-contract';
import {
  applyPreset,
  pairMethodTransport,
  autoAuthKind,
  firstMatch,
  followKey,
  followMethod,
  followSource,
  isLiveKitMethod,
  mergeEvents,
  methodOptions,
  parseVariableLines,
  pickSource,
  presetMatches,
  shownPreset,
  type PresetForm,
} from './replay-logic';

function m(id: string, extra: Partial<ReplayMethodInfo> = {}): ReplayMethodInfo {
  const [service, method] = id.split('/');
  const pkg = service.slice(0, service.lastIndexOf('.'));
  return {
    id,
    service,
    method,
    requestType: `${pkg}.${method}Request`,
    responseType: `${pkg}.${method}Response`,
    streaming: false,
    livekit: id.startsWith('livekit.'),
    ...extra,
  };
}

const METHODS = [
  m('livekit.RoomService/CreateRoom', { responseType: 'livekit.Room' }),
  m('livekit.RoomService/DeleteRoom'),
  m('livekit.RoomService/ListRooms'),
  m('mobile.video.v1.KikVideo/BatchedGetConvoState'),
  m('mobile.video.v1.KikVideo/JoinConvoConference'),
  m('mobile.video.v1.KikVideo/Watch', { streaming: true, kind: 'server-stream' }),
];

describe('methodOptions', () => {
  it('lists every method without a filter, the selected one in its place', () => {
    const { options, matchCount } = methodOptions(METHODS, '', 'livekit.RoomService/CreateRoom');
    expect(matchCount).toBe(METHODS.length);
    expect(options.map((o) => o.value)).toEqual(METHODS.map((x) => x.id));
    expect(options.some((o) => o.kept)).toBe(false);
    // Streaming methods can be sent: they are listed with their kind.
    expect(options.find((o) => o.value.endsWith('/Watch'))).toMatchObject({
      disabled: false,
      label: 'mobile.video.v1.KikVideo/Watch (server-stream)',
    });
  });

  it('keeps the selected method first, marked, when the filter hides it (the list shows what Send uses)', () => {
    const { options, matchCount } = methodOptions(METHODS, 'KikVideo', 'livekit.RoomService/CreateRoom');
    expect(matchCount).toBe(3);
    expect(options[0]).toEqual({
      value: 'livekit.RoomService/CreateRoom',
      label: 'livekit.RoomService/CreateRoom (selected, not matching the filter)',
      disabled: false,
      kept: true,
    });
    expect(options.slice(1).map((o) => o.value)).toEqual([
      'mobile.video.v1.KikVideo/BatchedGetConvoState',
      'mobile.video.v1.KikVideo/JoinConvoConference',
      'mobile.video.v1.KikVideo/Watch',
    ]);
  });

  it('is case-insensitive and keeps a selected method the schemas do not have', () => {
    expect(methodOptions(METHODS, 'createroom', 'livekit.RoomService/CreateRoom').options.map((o) => o.value)).toEqual([
      'livekit.RoomService/CreateRoom',
    ]);
    expect(methodOptions(METHODS, '', 'x.Y/Z').options[0]).toMatchObject({
      value: 'x.Y/Z',
      label: 'x.Y/Z (selected, not in the loaded schemas)',
      kept: true,
    });
    expect(methodOptions([], '', 'x.Y/Z').options).toEqual([{ value: 'x.Y/Z', label: 'x.Y/Z', disabled: false, kept: true }]);
  });

  it('keeps a selected method cut by the limit', () => {
    const { options } = methodOptions(METHODS, '', 'mobile.video.v1.KikVideo/JoinConvoConference', 2);
    expect(options.map((o) => o.value)).toEqual([
      'mobile.video.v1.KikVideo/JoinConvoConference',
      'livekit.RoomService/CreateRoom',
      'livekit.RoomService/DeleteRoom',
    ]);
    expect(options[0].label).toBe('mobile.video.v1.KikVideo/JoinConvoConference');
  });

  it('Enter picks the first match, streaming methods included', () => {
    expect(firstMatch(METHODS, ' kikvideo ')).toBe('mobile.video.v1.KikVideo/BatchedGetConvoState');
    expect(firstMatch(METHODS, 'Watch')).toBe('mobile.video.v1.KikVideo/Watch');
    expect(firstMatch(METHODS, 'nothing')).toBeUndefined();
  });
});

describe('auth per service', () => {
  it('LiveKit methods get the LiveKit auth, others none', () => {
    expect(isLiveKitMethod('livekit.RoomService/DeleteRoom', METHODS)).toBe(true);
    expect(isLiveKitMethod('mobile.video.v1.KikVideo/JoinConvoConference', METHODS)).toBe(false);
    expect(isLiveKitMethod('livekit.Egress/StartRoomCompositeEgress', [])).toBe(true);
    expect(autoAuthKind(true, 'livekit-key')).toBe('livekit-key');
    expect(autoAuthKind(true, 'livekit-token')).toBe('livekit-token');
    expect(autoAuthKind(false, 'livekit-key')).toBe('none');
  });
});

describe('presets', () => {
  const auth = { kind: 'livekit-key' as const, apiKey: 'devkey', apiSecret: 'secret' };
  const PRESETS: ReplayPreset[] = [
    { name: 'LiveKit dev server', url: 'http://localhost:7880', transport: 'twirp', auth },
    { name: 'Mock: Twirp', url: 'http://127.0.0.1:5000', transport: 'twirp', auth },
    { name: 'Mock: Connect', url: 'http://127.0.0.1:5000', transport: 'connect', auth },
  ];
  const form: PresetForm = { url: 'http://x', transport: 'grpc', authKind: 'none', apiKey: 'k', secretName: 'stored', inlineSecret: '' };

  it('applies the LiveKit key auth for LiveKit methods and none for the others, keeping the key for later', () => {
    expect(applyPreset(form, PRESETS[1], true)).toEqual({
      url: 'http://127.0.0.1:5000',
      transport: 'twirp',
      authKind: 'livekit-key',
      apiKey: 'devkey',
      secretName: '',
      inlineSecret: 'secret',
    });
    expect(applyPreset(form, PRESETS[1], false)).toEqual({
      url: 'http://127.0.0.1:5000',
      transport: 'twirp',
      authKind: 'none',
      apiKey: 'devkey',
      secretName: '',
      inlineSecret: 'secret',
    });
    expect(applyPreset(form, { name: 'bare', url: 'http://b', transport: 'connect' }, true)).toEqual({
      ...form,
      url: 'http://b',
      transport: 'connect',
    });
  });

  it('shows the preset while the form is what it set, "custom" after an edit of the address, transport or auth', () => {
    const applied = applyPreset(form, PRESETS[1], true);
    expect(shownPreset(PRESETS, applied, true)).toBe('Mock: Twirp');
    expect(shownPreset(PRESETS, { ...applied, url: 'http://127.0.0.1:5001' }, true)).toBe('');
    expect(shownPreset(PRESETS, { ...applied, transport: 'connect' }, true)).toBe('Mock: Connect');
    expect(shownPreset(PRESETS, { ...applied, transport: 'grpc' }, true)).toBe('');
    expect(shownPreset(PRESETS, { ...applied, authKind: 'none' }, true)).toBe('');
    expect(shownPreset(PRESETS, { ...applied, inlineSecret: 'other' }, true)).toBe('');
    // For a Kik method the preset means no auth.
    expect(shownPreset(PRESETS, applyPreset(form, PRESETS[1], false), false)).toBe('Mock: Twirp');
    expect(presetMatches(applied, PRESETS[1], false)).toBe(false);
  });
});

describe('request source', () => {
  const base = { source: 'json', sourceFollows: true, openedResponses: [] as string[] };

  it('follows the active tab', () => {
    expect(followSource(base, 'd1', ['d1'])).toEqual({ ...base, source: 'd1' });
    expect(followSource({ ...base, source: 'd1' }, 'd2', ['d1'])).toEqual({ ...base, source: 'd2' });
    const same = { ...base, source: 'd1' };
    expect(followSource(same, 'd1', ['d1'])).toBe(same);
    expect(followSource(base, undefined, [])).toBe(base);
  });

  it('never follows onto a response the pane opened', () => {
    const s = { ...base, source: 'req', openedResponses: ['resp'] };
    expect(followSource(s, 'resp', ['req', 'resp'])).toBe(s);
  });

  it('keeps a pinned source, and leaves it once it is closed', () => {
    const pinned = { source: 'd1', sourceFollows: false, openedResponses: [] };
    expect(followSource(pinned, 'd2', ['d1', 'd2'])).toBe(pinned);
    expect(followSource(pinned, 'd2', ['d2'])).toEqual({ source: 'd2', sourceFollows: true, openedResponses: [] });
    expect(followSource({ ...pinned, openedResponses: ['d2'] }, 'd2', ['d2'])).toEqual({
      source: 'json',
      sourceFollows: true,
      openedResponses: ['d2'],
    });
    const json = { ...pinned, source: 'json' };
    expect(followSource(json, 'd2', ['d2'])).toBe(json);
  });

  it('the active document follows the tabs; another document or JSON is pinned; a picked response is sent', () => {
    expect(pickSource(base, 'd1', 'd1')).toEqual({ source: 'd1', sourceFollows: true, openedResponses: [] });
    expect(pickSource(base, 'd2', 'd1')).toEqual({ source: 'd2', sourceFollows: false, openedResponses: [] });
    expect(pickSource(base, 'json', 'd1')).toEqual({ source: 'json', sourceFollows: false, openedResponses: [] });
    const picked = pickSource({ ...base, source: 'req', openedResponses: ['resp'] }, 'resp', 'resp');
    expect(picked).toEqual({ source: 'resp', sourceFollows: true, openedResponses: [] });
    expect(followSource(picked, 'resp', ['req', 'resp'])).toBe(picked);
  });
});

describe('mergeEvents', () => {
  const ev = (seq: number): ReplayEvent => ({ seq, time: '2026-01-01T00:00:00.000Z', kind: 'sent', summary: `e${seq}` });
  it('puts new events first, newest first, and drops ones already listed (a pane shown again asks for events it may have)', () => {
    const prev = [ev(2), ev(1)];
    expect(mergeEvents(prev, [ev(2), ev(3), ev(4)]).map((e) => e.seq)).toEqual([4, 3, 2, 1]);
    expect(mergeEvents(prev, [ev(1)])).toBe(prev);
    expect(mergeEvents([], [ev(1), ev(2), ev(3)], 2).map((e) => e.seq)).toEqual([3, 2]);
  });
});

describe('the method follows the document', () => {
  const TWO = [...METHODS, m('other.Rooms/Make', { requestType: 'livekit.CreateRoomRequest' })];

  it("picks the one method that takes the document's type", () => {
    expect(followMethod(METHODS, 'livekit.RoomService/ListRooms', 'livekit.CreateRoomRequest')).toEqual({
      method: 'livekit.RoomService/CreateRoom',
      choices: [],
    });
  });

  it('asks when several take it and the method is none of them; keeps one that takes it', () => {
    expect(followMethod(TWO, 'livekit.RoomService/ListRooms', 'livekit.CreateRoomRequest')).toEqual({
      method: 'livekit.RoomService/ListRooms',
      choices: ['livekit.RoomService/CreateRoom', 'other.Rooms/Make'],
    });
    expect(followMethod(TWO, 'other.Rooms/Make', 'livekit.CreateRoomRequest')).toEqual({ method: 'other.Rooms/Make', choices: [] });
  });

  it('keeps the method for a type no method takes, a raw document and the JSON box', () => {
    for (const t of ['livekit.Room', null, undefined])
      expect(followMethod(METHODS, 'livekit.RoomService/ListRooms', t)).toEqual({ method: 'livekit.RoomService/ListRooms', choices: [] });
  });

  it('follows again when the source or its type changes', () => {
    const doc = { docId: 'd1', name: 'a.bin', typeName: 'livekit.CreateRoomRequest' } as DocumentSummary;
    expect(followKey('d1', [doc])).toBe('d1:livekit.CreateRoomRequest');
    expect(followKey('d1', [{ ...doc, typeName: 'livekit.Room' }])).toBe('d1:livekit.Room');
    expect(followKey('d1', [])).toBe('d1:');
    expect(followKey('json', [doc])).toBe('json');
  });
});

describe('environment variable lines', () => {
  it('reads name=value lines (the value may hold "="), skips blank ones, says which line is wrong', () => {
    expect(parseVariableLines('host=http://h:1/?a=b\n\n room = r1 \napiSecret=')).toEqual({
      host: 'http://h:1/?a=b',
      room: 'r1',
      apiSecret: '',
    });
    expect(() => parseVariableLines('a=1\nnonsense')).toThrow('line 2: "nonsense" is not name=value');
  });

  it('keeps "__proto__" a name, never the prototype', () => {
    const v = parseVariableLines('__proto__=x');
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.entries(v)).toEqual([['__proto__', 'x']]);
  });
});

describe('pairMethodTransport', () => {
  const methods = [
    { id: 'livekit.RoomService/ListRooms', requestType: 'livekit.ListRoomsRequest' },
    { id: 'livekit/rtc', requestType: 'livekit.SignalRequest' },
  ].map((m) => ({ ...m, service: '', method: '', responseType: '', streaming: false, livekit: true }));

  it('sends the signal connection over websocket, and an RPC method off it', () => {
    expect(pairMethodTransport('livekit/rtc', 'twirp', 'method', methods)).toEqual({ method: 'livekit/rtc', transport: 'websocket' });
    expect(pairMethodTransport('livekit.RoomService/ListRooms', 'websocket', 'method', methods)).toEqual({
      method: 'livekit.RoomService/ListRooms',
      transport: 'twirp',
    });
    expect(pairMethodTransport('livekit.RoomService/ListRooms', 'grpc', 'method', methods).transport).toBe('grpc');
  });

  it('picks the signal method for websocket, and the last RPC method when leaving it', () => {
    expect(pairMethodTransport('livekit.RoomService/ListRooms', 'websocket', 'transport', methods).method).toBe('livekit/rtc');
    expect(pairMethodTransport('livekit/rtc', 'connect', 'transport', methods, 'x.Y/Z').method).toBe('x.Y/Z');
    expect(pairMethodTransport('livekit/rtc', 'connect', 'transport', methods).method).toBe('livekit.RoomService/ListRooms');
    // Without the LiveKit schemas there is no signal method to pick: the method stays (Send then says why).
    expect(pairMethodTransport('a.B/C', 'websocket', 'transport', methods.slice(0, 1)).method).toBe('a.B/C');
  });
});
