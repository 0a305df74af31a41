/**
 * The replay pane's state: everything it shows or edits (target, method, headers, auth, the
 * last response, history, mock status, events). It is React state, owned by the shell's replay
 * slot (replay-slot.tsx), which stays mounted beside the document view, so switching tabs or
 * hiding the pane keeps it; the pane's sections read it through a context.
 */
import { createContext, useCallback, useContext, useMemo, useRef, useState } from 'react';
import type { DocumentSummary } from '../../core/api/contract';
import type {
  ReplayAuth,
  ReplayCommandTool,
  ReplayEnvironment,
  ReplayEvent,
  ReplayHistoryDetail,
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
  /** Methods that take the source document's type, when there are several and the method is none of them: the pane asks. */
  methodChoices: string[];
  /** The source (document and type) the method last followed: a new one chooses the method again. */
  methodFollows: string;
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
  /** The room and identity a minted token joins for the LiveKit signal connection (websocket; empty: the host's defaults). */
  room: string;
  identity: string;
  /** The last RPC method chosen (the websocket transport switches to the signal connection; leaving it comes back here). */
  rpcMethod: string;
  secretName: string;
  inlineSecret: string;
  newSecret: { name: string; value: string };
  secretNames: string[];
  token: string;
  claims: string;
  /** The saved environments, and the one sends use ("" for none). */
  environments: ReplayEnvironment[];
  environment: string;
  /** The environment form: its name, `name=value` lines, and secret lines (an empty value keeps the stored one). */
  envForm: { name: string; variables: string; secrets: string };
  /** "json" or a docId: what Send sends. */
  source: string;
  /** The source follows the active tab (set when the user has not pinned another document or the JSON box). */
  sourceFollows: boolean;
  /** Documents the pane opened (responses): the source never follows the active tab onto them by itself. */
  openedResponses: string[];
  jsonText: string;
  result: ReplaySendResult | null;
  /** The requestId of the send in flight (Cancel stops it). */
  inFlight: string | null;
  /** The last command copied (curl, grpcurl, buf curl) and what the user should know about it. */
  command: { tool: ReplayCommandTool; text: string; notes: string[] } | null;
  /** A history entry shown with its request and answer. */
  historyView: ReplayHistoryDetail | null;
  stream: ReplayStreamResult | null;
  history: ReplayHistoryEntry[];
  mock: ReplayMockStatus;
  mockPort: number;
  fixture: string;
  answerTarget: string;
  answerKind: 'empty' | 'echo' | 'message' | 'error' | 'stream';
  answerJson: string;
  events: ReplayEvent[];
  /** The last event seq seen (a pane shown again asks for the events since). */
  eventsSince: number;
  busy: boolean;
  notice: string | null;
  /** Sections the user opened or closed (by id): kept while the pane is hidden. */
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
    methodChoices: [],
    methodFollows: '',
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
    room: 'demo-room',
    identity: '',
    rpcMethod: 'livekit.RoomService/ListRooms',
    secretName: '',
    inlineSecret: 'secret',
    newSecret: { name: '', value: '' },
    secretNames: [],
    token: '',
    claims: '',
    environments: [],
    environment: '',
    envForm: { name: '', variables: '', secrets: '' },
    source: 'json',
    sourceFollows: true,
    openedResponses: [],
    jsonText: '{}',
    result: null,
    inFlight: null,
    command: null,
    historyView: null,
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

/** A change to the pane state: the fields to set, or a function of the state giving them. */
export type ReplayPatch = Partial<ReplayPaneState> | ((s: ReplayPaneState) => Partial<ReplayPaneState>);

/** The state after a patch; the same object when the patch changes nothing (so nothing re-renders). */
export function applyReplayPatch(state: ReplayPaneState, patch: ReplayPatch): ReplayPaneState {
  const p = typeof patch === 'function' ? patch(state) : patch;
  const keys = Object.keys(p) as (keyof ReplayPaneState)[];
  return keys.some((k) => !Object.is(state[k], p[k])) ? { ...state, ...p } : state;
}

/**
 * The pane state as its code holds it: `state` to render; `get` for the state as it is now,
 * in an action that awaited the host meanwhile; `set` to change it.
 */
export interface ReplayStateHandle {
  state: ReplayPaneState;
  get(): ReplayPaneState;
  set(patch: ReplayPatch): void;
}

/** What the pane's actions need of its state: read it as it is now, change it. */
export type ReplayStateAccess = Pick<ReplayStateHandle, 'get' | 'set'>;

/** Owns a pane state (React state; `get` reads what `set` last made, before React renders it). */
export function useReplayPaneState(initial: () => ReplayPaneState = initialReplayState): ReplayStateHandle {
  const [state, setState] = useState(initial);
  const latest = useRef(state);
  const set = useCallback((patch: ReplayPatch) => {
    const next = applyReplayPatch(latest.current, patch);
    if (next === latest.current) return;
    latest.current = next;
    setState(next);
  }, []);
  const get = useCallback(() => latest.current, []);
  return useMemo(() => ({ state, get, set }), [state, get, set]);
}

/** The pane state of the pane being rendered. */
export const ReplayStateContext = createContext<ReplayStateHandle | null>(null);

/** The pane state (inside a ReplayStateContext provider). */
export function useReplay(): ReplayStateHandle {
  const handle = useContext(ReplayStateContext);
  if (!handle) throw new Error('the replay pane is rendered outside its state (ReplayStateContext)');
  return handle;
}

/** The pane state's get and set, as one object that stays the same across renders (for effects and actions). */
export function useReplayAccess(): ReplayStateAccess {
  const { get, set } = useReplay();
  return useMemo(() => ({ get, set }), [get, set]);
}

/** One field of the pane state and its setter (a value or an updater, as useState's). */
export function useReplayField<K extends keyof ReplayPaneState>(
  key: K,
): [ReplayPaneState[K], (v: ReplayPaneState[K] | ((prev: ReplayPaneState[K]) => ReplayPaneState[K])) => void] {
  const { state, set } = useReplay();
  const setField = useCallback(
    (v: ReplayPaneState[K] | ((prev: ReplayPaneState[K]) => ReplayPaneState[K])) =>
      set(
        (s) =>
          ({
            [key]: typeof v === 'function' ? (v as (prev: ReplayPaneState[K]) => ReplayPaneState[K])(s[key]) : v,
          }) as Partial<ReplayPaneState>,
      ),
    [key, set],
  );
  return [state[key], setField];
}
