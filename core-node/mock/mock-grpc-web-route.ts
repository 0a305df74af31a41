/**
 * The mock's gRPC-Web route on /<pkg.Service>/<Method> (binary and text, +proto and +json): unary and
 * server-streaming calls (gRPC-Web has no client or bidi streaming: those are UNIMPLEMENTED). The
 * answer is HTTP 200 with data frames, then a trailer frame with grpc-status, grpc-message and
 * grpc-status-details-bin. When the request says grpc-accept-encoding: gzip, data frames are gzipped
 * and grpc-encoding says so (as grpc-go and connect-go do). A compressed request frame needs
 * grpc-encoding: gzip (another encoding is UNIMPLEMENTED, none is INTERNAL, per the gRPC spec).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { encodeRpcStatus } from '../rpc/rpc-status';
import { ENVELOPE_COMPRESSED, GRPC_WEB_TRAILERS, envelope } from '../rpc/envelope';
import { MockError, toMockError } from './mock-errors';
import { CORS, percentEncode, requestEnvelopes } from './mock-route-common';
import type { CallKind, MockCall, MockStreamCall } from './mock-service';

/** What the gRPC-Web route needs. */
export interface GrpcWebRouteContext {
  run: MockCall;
  runStream: MockStreamCall;
  kindOf(service: string, method: string): CallKind | undefined;
  maxBytes: number;
  requestTimeoutMs: number;
}

/** The trailer frame of a status. */
function trailerFrame(status: number, message: string, details?: Uint8Array): Buffer {
  let text = `grpc-status: ${status}\r\ngrpc-message: ${percentEncode(message)}\r\n`;
  if (details) text += `grpc-status-details-bin: ${Buffer.from(details).toString('base64').replace(/=+$/, '')}\r\n`;
  return envelope(GRPC_WEB_TRAILERS, Buffer.from(text, 'latin1'));
}

/** The handler of gRPC-Web requests (the caller has matched the path and content type). */
export function createGrpcWebRoute(ctx: GrpcWebRouteContext) {
  return async (
    req: IncomingMessage,
    res: ServerResponse,
    service: string,
    method: string,
    headers: Record<string, string>,
    ct: string,
  ): Promise<void> => {
    const text = /grpc-web-text/i.test(ct);
    const json = /\+json/i.test(ct);
    const gzip = /(^|,)\s*gzip\s*(,|$)/i.test(headers['grpc-accept-encoding'] ?? '');
    res.setHeader('content-type', `application/grpc-web${text ? '-text' : ''}+${json ? 'json' : 'proto'}`);
    if (gzip) res.setHeader('grpc-encoding', 'gzip');
    for (const [k, v] of Object.entries(CORS)) res.setHeader(k, v);
    res.writeHead(200);
    // The text variant is the base64 of the whole answer: bytes that do not fill a 3-byte group wait
    // for the next frame, so the answer is one base64 text however it is chunked.
    let carry = Buffer.alloc(0);
    const encodeText = (frame: Buffer, last: boolean): Buffer => {
      const all = Buffer.concat([carry, frame]);
      const cut = last ? all.length : all.length - (all.length % 3);
      carry = all.subarray(cut);
      return Buffer.from(all.subarray(0, cut).toString('base64'));
    };
    const write = (frame: Buffer): void => {
      res.write(text ? encodeText(frame, false) : frame);
    };
    const dataFrame = (body: Uint8Array): Buffer => (gzip ? envelope(ENVELOPE_COMPRESSED, gzipSync(body)) : envelope(0, body));
    let trailer: Buffer;
    try {
      const kind = ctx.kindOf(service, method);
      if (kind === 'client-stream' || kind === 'bidi')
        throw new MockError(
          'unimplemented',
          `${service}/${method} is a ${kind} method: gRPC-Web carries unary and server-streaming calls only`,
        );
      const requests = requestEnvelopes(req, res, {
        maxBytes: ctx.maxBytes,
        idleMs: ctx.requestTimeoutMs,
        encoding: headers['grpc-encoding'],
        text,
      });
      if (kind === 'server-stream') {
        await ctx.runStream('grpc-web', service, method, headers, json, requests, (body) => write(dataFrame(body)));
      } else {
        let msg: Uint8Array | undefined;
        for await (const m of requests) msg ??= m;
        if (!msg) throw new MockError('malformed', 'gRPC-Web request has no message frame');
        write(dataFrame(await ctx.run('grpc-web', service, method, headers, msg, json)));
      }
      trailer = trailerFrame(0, '');
    } catch (e) {
      const err = toMockError(e);
      trailer = trailerFrame(err.grpcCode, err.message, encodeRpcStatus(err.grpcCode, err.message, err.details));
    }
    res.end(text ? encodeText(trailer, true) : trailer);
  };
}
