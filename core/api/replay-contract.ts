/**
 * The replay half of the process contract: sending messages to live or mock services, LiveKit
 * tokens, history, stream replay, secrets and the mock server. Same style as contract.ts: a
 * map from method name to [request, response], part of ProtodeskMethods (contract.ts). The node
 * implementation is core-node/replay/replay-service.ts; ReplayHostMethods are the host's own
 * (native file pickers). This module imports nothing of contract.ts.
 *
 * Secrets (LiveKit API secrets) cross this boundary only inwards: the renderer stores one with
 * replaySecretSet and then refers to it by name; no method returns a secret.
 */
import type { ApiOf } from './method-map';
import type { DocId, Framing, Transport } from './vocabulary';

/** The five transports (core/api/vocabulary.ts lists them). */
export type ReplayTransport = Transport;

/** A unary method of the loaded services. */
export interface ReplayMethodInfo {
  /** "pkg.Service/Method". */
  id: string;
  service: string;
  method: string;
  requestType: string;
  responseType: string;
  /** Streaming methods are listed but cannot be sent. */
  streaming: boolean;
  /** A LiveKit Twirp API method (a token can be minted for it). */
  livekit: boolean;
}

/** TLS settings: verification is on unless `insecureSkipVerify`; files are PEM on the host's disk. */
export interface ReplayTls {
  insecureSkipVerify?: boolean;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

/** How a request is authorised. */
export type ReplayAuth =
  | { kind: 'none' }
  /** Mint the token the method needs from a key and a stored secret (by name) or, for the dev preset, the secret itself. */
  | { kind: 'livekit-key'; apiKey: string; secretName?: string; apiSecret?: string; identity?: string; ttlSeconds?: number }
  /** Send this token as is (it is never written to history). */
  | { kind: 'livekit-token'; token: string };

/** Where a request goes and how. */
export interface ReplayTarget {
  url: string;
  transport: ReplayTransport;
  /** "pkg.Service/Method". */
  method: string;
  /** Extra headers / gRPC metadata (name, value). */
  headers?: [string, string][];
  timeoutMs?: number;
  tls?: ReplayTls;
  auth?: ReplayAuth;
  /** Largest message sent or received (default 64 MiB, every transport). */
  maxMessageBytes?: number;
  /** Connect, gRPC-Web and Twirp over HTTP/2 (h2c for http://). */
  http2?: boolean;
  /** Connect: a unary call as GET (methods marked idempotency_level = NO_SIDE_EFFECTS). */
  httpGet?: boolean;
}

/**
 * Where the request message comes from, by reference: message `message` (default 0) of the open
 * document `docId`, which the host reads as it is now (edits included) and converts to the
 * method's input type when the document has another type; or proto3 JSON text; or bytes (a
 * history entry sent again). At most one of docId, json and body; none sends the empty message.
 */
export interface ReplaySource {
  docId?: DocId;
  message?: number;
  json?: string;
  body?: Uint8Array;
}

/** One send: the target and where its request message comes from. */
export interface ReplaySendRequest extends ReplayTarget, ReplaySource {
  /** Keep it in the history (default true). */
  history?: boolean;
}

/** What the host did to a document's message so it fits the method: the fields that match by name are kept. */
export interface ReplayConversion {
  fromType: string;
  toType: string;
  /** Top-level fields of the document that the method's input type cannot hold. */
  dropped: string[];
}

/** A decoded error answer. */
export interface ReplayError {
  /** Twirp code, or the gRPC / Connect code name ("not_found", ...). */
  code: string;
  message: string;
  grpcCode?: number;
  /** Twirp meta. */
  meta?: Record<string, string>;
  /** google.rpc.Status / Connect details: type and, when the type is known, JSON text. */
  details?: { type: string; json?: string; bytes: Uint8Array }[];
}

/** The outcome of one send. */
export interface ReplaySendResult {
  /** History entry id (empty when not kept). */
  id: string;
  ok: boolean;
  transport: ReplayTransport;
  target: string;
  httpStatus?: number;
  headers: [string, string][];
  trailers: [string, string][];
  timeMs: number;
  responseType: string;
  /** The response message, binary (open it as a document). */
  responseBytes?: Uint8Array;
  /** The response as proto3 JSON text. */
  responseJson?: string;
  error?: ReplayError;
  /** Headers sent, authorization redacted. */
  requestHeaders: [string, string][];
  /** A failure before any answer (refused, timeout, TLS). */
  transportError?: string;
  /** The document's message was converted to the method's input type. */
  converted?: ReplayConversion;
  /** Fields of the response with a wire type their schema field cannot have (left out of responseJson), one sentence each. */
  warnings?: string[];
}

/** One kept request. */
export interface ReplayHistoryEntry {
  id: string;
  /** ISO time. */
  time: string;
  url: string;
  transport: ReplayTransport;
  method: string;
  ok: boolean;
  code?: string;
  httpStatus?: number;
  timeMs: number;
  requestBytes: Uint8Array;
  responseBytes?: Uint8Array;
  /** Headers as sent, authorization redacted. */
  headers: [string, string][];
  /** The key used to mint a LiveKit token (never the secret or the token). */
  livekitKey?: string;
}

/** One message of a replayed stream. */
export interface ReplayStreamItem {
  index: number;
  ok: boolean;
  code?: string;
  message?: string;
  timeMs: number;
  responseJson?: string;
}

/** Result of replaying every message of a stream document. */
export interface ReplayStreamResult {
  /** The document's framing. */
  framing: Framing;
  items: ReplayStreamItem[];
  okCount: number;
  errorCount: number;
}

/** A preset target. */
export interface ReplayPreset {
  name: string;
  url: string;
  transport: ReplayTransport;
  auth?: ReplayAuth;
}

/** The answer of a service without a stateful mock. */
export type ReplayMockAnswer =
  { kind: 'empty' } | { kind: 'echo' } | { kind: 'message'; json: string } | { kind: 'error'; code: string; message: string };

/** The mock server as the pane sees it. */
export interface ReplayMockStatus {
  running: boolean;
  httpUrl?: string;
  grpcUrl?: string;
  services: { name: string; mock: 'livekit' | 'kik' | 'generic'; methods: string[] }[];
}

/** Something that happened: a Kik notification, a LiveKit change, a request the mock served, a send. */
export interface ReplayEvent {
  seq: number;
  time: string;
  kind: 'kik-notification' | 'livekit' | 'mock-request' | 'sent';
  /** One line for the list. */
  summary: string;
  /** Details as JSON text (for Kik: the OnConvoVideoStateChangedNotification). */
  json?: string;
  /** Kik: members the notification goes to. */
  recipients?: string[];
}

/**
 * Where stored secrets live: encrypted on disk (persistent), or in memory only for this session,
 * with a sentence saying why (no OS keyring, the browser-served mode) for the UI to show.
 */
export interface SecretStorage {
  persistent: boolean;
  note?: string;
}

/** The replay methods: name → [request, response]. */
export interface ReplayMethods {
  /** Unary methods of the loaded services, LiveKit and Kik first. */
  replayListMethods: [Record<string, never>, ReplayMethodInfo[]];
  /** Presets: the LiveKit dev server, and the running mock. */
  replayPresets: [Record<string, never>, ReplayPreset[]];
  /** Sends one request; a document's message is read, and converted to the method's input type, by the host. */
  replaySend: [ReplaySendRequest, ReplaySendResult];
  /**
   * Mints the token a LiveKit RoomService method needs (grant from the method and room: given, or
   * read from the request source as Send would send it); returns it with its claims as JSON.
   */
  replayMintLiveKitToken: [
    ReplaySource & {
      apiKey: string;
      secretName?: string;
      apiSecret?: string;
      method: string;
      room?: string;
      destinationRoom?: string;
      identity?: string;
      ttlSeconds?: number;
    },
    { token: string; claims: string; converted?: ReplayConversion },
  ];
  /** Replays each message of an open stream document, as it is now (up to maxMessages, default 10 000); every result listed. */
  replayStream: [ReplayTarget & { docId: DocId; maxMessages?: number }, ReplayStreamResult];
  /** Latest history entries first. */
  replayHistoryList: [{ limit?: number }, ReplayHistoryEntry[]];
  replayHistoryClear: [Record<string, never>, { cleared: number }];
  /** Stores a secret (Electron: encrypted with safeStorage). */
  replaySecretSet: [{ name: string; value: string }, SecretStorage];
  /** Names of stored secrets (never their values). */
  replaySecretList: [Record<string, never>, SecretStorage & { names: string[] }];
  replaySecretDelete: [{ name: string }, { deleted: boolean }];
  replayMockStart: [
    {
      port?: number;
      grpcPort?: number;
      fixtureJson?: string;
      fixtureFile?: string;
      apiKey?: string;
      secretName?: string;
      apiSecret?: string;
    },
    ReplayMockStatus,
  ];
  replayMockStop: [Record<string, never>, ReplayMockStatus];
  replayMockStatus: [Record<string, never>, ReplayMockStatus];
  /** Sets the answer of a generic service or method ("pkg.Service" or "pkg.Service/Method"). */
  replayMockSetAnswer: [{ target: string; answer: ReplayMockAnswer }, { ok: boolean }];
  /** Events after `since`: the pane catches up when it mounts; new ones are pushed as 'replay' host events. */
  replayEvents: [{ since: number }, { events: ReplayEvent[]; last: number }];
}

/** The replay half of the API as functions. */
export type ReplayApi = ApiOf<ReplayMethods>;

/** What a file chosen in a native dialog is for: the dialog's title and filters follow from it. */
export type FilePurpose = 'tls-ca' | 'tls-cert' | 'tls-key' | 'mock-fixture';

/**
 * Replay methods the host answers itself, not the replay service. Electron shows its native open
 * dialog and grants what the user picked for reading (a path the page merely names is refused
 * there: app/main/path-grants.ts); the browser-served mode has no native dialogs
 * (appInfo().nativeDialogs is false) and refuses, so there the pane's path fields are typed.
 */
export interface ReplayHostMethods {
  /** Shows the native open dialog for one file (`kind`: 'file', the only kind so far) of `purpose`; the chosen paths, none when cancelled. */
  choosePaths: [{ purpose: FilePurpose; kind: 'file' }, string[]];
}

/** The host's replay methods as functions. */
export type ReplayHostApi = ApiOf<ReplayHostMethods>;
