/**
 * A capture: the protobuf exchanges of a HAR file, one entry per body (an HTTP request or
 * response body, a WebSocket binary message), in time order. Listing reads no body; bodies
 * are decoded when an entry is opened (open-entry.ts).
 */
import type { StringSpan } from './json-cursor';

/** How the exchange travelled. `http`: a protobuf content type outside the RPC protocols. */
export type CaptureProtocol = 'twirp' | 'connect' | 'grpc-web' | 'http' | 'websocket';

/** Which way a body went: `request` is client to server (a WebSocket "send"), `response` server to client. */
export type CaptureDirection = 'request' | 'response';

/**
 * How a body splits into messages: one message; gRPC-Web frames (1-byte flag, 4-byte
 * big-endian length; flag 0x80 marks trailers); Connect streaming envelopes (the same shape;
 * flag 0x02 marks the end-of-stream JSON); varint length-delimited messages.
 */
export type BodyFraming = 'single' | 'grpc-web' | 'connect-stream' | 'delimited';

/** The message encoding inside the body. */
export type BodyEncoding = 'proto' | 'json';

/** Where an entry's message type came from. */
export type TypeSource =
  /** A type override for this entry. */
  | 'entry-override'
  /** A type override for a URL pattern. */
  | 'url-override'
  /** The RPC method named by the URL path (its input type for requests, output type for responses). */
  | 'method'
  /** The LiveKit signal channel (/rtc): SignalRequest sent, SignalResponse received. */
  | 'signal'
  /** A `proto=` or `messageType=` parameter of the content type. */
  | 'content-type'
  /** Type detection, run when the entry is opened. */
  | 'detect'
  /** No message type applies (an error response). */
  | 'none';

/** Where an entry's body is. */
export type BodySource =
  /** Stored in the HAR as a JSON string (`base64`: its text is base64 of the bytes). */
  | { kind: 'stored'; span: StringSpan; base64: boolean }
  /** The HAR says the body is empty (a valid empty message). */
  | { kind: 'empty' }
  /** Bytes taken from elsewhere in the HAR (a URL parameter). */
  | { kind: 'inline'; bytes: Uint8Array }
  /** The HAR does not hold the body (or holds it lossily): why, in words. */
  | { kind: 'unavailable'; reason: string };

/** One listed body. */
export interface CaptureEntry {
  /** Position in the capture (time order). */
  index: number;
  /** Position of the HAR entry in log.entries. */
  harIndex: number;
  /** For WebSocket messages: position in the entry's `_webSocketMessages`. */
  frameIndex?: number;
  /** Milliseconds since the epoch (NaN when the HAR gives no usable time). */
  time: number;
  direction: CaptureDirection;
  protocol: CaptureProtocol;
  url: string;
  /** The HTTP method (GET for a WebSocket). */
  httpMethod: string;
  /** The RPC named by the path, as "pkg.Service/Method". */
  rpc?: string;
  /** The HTTP status of the exchange (absent for WebSocket messages). */
  status?: number;
  /** Bytes of the body as stored (before any content decoding), when known without opening it. */
  size?: number;
  /** The decoded body size the HAR states (content.size), when it does. */
  declaredSize?: number;
  /** The content type without parameters (lowercase). */
  contentType: string;
  framing: BodyFraming;
  encoding: BodyEncoding;
  /** gRPC-Web text mode: the body is base64 (of possibly several chunks). */
  grpcWebText?: boolean;
  /** Content-Encoding of the HTTP body (lowercase list, e.g. "gzip"), when given. */
  contentEncoding?: string;
  /** grpc-encoding / connect-content-encoding: how compressed frames are compressed. */
  messageEncoding?: string;
  /** The message type's full name, when known without opening the body. */
  type?: string;
  typeSource: TypeSource;
  /** The type before overrides (what type/typeSource return to when an override is removed). */
  autoType?: string;
  autoTypeSource: TypeSource;
  body: BodySource;
  /** Remarks for the list (a dropped body, an error status, a type that is not loaded). */
  notes: readonly string[];
}

/** A listed HAR file. */
export interface Capture {
  /** The HAR's bytes; stored bodies are spans of it (keep it unchanged while the capture is used). */
  source: Uint8Array;
  /** The tool that wrote the HAR (log.creator.name). */
  creator?: string;
  entries: CaptureEntry[];
  /** HAR entries with no protobuf body. */
  skippedEntries: number;
  /** WebSocket text messages (opcode 1) on listed sockets: not protobuf, not listed. */
  skippedTextFrames: number;
}

/** One message of an opened entry. */
export interface CaptureMessage {
  /** The message's protobuf bytes (for JSON bodies: encoded from the JSON). */
  bytes: Uint8Array;
  /** Where the message starts in the entry's decoded body. */
  offset: number;
  typeName?: string;
  typeSource: TypeSource;
  /** For detected types: the detection score (0..1). */
  score?: number;
  /** The body held JSON (the bytes are its binary encoding). */
  fromJson?: boolean;
}

/** An entry's body, decoded. */
export interface OpenedEntry {
  entry: CaptureEntry;
  /** The body as sent, content decoding (base64, gzip...) undone; null when unavailable. */
  body: Uint8Array | null;
  messages: CaptureMessage[];
  /** Why the body (or part of it) could not be read as messages. */
  problem?: string;
  /** What was found on the way (trailers, decompression, an error response). */
  notes: string[];
}
