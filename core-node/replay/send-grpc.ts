/** gRPC over @grpc/grpc-js, with a channel kept per target and TLS settings. */
import * as grpc from '@grpc/grpc-js';
import type { Type } from 'protobufjs';
import { DEFAULT_MAX_MESSAGE_BYTES, type TlsOptions } from './http-client';
import { answerOf, grpcError } from './decode-answer';
import { redactHeaders } from './redact';
import type { CallKind } from '../rpc/service-method';
import type { SendBase, SendOptions, SendResult } from './send-types';

function grpcCredentials(url: URL, tls: TlsOptions | undefined): grpc.ChannelCredentials {
  if (url.protocol === 'http:') return grpc.credentials.createInsecure();
  return grpc.credentials.createSsl(
    tls?.caPem ? Buffer.from(tls.caPem) : null,
    tls?.keyPem ? Buffer.from(tls.keyPem) : null,
    tls?.certPem ? Buffer.from(tls.certPem) : null,
    // --insecure: neither the chain (a self-signed staging server) nor the name is checked.
    tls?.insecureSkipVerify ? { rejectUnauthorized: false, checkServerIdentity: () => undefined } : {},
  );
}

/** A gRPC channel shared by the sends to one target with the same TLS settings. */
interface CachedChannel {
  client: grpc.Client;
  key: string;
  /** Sends in flight on it. */
  calls: number;
  /** Closes it after GRPC_IDLE_MS without sends. */
  timer?: ReturnType<typeof setTimeout>;
  /** Out of the cache (its connection is suspect): closed once its last send ends. */
  retired?: boolean;
}
const grpcChannels = new Map<string, CachedChannel>();
const GRPC_IDLE_MS = 15000;

/**
 * The channel for a send: the cached one for the target and TLS settings, unless it is failing
 * (TRANSIENT_FAILURE: it would fail the send from its reconnect back-off), else a new one.
 */
function acquireGrpcChannel(target: string, url: URL, tls: TlsOptions | undefined, maxMessageBytes: number): CachedChannel {
  const key = JSON.stringify([url.protocol, target, tls ?? null, maxMessageBytes]);
  let c = grpcChannels.get(key);
  if (c && c.client.getChannel().getConnectivityState(false) === grpc.connectivityState.TRANSIENT_FAILURE) {
    retireGrpcChannel(c);
    c = undefined;
  }
  if (!c) {
    c = {
      client: new grpc.Client(target, grpcCredentials(url, tls), {
        // grpc-js caps received messages at 4 MiB; every transport here allows the same size.
        'grpc.max_receive_message_length': maxMessageBytes,
        'grpc.max_send_message_length': maxMessageBytes,
      }),
      key,
      calls: 0,
    };
    grpcChannels.set(key, c);
  }
  clearTimeout(c.timer);
  c.timer = undefined;
  c.calls++;
  return c;
}

/** Takes a channel out of the cache; it closes when its last send ends. */
function retireGrpcChannel(c: CachedChannel): void {
  if (grpcChannels.get(c.key) === c) grpcChannels.delete(c.key);
  c.retired = true;
  if (c.calls === 0) c.client.close();
}

/**
 * Ends a send on a channel. A send that ran out of time or found the server unavailable retires
 * the channel: its connection may be one the server will never answer on (grpc-js waits for the
 * HTTP/2 settings of a connection without a timeout of its own) or one in reconnect back-off,
 * and the next send should connect afresh. Otherwise the channel stays for GRPC_IDLE_MS.
 */
function releaseGrpcChannel(c: CachedChannel, code: grpc.status): void {
  c.calls--;
  if (code === grpc.status.DEADLINE_EXCEEDED || code === grpc.status.UNAVAILABLE) retireGrpcChannel(c);
  else if (c.calls > 0) return;
  else if (c.retired) c.client.close();
  else {
    c.timer = setTimeout(() => retireGrpcChannel(c), GRPC_IDLE_MS);
    c.timer.unref?.();
  }
}

/** Closes the cached gRPC channels (tests, shutdown). */
export function closeGrpcClients(): void {
  for (const c of grpcChannels.values()) {
    clearTimeout(c.timer);
    c.client.close();
  }
  grpcChannels.clear();
}

function metadataPairs(md: grpc.Metadata): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(md.getMap())) out.push([k, typeof v === 'string' ? v : Buffer.from(v).toString('base64')]);
  return out;
}

