/**
 * Good and abusive unary requests for every wire format the mock serves, and the answer each
 * deserves. Shared by the table test (core-node/mock/mock-abuse.test.ts) and the load test (mock-load-test.ts).
 * Requests are built by hand (node:http, node:http2, grpc-js with identity serializers) so a
 * broken body or header reaches the mock exactly as written.
 */
import { Agent, request as httpRequest } from 'node:http';
import { connect as http2Connect, type ClientHttp2Session } from 'node:http2';
import * as grpc from '@grpc/grpc-js';
import { mintLiveKitToken } from '../core-node/livekit/access-token';
import { GRPC_CODE_NAMES } from '../core/api/vocabulary';

/** A wire format: transport plus message encoding. */
export type Wire = 'twirp' | 'twirp-json' | 'connect' | 'connect-json' | 'grpc-web' | 'grpc-web-text' | 'grpc';

/** Every wire format. */
export const WIRES: readonly Wire[] = ['twirp', 'twirp-json', 'connect', 'connect-json', 'grpc-web', 'grpc-web-text', 'grpc'];

/** A kind of request: one good one and the abuses. */
export type Abuse =
  'good' | 'malformed' | 'wrong-content-type' | 'oversized' | 'bad-token' | 'expired-token' | 'unknown-method' | 'unknown-service';

/** Every kind of request. */
export const ABUSES: readonly Abuse[] = [
  'good',
  'malformed',
  'wrong-content-type',
  'oversized',
  'bad-token',
  'expired-token',
  'unknown-method',
  'unknown-service',
];

/**
 * What came back: HTTP status (absent for gRPC) and the code a client reads: the Twirp code
 * (from the JSON body, or the spec's mapping of an intermediary's status), the Connect code from
 * the JSON body, grpc-status as a code name; "ok" for a success; "http_415" for a bare status.
 */
export interface Outcome {
  httpStatus?: number;
  code: string;
}

const TWIRP = {
  good: [200, 'ok'],
  malformed: [400, 'malformed'],
  'wrong-content-type': [404, 'bad_route'],
  oversized: [429, 'resource_exhausted'],
  'bad-token': [401, 'unauthenticated'],
  'expired-token': [401, 'unauthenticated'],
  'unknown-method': [404, 'bad_route'],
  'unknown-service': [404, 'bad_route'],
} as const;
const CONNECT = {
  good: [200, 'ok'],
  malformed: [400, 'invalid_argument'],
  'wrong-content-type': [415, 'http_415'],
  oversized: [429, 'resource_exhausted'],
  'bad-token': [401, 'unauthenticated'],
  'expired-token': [401, 'unauthenticated'],
  'unknown-method': [404, 'unimplemented'],
  'unknown-service': [404, 'unimplemented'],
} as const;
const GRPC_WEB = {
  good: [200, 'ok'],
  malformed: [200, 'invalid_argument'],
  'wrong-content-type': [415, 'http_415'],
  oversized: [200, 'resource_exhausted'],
  'bad-token': [200, 'unauthenticated'],
  'expired-token': [200, 'unauthenticated'],
  'unknown-method': [200, 'unimplemented'],
  'unknown-service': [200, 'unimplemented'],
} as const;
const GRPC = {
  good: 'ok',
  malformed: 'invalid_argument',
  'wrong-content-type': 'http_415',
  oversized: 'resource_exhausted',
  'bad-token': 'unauthenticated',
  'expired-token': 'unauthenticated',
  'unknown-method': 'unimplemented',
  'unknown-service': 'unimplemented',
} as const;

/** The answer each request deserves, by wire format and kind (the table in README.md). */
export function expectedOutcome(wire: Wire, abuse: Abuse): Outcome {
  if (wire === 'grpc') return { code: GRPC[abuse], ...(abuse === 'wrong-content-type' ? { httpStatus: 415 } : {}) };
  const [httpStatus, code] = (wire.startsWith('twirp') ? TWIRP : wire.startsWith('connect') ? CONNECT : GRPC_WEB)[abuse];
  return { httpStatus, code };
}

