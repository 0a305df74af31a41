import { describe, expect, it } from 'vitest';
import type { ReplayEvent, ReplayMethodInfo, ReplayPreset } from '../../core/api/replay-contract';
import {
  applyPreset,
  autoAuthKind,
  firstMatch,
  followSource,
  isLiveKitMethod,
  mergeEvents,
  methodOptions,
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
  m('mobile.video.v1.KikVideo/Watch', { streaming: true }),
];

describe('methodOptions', () => {
  it('lists every method without a filter, the selected one in its place', () => {
    const { options, matchCount } = methodOptions(METHODS, '', 'livekit.RoomService/CreateRoom');
    expect(matchCount).toBe(METHODS.length);
    expect(options.map((o) => o.value)).toEqual(METHODS.map((x) => x.id));
    expect(options.some((o) => o.kept)).toBe(false);
    expect(options.find((o) => o.value.endsWith('/Watch'))).toMatchObject({
      disabled: true,
      label: 'mobile.video.v1.KikVideo/Watch (streaming)',
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

  it('Enter picks the first sendable match', () => {
    expect(firstMatch(METHODS, ' kikvideo ')).toBe('mobile.video.v1.KikVideo/BatchedGetConvoState');
    expect(firstMatch(METHODS, 'Watch')).toBeUndefined();
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