/** Sends over gRPC: a unary call, or a stream of `opts.requests` (server, client or bidi streaming). */
export async function sendGrpc(
  opts: SendOptions,
  service: string,
  method: string,
  kind: CallKind,
  responseType: Type,
  headers: [string, string][],
  base: SendBase,
): Promise<SendResult> {
  const url = new URL(opts.url);
  const target = `${url.hostname.includes(':') ? `[${url.hostname}]` : url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
  const channel = acquireGrpcChannel(target, url, opts.tls, opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES);
  const md = new grpc.Metadata();
  for (const [k, v] of headers) md.add(k.toLowerCase(), v);
  const path = `/${service}/${method}`;
  const ident = (b: Buffer): Buffer => b;
  const requests = (opts.requests ?? [opts.body]).map((r) => Buffer.from(r));
  const t0 = performance.now();
  let code: grpc.status = grpc.status.UNKNOWN;
  try {
    return await new Promise<SendResult>((resolve) => {
      let respHeaders: [string, string][] = [];
      const messages: Uint8Array[] = [];
      // Unary and client-streaming calls answer through a callback too; it and the status are both awaited.
      let callbackDone = kind === 'server-stream' || kind === 'bidi';
      let callbackError: grpc.ServiceError | null = null;
      let status: grpc.StatusObject | undefined;
      const onMessage = (b: Buffer): void => {
        const bytes = new Uint8Array(b);
        messages.push(bytes);
        opts.onMessage?.(messages.length - 1, bytes);
      };
      const onCallback = (err: grpc.ServiceError | null, value?: Buffer): void => {
        callbackError = err;
        if (!err && value) onMessage(value);
        callbackDone = true;
        finish();
      };
      const finish = (): void => {
        if (!callbackDone || !status) return;
        const common = {
          ...base,
          target: `${opts.url.replace(/\/+$/, '')}${path}`,
          headers: respHeaders,
          trailers: metadataPairs(status.metadata),
          timeMs: performance.now() - t0,
          requestHeaders: redactHeaders(headers),
        };
        const answers = answerOf(responseType, kind, messages);
        if (status.code === grpc.status.OK && !callbackError) {
          resolve({ ...common, ok: true, ...answers });
          return;
        }
        const e = callbackError ?? ({ code: status.code, details: status.details, metadata: status.metadata } as grpc.ServiceError);
        const det = e.metadata?.get('grpc-status-details-bin')[0];
        // grpc-js's own deadline: say which timeout ran out ("Deadline exceeded after 0.301s" alone does not).
        const ownDeadline = e.code === grpc.status.DEADLINE_EXCEEDED && opts.timeoutMs && common.timeMs >= opts.timeoutMs - 5;
        const message = ownDeadline ? `no response within ${opts.timeoutMs} ms (timed out: ${e.details})` : e.details;
        resolve({
          ...common,
          ok: false,
          ...(kind === 'unary' ? {} : answers),
          error: grpcError(opts.root, e.code, message, det ? new Uint8Array(det as Buffer) : undefined),
        });
      };
      const callOptions = opts.timeoutMs ? { deadline: Date.now() + opts.timeoutMs } : {};
      const c = channel.client;
      let call:
        | grpc.ClientUnaryCall
        | grpc.ClientReadableStream<Buffer>
        | grpc.ClientWritableStream<Buffer>
        | grpc.ClientDuplexStream<Buffer, Buffer>;
      if (kind === 'unary') call = c.makeUnaryRequest(path, ident, ident, requests[0] ?? Buffer.alloc(0), md, callOptions, onCallback);
      else if (kind === 'server-stream')
        call = c.makeServerStreamRequest(path, ident, ident, requests[0] ?? Buffer.alloc(0), md, callOptions);
      else if (kind === 'client-stream') call = c.makeClientStreamRequest(path, ident, ident, md, callOptions, onCallback);
      else call = c.makeBidiStreamRequest(path, ident, ident, md, callOptions);
      if (kind === 'server-stream' || kind === 'bidi') {
        (call as grpc.ClientReadableStream<Buffer>).on('data', onMessage);
        // The status says how the call ended; the stream's own 'error' repeats it.
        (call as grpc.ClientReadableStream<Buffer>).on('error', () => undefined);
      }
      if (kind === 'client-stream' || kind === 'bidi') {
        const w = call as grpc.ClientWritableStream<Buffer>;
        for (const r of requests) w.write(r);
        w.end();
      }
      call.on('metadata', (m: grpc.Metadata) => {
        respHeaders = metadataPairs(m);
      });
      if (opts.signal?.aborted) call.cancel();
      else opts.signal?.addEventListener('abort', () => call.cancel(), { once: true });
      call.on('status', (s: grpc.StatusObject) => {
        status = s;
        code = s.code;
        finish();
      });
    });
  } finally {
    releaseGrpcChannel(channel, code);
  }
}
