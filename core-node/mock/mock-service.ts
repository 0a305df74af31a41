/** The shape every mock service implementation has; requests and responses are canonical proto3 JSON. */
import type { MockError } from './mock-errors';

export type { CallKind } from '../rpc/service-method';

/** Which protocol a call came in on. */
export type MockProtocol = 'twirp' | 'connect' | 'grpc-web' | 'grpc';

/** What a handler knows about the call. */
export interface MockCallContext {
  service: string;
  method: string;
  protocol: MockProtocol;
  /** Request headers / metadata, names lower-case. */
  headers: Readonly<Record<string, string>>;
  /** What `authenticate` returned. */
  auth?: unknown;
}

/** A JSON object (a message in canonical proto3 JSON). */
export type JsonObject = Record<string, unknown>;

/** One unary method: request JSON in, response JSON out; throws MockError for error answers. */
export type MockMethod = (request: JsonObject, call: MockCallContext) => Promise<JsonObject> | JsonObject;

/** A mocked service. */
export interface MockServiceImpl {
  /** Full service name, e.g. "livekit.RoomService". */
  service: string;
  /** Runs before the body is read (as livekit-server's auth middleware); throws MockError to refuse. */
  authenticate?(headers: Readonly<Record<string, string>>): Promise<unknown> | unknown;
  /** Runs once the request is decoded, before a method without a handler of its own is answered generically; throws MockError to refuse. */
  authorize?(request: JsonObject, call: MockCallContext): void;
  methods: Record<string, MockMethod>;
  /** Methods without a handler get the generic answer (fixture answers; unimplemented without one) instead of unimplemented. */
  generic?: boolean;
}

/** Re-exported for handlers. */
export type { MockError };

/** Runs one streaming call through the dispatcher: reads `requests`, writes with `send`; rejects with a MockError to end it with an error. */
export type MockStreamCall = (
  protocol: MockProtocol,
  service: string,
  method: string,
  headers: Record<string, string>,
  json: boolean,
  requests: AsyncIterable<Uint8Array>,
  send: (body: Uint8Array) => void | Promise<void>,
) => Promise<void>;

/** Runs one unary call through the dispatcher: the response bytes, or a MockError. */
export type MockCall = (
  protocol: MockProtocol,
  service: string,
  method: string,
  headers: Record<string, string>,
  body: Uint8Array,
  json: boolean,
) => Promise<Uint8Array>;