/** True for an answer that is the server's fault: HTTP 5xx, or unknown / internal / data_loss. */
export function isServerError(o: Outcome): boolean {
  return (o.httpStatus ?? 0) >= 500 || ['unknown', 'internal', 'data_loss', 'dataloss', 'transport'].includes(o.code);
}

/** Sends abusive and good requests to one mock; keeps its connections open until close(). */
export class AbuseClient {
  private readonly agent: Agent;
  private readonly grpcClient: grpc.Client;
  private h2?: ClientHttp2Session;

  private constructor(
    readonly httpUrl: string,
    readonly grpcUrl: string,
    readonly maxRequestBytes: number,
    private readonly goodToken: string,
    private readonly expiredToken: string,
    maxSockets: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
    this.grpcClient = new grpc.Client(new URL(grpcUrl).host, grpc.credentials.createInsecure());
  }

  /** A client for the mock at these URLs (LiveKit key and secret as the mock's, default devkey / secret). */
  static async create(opts: {
    httpUrl: string;
    grpcUrl: string;
    maxRequestBytes: number;
    apiKey?: string;
    apiSecret?: string;
    maxSockets?: number;
  }): Promise<AbuseClient> {
    const key = { apiKey: opts.apiKey ?? 'devkey', apiSecret: opts.apiSecret ?? 'secret' };
    const goodToken = await mintLiveKitToken({ ...key, grant: { roomList: true }, ttl: 3600 });
    const expiredToken = await mintLiveKitToken({
      ...key,
      grant: { roomList: true },
      ttl: 600,
      now: new Date(Date.now() - 2 * 3600 * 1000),
    });
    return new AbuseClient(opts.httpUrl, opts.grpcUrl, opts.maxRequestBytes, goodToken, expiredToken, opts.maxSockets ?? 16);
  }

  /** Sends one request of this kind in this wire format and reads what came back. */
  async send(wire: Wire, abuse: Abuse): Promise<Outcome> {
    const service = abuse === 'unknown-service' ? 'no.such.Service' : 'livekit.RoomService';
    const method = abuse === 'unknown-method' ? 'NoSuchMethod' : 'ListRooms';
    const token = abuse === 'bad-token' ? 'not.a.jwt' : abuse === 'expired-token' ? this.expiredToken : this.goodToken;
    const json = wire.endsWith('json');
    let message: Uint8Array;
    if (abuse === 'malformed') {
      message = json ? new TextEncoder().encode('{"names": [') : Uint8Array.of(0x0a, 0x05, 0x61); // repeated string names = 1, length 5, 1 byte there
    } else if (abuse === 'oversized') {
      message = new Uint8Array(this.maxRequestBytes + 1);
      if (json) message.fill(0x20); // spaces: valid JSON padding, only the size is wrong
    } else {
      message = json ? new TextEncoder().encode('{}') : new Uint8Array(); // ListRoomsRequest {}
    }
    if (wire === 'grpc')
      return abuse === 'wrong-content-type' ? this.sendH2WrongContentType(service, method) : this.sendGrpc(service, method, token, message);

    let path = `/${service}/${method}`;
    let contentType: string;
    let body: Uint8Array = message;
    if (wire === 'twirp' || wire === 'twirp-json') {
      path = `/twirp${path}`;
      contentType = json ? 'application/json' : 'application/protobuf';
    } else if (wire === 'connect' || wire === 'connect-json') {
      contentType = json ? 'application/json' : 'application/proto';
    } else {
      contentType = wire === 'grpc-web-text' ? 'application/grpc-web-text+proto' : 'application/grpc-web+proto';
      const frame = Buffer.alloc(5 + message.length);
      frame.writeUInt32BE(message.length, 1);
      frame.set(message, 5);
      body = wire === 'grpc-web-text' ? Buffer.from(frame.toString('base64')) : frame;
    }
    if (abuse === 'wrong-content-type') contentType = 'text/plain';
    const res = await this.post(path, { 'content-type': contentType, authorization: `Bearer ${token}` }, body);
    return classifyHttp(wire, res);
  }

