/**
 * livekit-server's auth for every LiveKit service of the mock: the API keys it accepts (a Map, so a
 * key is only ever one the user gave, never a property every object inherits), the auth middleware
 * (a bad or expired token is a 401 with a plain-text body, before the body is read; no token passes
 * without grants) and the grant checks (a missing grant is Twirp `unauthenticated` "permissions
 * denied", livekit-server's twirpAuthError).
 */
import { verifyLiveKitToken, TokenError, type LiveKitClaims } from '../livekit/access-token';
import { grantsAllow, type GrantContext } from '../livekit/grants';
import { MockError } from './mock-errors';
import type { MockCallContext } from './mock-service';

/** API key → secret. */
export type ApiKeys = ReadonlyMap<string, string>;

/** The keys the mock accepts: one key and its secret, both non-empty strings. */
export function apiKeys(apiKey: unknown, apiSecret: unknown): ApiKeys {
  if (typeof apiKey !== 'string' || !apiKey) throw new Error('the LiveKit API key must be a non-empty string');
  if (typeof apiSecret !== 'string' || !apiSecret) throw new Error('the LiveKit API secret must be a non-empty string');
  return new Map([[apiKey, apiSecret]]);
}

/** What the auth middleware leaves for the handlers: the verified claims, or null without a token. */
export interface LiveKitAuth {
  claims: LiveKitClaims | null;
}

/**
 * The auth middleware: the token from `Authorization: Bearer` (or the access_token query, which the
 * HTTP layer turns into that header) verified against `keys`; 401 plain text when it is bad.
 */
export async function authenticateLiveKit(headers: Readonly<Record<string, string>>, keys: ApiKeys, now: Date): Promise<LiveKitAuth> {
  const h = headers.authorization ?? '';
  let token = '';
  if (h) {
    if (!h.startsWith('Bearer ')) throw new MockError('unauthenticated', 'invalid authorization header. Must start with Bearer ', {}, true);
    token = h.slice('Bearer '.length);
  }
  if (!token) return { claims: null };
  try {
    return { claims: await verifyLiveKitToken(token, (k) => keys.get(k), now) };
  } catch (e) {
    if (e instanceof TokenError) throw new MockError('unauthenticated', e.message, {}, true);
    throw e;
  }
}

/** The verified claims of a call (null: no token). */
export function claimsOf(call: MockCallContext): LiveKitClaims | null {
  return (call.auth as LiveKitAuth | undefined)?.claims ?? null;
}

/** The error livekit-server answers for a missing grant. */
export function permissionsDenied(): MockError {
  return new MockError('unauthenticated', 'permissions denied');
}

/** Throws "permissions denied" unless the call's token grants `service/method` (the rooms from the request). */
export function requireGrants(call: MockCallContext, ctx: GrantContext = {}): void {
  if (!grantsAllow(call.service, call.method, claimsOf(call), ctx)) throw permissionsDenied();
}

/**
 * Twirp's InvalidArgumentError(argument, validationMsg), as livekit-server calls it: the message is
 * "argument validationMsg" and meta.argument the argument.
 */
export function invalidArgument(argument: string, validationMsg: string): MockError {
  return new MockError('invalid_argument', `${argument} ${validationMsg}`, { argument });
}
