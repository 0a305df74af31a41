/**
 * The capture half of the process contract: HAR files opened as captures (their protobuf
 * exchanges listed in time order), an entry opened as a document, the type of an entry chosen
 * by the user, and the whole capture exported as one delimited stream per direction. Same style
 * as contract.ts, part of ProtodeskMethods; the session implements it (core/workbench/session/
 * captures.ts). This module imports nothing of contract.ts.
 */
import type { ApiOf } from './method-map';
import type { DocId } from './vocabulary';

/** How an exchange travelled. */
export type CaptureRowProtocol = 'twirp' | 'connect' | 'grpc-web' | 'http' | 'websocket';

/** Where a row's type came from: the user (entry), a URL rule, the RPC method, the LiveKit signal channel, the content type, detection, or none. */
export type CaptureRowTypeSource = 'entry-override' | 'url-override' | 'method' | 'signal' | 'content-type' | 'detect' | 'none';

/** One protobuf exchange of a capture, as the capture view lists it. */
export interface CaptureRow {
  /** Position in the capture (time order). */
  index: number;
  /** Milliseconds since the capture's first timed entry (null: the HAR gives no usable time). */
  time: number | null;
  /** `request`: client to server (a WebSocket "send"); `response`: server to client. */
  direction: 'request' | 'response';
  protocol: CaptureRowProtocol;
  /** The URL without its query (which may hold an access token). */
  url: string;
  /** The RPC named by the path, "pkg.Service/Method". */
  rpc: string | null;
  /** The HTTP status (null for WebSocket messages). */
  status: number | null;
  /** Bytes of the body as stored, when known without opening it. */
  size: number | null;
  /** The message type's full name (null: none known until the entry is opened and detected). */
  type: string | null;
  typeSource: CaptureRowTypeSource;
  /** The body is in the capture (false: missing or lossy, `notes` says why). */
  available: boolean;
  /** Remarks: a dropped body, an error status, a type that is not loaded. */
  notes: string[];
}

/** A type for every entry whose URL matches a pattern (the user's, kept for the session). */
export interface CaptureUrlRule {
  /**
   * A glob over the URL: `*` matches any run of characters; it applies when it matches the whole
   * URL or its path ("/twirp/livekit.RoomService/*", "wss://*\/rtc*").
   */
  url: string;
  /** Only entries going this way (absent: both). */
  direction?: 'request' | 'response';
  /** Full message type name. */
  typeName: string;
}

/** A URL rule as the capture applies it. */
export interface CaptureUrlRuleState extends CaptureUrlRule {
  /** Entries typed by it (an entry's own type, and an earlier rule, come first). */
  matches: number;
  /** Its type is not in the loaded schemas (any more): the entries it matches say so. */
  missing?: boolean;
}

/** An open capture. */
export interface CaptureSummary {
  captureId: string;
  /** The HAR file's name. */
  name: string;
  /** Protobuf exchanges listed. */
  entryCount: number;
  /** HAR entries with no protobuf body, and WebSocket text messages: not listed. */
  skippedEntries: number;
  skippedTextFrames: number;
  /** The tool that wrote the HAR. */
  creator: string | null;
  /** When the first timed entry happened (ms since the epoch), null when none is timed. */
  startTime: number | null;
  /** The URL rules, first match wins. */
  urlRules: CaptureUrlRuleState[];
  /** Bumped whenever the rows change as a whole (URL rules set, entries typed again for new schemas): views fetch them again. */
  revision: number;
}

/** One exported direction: a varint length-delimited stream. */
export interface CaptureStreamFile {
  name: string;
  bytes: Uint8Array;
  /** Messages in it. */
  count: number;
}

/** The capture methods: name → [request, response]. */
export interface CaptureMethods {
  /** Opens a HAR file's bytes (a dropped file) as a capture. */
  openCaptureBytes: [{ name: string; bytes: Uint8Array }, CaptureSummary];
  /** Opens a HAR file from disk as a capture. */
  openCapturePath: [{ path: string }, CaptureSummary];
  /** The open captures. */
  listCaptures: [Record<string, never>, CaptureSummary[]];
  /** Rows [start, start+count) of a capture, and how many it has. */
  getCaptureRows: [{ captureId: string; start: number; count: number }, { total: number; rows: CaptureRow[] }];
  /** Chooses the type of an entry (null: back to the automatic type); an unknown type is refused. */
  setCaptureEntryType: [{ captureId: string; index: number; typeName: string | null }, CaptureRow];
  /**
   * Sets the capture's URL rules (replacing them; first match wins). An unknown type is refused.
   * Rules are kept for the session; an entry's own type beats them.
   */
  setCaptureUrlRules: [{ captureId: string; rules: readonly CaptureUrlRule[] }, CaptureSummary];
  /** Opens an entry's messages as a document (one message, or a delimited stream for several) with the entry's type. */
  openCaptureEntry: [{ captureId: string; index: number }, { docId: DocId }];
  /** The whole capture as one delimited stream per direction, and the entries left out and why. */
  exportCapture: [
    { captureId: string },
    { requests: CaptureStreamFile; responses: CaptureStreamFile; skipped: { index: number; reason: string }[] },
  ];
  closeCapture: [{ captureId: string }, { closed: boolean }];
}

/** The capture half of the API as functions. */
export type CaptureApi = ApiOf<CaptureMethods>;
