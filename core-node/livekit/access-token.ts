/**
 * LiveKit access tokens: HS256 JWTs minted the way livekit-server-sdk's AccessToken does
 * (iss = API key, exp, nbf, optional sub = identity, and the `video` grant), and checked the
 * way livekit-server checks them (HS256 only, issuer = a known key, exp/nbf with 1 minute leeway).
 */
import * as jose from 'jose';

/** The `video` grant of a LiveKit token (the subset RoomService cares about, plus join). */
export interface VideoGrant {
  roomCreate?: boolean;
  roomList?: boolean;
  roomAdmin?: boolean;
  roomJoin?: boolean;
  roomRecord?: boolean;
  room?: string;
  destinationRoom?: string;
  [k: string]: unknown;
}

/** The `sip` grant of a LiveKit token. */
export interface SipGrant {
  admin?: boolean;
  call?: boolean;
}

/** The claims of a LiveKit token as a JWT payload. */
export interface LiveKitClaims extends jose.JWTPayload {
  video?: VideoGrant;
  sip?: SipGrant;
  name?: string;
  metadata?: string;
}

/** Options for minting a token. */
export interface MintOptions {
  apiKey: string;
  apiSecret: string;
  grant: VideoGrant;
  /** The `sip` grant (SIP trunks and dispatch rules: admin; calls: call). */
  sip?: SipGrant;
  /** `sub`; required when the grant has roomJoin (as the SDK requires). */
  identity?: string;
  /** Lifetime: seconds or a jose time span like "10m". Default "10m" (the SDK's ServiceBase default). */
  ttl?: number | string;
  /** Clock for tests. */
  now?: Date;
}

/** Mints an HS256 LiveKit token, the same claims livekit-server-sdk's AccessToken.toJwt produces. */
export async function mintLiveKitToken(opts: MintOptions): Promise<string> {
  if (!opts.apiKey || !opts.apiSecret) throw new Error('api key and api secret must be set');
  const now = opts.now ?? new Date();
  const nowSec = Math.floor(now.getTime() / 1000);
  const ttl = opts.ttl ?? '10m';
  const exp = typeof ttl === 'number' ? nowSec + ttl : nowSec + jose_span(ttl);
  const jwt = new jose.SignJWT({ video: { ...opts.grant }, ...(opts.sip ? { sip: { ...opts.sip } } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(opts.apiKey)
    .setExpirationTime(exp)
    .setNotBefore(nowSec);
  if (opts.identity) jwt.setSubject(opts.identity);
  else if (opts.grant.roomJoin) throw new Error('identity is required for join but not set');
  return jwt.sign(new TextEncoder().encode(opts.apiSecret));
}

/** Seconds in a time span such as "10m", "6h", "30s", "2d". */
function jose_span(span: string): number {
  const m = /^(\d+)\s*(s|sec|secs|m|min|mins|h|hr|hrs|d|day|days)?$/i.exec(span.trim());
  if (!m) throw new Error(`bad ttl '${span}'`);
  const n = Number(m[1]);
  const unit = (m[2] ?? 's').toLowerCase()[0];
  return n * ({ s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[unit];
}

/** Why a token was refused (the message livekit-server puts in its 401 body). */
export class TokenError extends Error {
  override readonly name = 'TokenError';
}

/** Leeway livekit-server (go-jose's DefaultLeeway) allows on exp and nbf. */
export const LIVEKIT_LEEWAY_SECONDS = 60;

/**
 * Verifies a token as livekit-server does: HS256, issuer must be a known API key whose secret (a
 * non-empty string) verifies the signature, exp/nbf checked with 1 minute leeway. Returns the claims.
 */
export async function verifyLiveKitToken(
  token: string,
  secretForKey: (apiKey: string) => unknown,
  now: Date = new Date(),
): Promise<LiveKitClaims> {
  let unverified: jose.JWTPayload;
  let header: jose.ProtectedHeaderParameters;
  try {
    unverified = jose.decodeJwt(token);
    header = jose.decodeProtectedHeader(token);
  } catch {
    throw new TokenError('invalid authorization token');
  }
  const apiKey = typeof unverified.iss === 'string' ? unverified.iss : '';
  // Only a non-empty string is a secret: a key lookup that finds anything else (an inherited
  // property such as `constructor`, whose string form anyone can sign with) is an unknown key.
  const secret: unknown = apiKey ? secretForKey(apiKey) : undefined;
  if (typeof secret !== 'string' || !secret) throw new TokenError(`invalid API key: ${apiKey}`);
  if (header.alg !== 'HS256') throw new TokenError('invalid token: <redacted>, error: unexpected signature algorithm');
  try {
    const { payload } = await jose.jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      issuer: apiKey,
      clockTolerance: LIVEKIT_LEEWAY_SECONDS,
      currentDate: now,
    });
    return payload as LiveKitClaims;
  } catch (e) {
    const why =
      e instanceof jose.errors.JWTExpired
        ? 'go-jose/go-jose/jwt: validation failed, token is expired (exp)'
        : e instanceof jose.errors.JWTClaimValidationFailed && e.claim === 'nbf'
          ? 'go-jose/go-jose/jwt: validation failed, token not valid yet (nbf)'
          : e instanceof jose.errors.JWSSignatureVerificationFailed
            ? 'go-jose/go-jose: error in cryptographic primitive'
            : (e as Error).message;
    // livekit-server echoes the token here; the mock does not, so tokens never land in history files.
    throw new TokenError(`invalid token: <redacted>, error: ${why}`);
  }
}

/** The local dev server preset (`livekit-server --dev`). */
export const LIVEKIT_DEV_PRESET = { url: 'http://localhost:7880', apiKey: 'devkey', apiSecret: 'secret' } as const;
