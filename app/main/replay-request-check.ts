/**
 * Checks the shape of a replay request at the main-process boundary (core/api/request-check.ts
 * covers the document methods and lets replay methods through). One spec per replay method, the
 * host's choosePaths included; unknown fields, wrong types and unknown enum values are refused
 * before core-node (or the native dialog) sees them.
 */
import { FRAMING_LABELS, TRANSPORTS } from '../../core/api/vocabulary';
import { REPLAY_HOST_METHODS, REPLAY_METHODS, type ReplayHostMethods, type ReplayMethods } from '../../core/api/replay-contract';

/** A check of one value: true when it fits. */
type Check = (v: unknown) => boolean;
/** Field name → check; a name ending in ? is optional. */
type Spec = Record<string, Check>;

const MAX_STRING = 1 << 26;
const str: Check = (v) => typeof v === 'string' && v.length < MAX_STRING;
const bool: Check = (v) => typeof v === 'boolean';
const bytes: Check = (v) => v instanceof Uint8Array;
const nonNegInt: Check = (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const duration: Check = (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const port: Check = (v) => nonNegInt(v) && (v as number) <= 65535;
const oneOf =
  (...values: string[]): Check =>
  (v) =>
    typeof v === 'string' && values.includes(v);
const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array);
/** An http(s) URL (the replay client speaks nothing else). */
const httpUrl: Check = (v) => {
  if (!str(v)) return false;
  try {
    return ['http:', 'https:'].includes(new URL(v as string).protocol);
  } catch {
    return false;
  }
};
const headers: Check = (v) =>
  Array.isArray(v) && v.length <= 1000 && v.every((h) => Array.isArray(h) && h.length === 2 && str(h[0]) && str(h[1]));
const transport = oneOf(...TRANSPORTS);
const framing = oneOf(...Object.keys(FRAMING_LABELS));

/** True when `v` is an object whose fields fit `spec` (and it has no others). */
function fitsSpec(spec: Spec, v: unknown): boolean {
  return problem(spec, v) === null;
}

/** The first problem of `v` against `spec`, or null. */
function problem(spec: Spec, v: unknown): string | null {
  if (!isObject(v)) return 'the request must be an object';
  const fields = new Map(Object.entries(spec).map(([k, check]) => [k.replace(/\?$/, ''), { check, optional: k.endsWith('?') }]));
  for (const k of Object.keys(v)) if (!fields.has(k) && v[k] !== undefined) return `unexpected field "${k}"`;
  for (const [k, { check, optional }] of fields) {
    if (v[k] === undefined) {
      if (!optional) return `missing field "${k}"`;
    } else if (!check(v[k])) return `field "${k}" is not valid`;
  }
  return null;
}

const tls: Check = (v) => fitsSpec({ 'insecureSkipVerify?': bool, 'caFile?': str, 'certFile?': str, 'keyFile?': str }, v);
const auth: Check = (v) => {
  if (!isObject(v)) return false;
  switch (v.kind) {
    case 'none':
      return fitsSpec({ kind: str }, v);
    case 'livekit-key':
      return fitsSpec({ kind: str, apiKey: str, 'secretName?': str, 'apiSecret?': str, 'identity?': str, 'ttlSeconds?': nonNegInt }, v);
    case 'livekit-token':
      return fitsSpec({ kind: str, token: str }, v);
    default:
      return false;
  }
};
const mockAnswer: Check = (v) => {
  if (!isObject(v)) return false;
  switch (v.kind) {
    case 'empty':
    case 'echo':
      return fitsSpec({ kind: str }, v);
    case 'message':
      return fitsSpec({ kind: str, json: str }, v);
    case 'error':
      return fitsSpec({ kind: str, code: str, message: str }, v);
    default:
      return false;
  }
};

const TARGET: Spec = { url: httpUrl, transport, method: str, 'headers?': headers, 'timeoutMs?': duration, 'tls?': tls, 'auth?': auth };

/** The fields each replay method takes. */
export const REPLAY_REQUEST_SPECS: { [K in keyof (ReplayMethods & ReplayHostMethods)]: Spec } = {
  replayListMethods: {},
  replayPresets: {},
  replayConvert: { fromType: str, toType: str, bytes },
  replaySend: { ...TARGET, 'body?': bytes, 'json?': str, 'history?': bool },
  replayMintLiveKitToken: {
    apiKey: str,
    'secretName?': str,
    'apiSecret?': str,
    method: str,
    'room?': str,
    'destinationRoom?': str,
    'identity?': str,
    'ttlSeconds?': nonNegInt,
  },
  replayStream: { ...TARGET, bytes, 'framing?': framing, 'maxMessages?': nonNegInt },
  replayHistoryList: { 'limit?': nonNegInt },
  replayHistoryClear: {},
  replaySecretSet: { name: str, value: str },
  replaySecretList: {},
  replaySecretDelete: { name: str },
  replayMockStart: {
    'port?': port,
    'grpcPort?': port,
    'fixtureJson?': str,
    'fixtureFile?': str,
    'apiKey?': str,
    'secretName?': str,
    'apiSecret?': str,
  },
  replayMockStop: {},
  replayMockStatus: {},
  replayMockSetAnswer: { target: str, answer: mockAnswer },
  replayEvents: { since: (v) => typeof v === 'number' && Number.isSafeInteger(v) },
  choosePaths: { purpose: oneOf('tls-ca', 'tls-cert', 'tls-key', 'mock-fixture'), kind: oneOf('file') },
};

const CHECKED: readonly string[] = [...REPLAY_METHODS, ...REPLAY_HOST_METHODS];

/** Throws a TypeError naming the problem when a replay request does not fit its method; other methods pass. */
export function checkReplayRequest(method: string, request: unknown): void {
  if (!CHECKED.includes(method)) return;
  const p = problem(REPLAY_REQUEST_SPECS[method as keyof typeof REPLAY_REQUEST_SPECS], request);
  if (p) throw new TypeError(`${method}: ${p}`);
}
