/**
 * Errors a mock handler raises, with one code vocabulary (Twirp's) mapped to each protocol:
 * Twirp JSON `{code,msg,meta}` with Twirp's HTTP status, gRPC status codes, Connect codes.
 */
import type { AnyDetail } from '../rpc/rpc-status';

/** Twirp error codes (https://twitchtv.github.io/twirp/docs/spec_v7.html#error-codes). */
export type TwirpCode =
  | 'canceled'
  | 'unknown'
  | 'invalid_argument'
  | 'malformed'
  | 'deadline_exceeded'
  | 'not_found'
  | 'bad_route'
  | 'already_exists'
  | 'permission_denied'
  | 'unauthenticated'
  | 'resource_exhausted'
  | 'failed_precondition'
  | 'aborted'
  | 'out_of_range'
  | 'unimplemented'
  | 'internal'
  | 'unavailable'
  | 'dataloss';

/** HTTP status for each Twirp code, as the Twirp spec lists them. */
export const TWIRP_HTTP_STATUS: Readonly<Record<TwirpCode, number>> = {
  canceled: 408,
  unknown: 500,
  invalid_argument: 400,
  malformed: 400,
  deadline_exceeded: 408,
  not_found: 404,
  bad_route: 404,
  already_exists: 409,
  permission_denied: 403,
  unauthenticated: 401,
  resource_exhausted: 429,
  failed_precondition: 412,
  aborted: 409,
  out_of_range: 400,
  unimplemented: 501,
  internal: 500,
  unavailable: 503,
  dataloss: 500,
};

/** Whether a string is one of the Twirp codes (an own key of the table, never an inherited name). */
export function isTwirpCode(code: unknown): code is TwirpCode {
  return typeof code === 'string' && Object.hasOwn(TWIRP_HTTP_STATUS, code);
}

/** gRPC status code for each Twirp code. */
export const TWIRP_TO_GRPC: Readonly<Record<TwirpCode, number>> = {
  canceled: 1,
  unknown: 2,
  invalid_argument: 3,
  malformed: 3,
  deadline_exceeded: 4,
  not_found: 5,
  bad_route: 12,
  already_exists: 6,
  permission_denied: 7,
  resource_exhausted: 8,
  failed_precondition: 9,
  aborted: 10,
  out_of_range: 11,
  unimplemented: 12,
  internal: 13,
  unavailable: 14,
  dataloss: 15,
  unauthenticated: 16,
};

/** HTTP status of a Connect unary error, by Connect code. */
export const CONNECT_HTTP_STATUS: Readonly<Record<string, number>> = {
  canceled: 499,
  unknown: 500,
  invalid_argument: 400,
  deadline_exceeded: 504,
  not_found: 404,
  already_exists: 409,
  permission_denied: 403,
  resource_exhausted: 429,
  failed_precondition: 400,
  aborted: 409,
  out_of_range: 400,
  unimplemented: 501,
  internal: 500,
  unavailable: 503,
  data_loss: 500,
  unauthenticated: 401,
};

/** An error a mock method answers with. */
export class MockError extends Error {
  override readonly name = 'MockError';
  /** Twirp code. */
  readonly code: TwirpCode;
  /** Twirp `meta` (string values). */
  readonly meta: Record<string, string>;
  /**
   * Twirp only: answer with this plain-text body instead of Twirp JSON (livekit-server's auth
   * middleware does this for bad tokens, before Twirp sees the request).
   */
  readonly plainText: boolean;
  /** google.rpc.Status details (gRPC grpc-status-details-bin, Connect details). */
  details: AnyDetail[] = [];

  constructor(code: TwirpCode, message: string, meta: Record<string, string> = {}, plainText = false) {
    super(message);
    this.code = code;
    this.meta = meta;
    this.plainText = plainText;
  }

  /** The gRPC status code. */
  get grpcCode(): number {
    return TWIRP_TO_GRPC[this.code];
  }
}

/** Any failure as a MockError (one that is not becomes internal, with its message). */
export function toMockError(e: unknown): MockError {
  if (e instanceof MockError) return e;
  return new MockError('internal', e instanceof Error ? e.message : String(e));
}

/** A fixture's error answer as a MockError (an unknown code is the fixture's mistake: internal, saying so). */
export function answerError(answer: { code: string; message: string }): MockError {
  return isTwirpCode(answer.code)
    ? new MockError(answer.code, answer.message)
    : new MockError('internal', `the fixture's error answer has an unknown code "${String(answer.code)}" (${answer.message})`);
}
