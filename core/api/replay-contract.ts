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

/** The six transports (core/api/vocabulary.ts lists them). */
export type ReplayTransport = Transport;

/** What kind of call a method is. */
export type ReplayCallKind = 'unary' | 'server-stream' | 'client-stream' | 'bidi';

/** A method of the loaded services. */
export interface ReplayMethodInfo {
  /** "pkg.Service/Method". */
  id: string;
  service: string;
  method: string;
  requestType: string;
  responseType: string;
  /** True for server-, client- and bidi-streaming methods (see kind). */
  streaming: boolean;
  /** unary, server-stream, client-stream or bidi: which transports carry it (gRPC and Connect all; gRPC-Web unary and server-stream; Twirp unary). */
  kind?: ReplayCallKind;
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
  /**
   * Mint the token the method needs from a key and a stored secret (by name) or, for the dev preset, the secret itself.
   * The LiveKit signal connection (websocket) joins `room` (default "demo-room", the mock's seeded room) as `identity`
   * (default "protodesk").
   */
  | { kind: 'livekit-key'; apiKey: string; secretName?: string; apiSecret?: string; identity?: string; ttlSeconds?: number; room?: string }
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
  /** A saved environment whose {{variables}} the host fills into url, headers, JSON source and credentials. */
  environment?: string;
}

/**
 * Where the request message comes from, by reference: message `message` (default 0) of the open
 * document `docId`, which the host reads as it is now (edits included) and converts to the
 * method's input type when the document has another type; or proto3 JSON text; or bytes (a
 * history entry sent again). At most one of docId, json and body; none sends the empty message.
 * For a client- or bidi-streaming method the request stream is every message of the document
 * (or a JSON array of messages).
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
  /** An id the page chooses, to cancel the send with replayCancel while it is in flight. */
  requestId?: string;
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
  /** A server or bidi stream's answers, in order (also those before an error); over websocket each with its time, ms since the connection opened. */
  responses?: { json: string; bytes: Uint8Array; timeMs?: number }[];
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
  requestType?: string;
  responseType?: string;
  /** The error answered, without its detail bytes. */
  error?: { code: string; message: string; grpcCode?: number; meta?: Record<string, string> };
  /** A stream's answers as JSON text (the first 100). */
  responsesJson?: string[];
  /** The environment the send used (its name; values are never kept). */
  environment?: string;
}

/** A history entry with its request and response as JSON text, to view it and send it again. */
export interface ReplayHistoryDetail {
  entry: ReplayHistoryEntry;
  /** The request message as proto3 JSON (what the pane restores into the request editor). */
  requestJson?: string;
  responseJson?: string;
  /** Why a message could not be shown as JSON (the schema changed since), if so. */
  problem?: string;
}

/** A tool a send can be copied for. */
export type ReplayCommandTool = 'curl' | 'grpcurl' | 'buf-curl';

/** A saved environment: its plain variables, and the names of its secret ones (values never leave the host). */
export interface ReplayEnvironment {
  name: string;
  variables: Record<string, string>;
  secretVariables: string[];
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

/** The answer of a service without a stateful mock (`stream`: a JSON array of messages, and an error to end with). */
export type ReplayMockAnswer =
  | { kind: 'empty' }
  | { kind: 'echo' }
  | { kind: 'message'; json: string }
  | { kind: 'error'; code: string; message: string }
  | { kind: 'stream'; json: string; errorCode?: string; errorMessage?: string };

/** The mock server as the pane sees it. */
export interface ReplayMockStatus {
  running: boolean;
  httpUrl?: string;
  grpcUrl?: string;
  services: { name: string; mock: 'livekit' | 'kik' | 'generic'; methods: string[] }[];
}

/** Something that happened: a Kik notification, a LiveKit change, a request the mock served, a send, a frame a websocket send received. */
export interface ReplayEvent {
  seq: number;
  time: string;
  kind: 'kik-notification' | 'livekit' | 'mock-request' | 'sent' | 'received';
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
  replayStream: [ReplayTarget & { docId: DocId; maxMessages?: number; requestId?: string }, ReplayStreamResult];
  /** Cancels the send or stream replay started with this requestId: it fails with the code cancelled. */
  replayCancel: [{ requestId: string }, { cancelled: boolean }];
  /** Latest history entries first. */
  replayHistoryList: [{ limit?: number }, ReplayHistoryEntry[]];
  /** One history entry with its request and response as JSON (not-found when it is gone). */
  replayHistoryGet: [{ id: string }, ReplayHistoryDetail];
  /** The send as a curl, grpcurl or buf curl command line (no secret in it: a LiveKit token reads $LIVEKIT_TOKEN). */
  replayCommand: [
    Omit<ReplayTarget, 'tls'> & ReplaySource & { tool: ReplayCommandTool; insecure?: boolean },
    { command: string; notes: string[]; converted?: ReplayConversion },
  ];
  /** Saved environments (secret variables by name only). */
  replayEnvList: [Record<string, never>, { environments: ReplayEnvironment[]; persistent: boolean }];
  /** Creates or replaces an environment; secret values go to the secret store (an empty one keeps the stored value). */
  replayEnvSave: [{ name: string; variables: Record<string, string>; secrets?: Record<string, string> }, { saved: boolean }];
  replayEnvDelete: [{ name: string }, { deleted: boolean }];
  /**
   * Reads a server's schemas by gRPC reflection (v1, else v1alpha). The descriptor set holds only
   * what the loaded schemas lack; add it with addSchemas({ uploads: [{ name, contents }] }).
   */
  replayReflect: [
    { url: string; headers?: [string, string][]; insecure?: boolean; timeoutMs?: number },
    { services: string[]; version: string; fileCount: number; descriptorSet: Uint8Array },
  ];
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