  private post(
    path: string,
    headers: Record<string, string>,
    body: Uint8Array,
  ): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        `${this.httpUrl}${path}`,
        { method: 'POST', agent: this.agent, headers: { ...headers, 'content-length': String(body.length) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error('no answer in 30 s')));
      req.on('error', reject);
      req.end(body);
    });
  }

  private sendGrpc(service: string, method: string, token: string, message: Uint8Array): Promise<Outcome> {
    const md = new grpc.Metadata();
    md.set('authorization', `Bearer ${token}`);
    const ident = (b: Buffer): Buffer => b;
    return new Promise((resolve) => {
      this.grpcClient.makeUnaryRequest(
        `/${service}/${method}`,
        ident,
        ident,
        Buffer.from(message),
        md,
        { deadline: Date.now() + 30_000 },
        (err) => {
          resolve({ code: err ? (GRPC_CODE_NAMES[err.code] ?? String(err.code)) : 'ok' });
        },
      );
    });
  }

  /** gRPC with a content type that is not application/grpc (grpc-js answers HTTP 415 itself). */
  private sendH2WrongContentType(service: string, method: string): Promise<Outcome> {
    this.h2 ??= http2Connect(this.grpcUrl);
    const h2 = this.h2;
    return new Promise((resolve, reject) => {
      const st = h2.request({ ':method': 'POST', ':path': `/${service}/${method}`, 'content-type': 'text/plain', te: 'trailers' });
      let outcome: Outcome = { code: 'transport' };
      st.on('response', (h) => {
        const status = Number(h[':status']);
        const gs = h['grpc-status'];
        outcome = { httpStatus: status, code: gs !== undefined ? (GRPC_CODE_NAMES[Number(gs)] ?? String(gs)) : `http_${status}` };
      });
      st.on('data', () => undefined);
      st.on('close', () => resolve(outcome));
      st.on('error', reject);
      st.end(Buffer.alloc(5));
    });
  }

  /** Closes every connection. */
  close(): void {
    this.agent.destroy();
    this.grpcClient.close();
    this.h2?.close();
  }
}

/** Reads an HTTP answer the way a client of that wire format does. */
function classifyHttp(wire: Wire, res: { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }): Outcome {
  const ct = String(res.headers['content-type'] ?? '');
  if (wire.startsWith('grpc-web') && res.status === 200) {
    let buf = res.body;
    if (/grpc-web-text/i.test(ct)) buf = Buffer.from(buf.toString('latin1'), 'base64');
    let status: string | undefined;
    for (let pos = 0; pos + 5 <= buf.length;) {
      const len = buf.readUInt32BE(pos + 1);
      if (buf[pos] & 0x80) status = /grpc-status:\s*(\d+)/i.exec(buf.subarray(pos + 5, pos + 5 + len).toString('latin1'))?.[1];
      pos += 5 + len;
    }
    return { httpStatus: 200, code: status === undefined ? 'unknown' : (GRPC_CODE_NAMES[Number(status)] ?? status) };
  }
  if (res.status === 200) return { httpStatus: 200, code: 'ok' };
  if (/^application\/json/i.test(ct)) {
    try {
      const j = JSON.parse(res.body.toString('utf8')) as { code?: string };
      if (j.code) return { httpStatus: res.status, code: j.code };
    } catch {
      // not JSON after all
    }
  }
  if (wire.startsWith('twirp')) {
    // The Twirp spec's mapping of a status from an intermediary (livekit-server's auth middleware).
    const code =
      res.status === 401
        ? 'unauthenticated'
        : res.status === 403
          ? 'permission_denied'
          : res.status === 404
            ? 'bad_route'
            : [429, 502, 503, 504].includes(res.status)
              ? 'unavailable'
              : 'unknown';
    return { httpStatus: res.status, code };
  }
  return { httpStatus: res.status, code: `http_${res.status}` };
}
