/**
 * The replay pane's state, kept outside React: the pane is remounted whenever the active tab
 * changes (each tab has its own DocumentView), and a remounted pane must come back as the user
 * left it (target, method, headers, auth, the last response, history, mock status, events).
 * A tiny external store, read with useSyncExternalStore.
 */
import { useCallback, useSyncExternalStore } from 'react';
import type { DocumentSummary } from '../../core/api/contract';
import type {
  ReplayAuth,
  ReplayEvent,
  ReplayHistoryEntry,
  ReplayMethodInfo,
  ReplayMockStatus,
  ReplayPreset,
  ReplaySendResult,
  ReplayStreamResult,
  ReplayTransport,
} from '../../core/api/replay-contract';

/** The mock fixture the pane proposes. */
export const SAMPLE_FIXTURE = JSON.stringify(
  {
    livekit: {
      rooms: [
        { name: 'demo-room', participants: [{ identity: 'alice', tracks: [{ sid: 'TR_alicemic', type: 'AUDIO' }] }, { identity: 'bob' }] },
      ],
    },
    kik: { maxParticipants: 6, groups: { '1234567890123_g': ['alice', 'bob', 'carol'] } },
    answers: {},
  },
  null,
  2,
);

/** Everything the pane shows or edits. */
export interface ReplayPaneState {
  methods: ReplayMethodInfo[];
  presets: ReplayPreset[];
  docs: DocumentSummary[];
  url: string;
  transport: ReplayTransport;
  method: string;
  methodFilter: string;
  headerText: string;
  timeoutMs: number;
  verify: boolean;
  /** TLS files, as paths on the host's disk (typed, or filled by a native dialog). */
  caFile: string;
  certFile: string;
  keyFile: string;
  authKind: ReplayAuth['kind'];
  /** The user chose the auth kind themselves: method changes keep it (a preset makes it automatic again). */
  authExplicit: boolean;
  /** The LiveKit auth kind to use when a LiveKit method is chosen and auth is automatic. */
  livekitAuthKind: 'livekit-key' | 'livekit-token';
  apiKey: string;
  secretName: string;
  inlineSecret: string;
  newSecret: { name: string; value: string };
  secretNames: string[];
  token: string;
  claims: string;
  /** "json" or a docId: what Send sends. */
  source: string;
  /** The source follows the active tab (set when the user has not pinned another document or the JSON box). */
  sourceFollows: boolean;
  /** Documents the pane opened (responses): the source never follows the active tab onto them by itself. */
  openedResponses: string[];
  jsonText: string;
  result: ReplaySendResult | null;
  stream: ReplayStreamResult | null;
  history: ReplayHistoryEntry[];
  mock: ReplayMockStatus;
  mockPort: number;
  fixture: string;
  answerTarget: string;
  answerKind: 'empty' | 'echo' | 'message' | 'error';
  answerJson: string;
  events: ReplayEvent[];
  /** The last event seq seen (the poll resumes from here after a remount). */
  eventsSince: number;
  busy: boolean;
  notice: string | null;
  /** Sections the user opened or closed (by id). */
  sections: Record<string, boolean>;
  /** The host shows native file dialogs (Electron): the path fields get a Choose… button. */
  nativeDialogs: boolean;
}

/** The state of a pane never opened. */
export function initialReplayState(): ReplayPaneState {
  return {
    methods: [],
    presets: [],
    docs: [],
    url: 'http://localhost:7880',
    transport: 'twirp',
    method: 'livekit.RoomService/ListRooms',
    methodFilter: '',
    headerText: '',
    timeoutMs: 10000,
    verify: true,
    caFile: '',
    certFile: '',
    keyFile: '',
    authKind: 'livekit-key',
    authExplicit: false,
    livekitAuthKind: 'livekit-key',
    apiKey: 'devkey',
    secretName: '',
    inlineSecret: 'secret',
    newSecret: { name: '', value: '' },
    secretNames: [],
    token: '',
    claims: '',
    source: 'json',
    sourceFollows: true,
    openedResponses: [],
    jsonText: '{}',
    result: null,
    stream: null,
    history: [],
    mock: { running: false, services: [] },
    mockPort: 0,
    fixture: SAMPLE_FIXTURE,
    answerTarget: '',
    answerKind: 'empty',
    answerJson: '{}',
    events: [],
    eventsSince: 0,
    busy: false,
    notice: null,
    sections: {},
    nativeDialogs: false,
  };
}

type Patch = Partial<ReplayPaneState> | ((s: ReplayPaneState) => Partial<ReplayPaneState>);

/** A small external store. */
export interface Store<T> {
  get(): T;
  set(patch: Partial<T> | ((s: T) => Partial<T>)): void;
  subscribe(fn: () => void): () => void;
  /** Back to `initial` (tests). */
  reset(): void;
}

/** Creates a store of an object; `set` merges a patch and notifies when something changed. */
export function createStore<T extends object>(initial: () => T): Store<T> {
  let state = initial();
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const l of [...listeners]) l();
  };
  return {
    get: () => state,
    set(patch) {
      const p = typeof patch === 'function' ? patch(state) : patch;
      const keys = Object.keys(p) as (keyof T)[];
      if (!keys.some((k) => !Object.is(state[k], p[k]))) return;
      state = { ...state, ...p };
      notify();
    },
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    reset() {
      state = initial();
      notify();
    },
  };
}

/** The one replay pane state of the window. */
export const replayStore: Store<ReplayPaneState> = createStore(initialReplayState);

/** Updates the pane state. */
export function setReplay(patch: Patch): void {
  replayStore.set(patch);
}

/** One field of the pane state and its setter (a value or an updater, as useState's). */
export function useReplayField<K extends keyof ReplayPaneState>(
  key: K,
): [ReplayPaneState[K], (v: ReplayPaneState[K] | ((prev: ReplayPaneState[K]) => ReplayPaneState[K])) => void] {
  const value = useSyncExternalStore(
    replayStore.subscribe,
    () => replayStore.get()[key],
    () => replayStore.get()[key],
  );
  const set = useCallback(
    (v: ReplayPaneState[K] | ((prev: ReplayPaneState[K]) => ReplayPaneState[K])) => {
      replayStore.set(
        (s) =>
          ({
            [key]: typeof v === 'function' ? (v as (prev: ReplayPaneState[K]) => ReplayPaneState[K])(s[key]) : v,
          }) as Partial<ReplayPaneState>,
      );
    },
    [key],
  );
  return [value, set];
}
