/** The mock's gRPC port: every unary method of the loaded services over @grpc/grpc-js, bytes passed through. */
import { constants as http2Constants, type ServerHttp2Stream } from 'node:http2';
import * as grpc from '@grpc/grpc-js';
import type { Service } from 'protobufjs';
import { encodeRpcStatus } from '../rpc/rpc-status';
import { toMockError } from './mock-errors';
import type { MockCall } from './mock-service';

/**
 * gRPC: a call whose request (message and half-close) is not all in within `timeoutMs` is ended
 * with DEADLINE_EXCEEDED (a client that sends headers, then stalls or trickles). The status alone
 * only half-closes the HTTP/2 stream, so the stream is then reset (RST_STREAM NO_ERROR, as
 * grpc-go does) and the stalled client holds nothing. grpc-js does not expose the stream of a
 * call: it is read from the base call (`stream`), and skipped if a grpc-js release renames it.
 */
function requestTimeoutInterceptor(timeoutMs: number): grpc.ServerInterceptor {
  return (_method, call) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const clear = (): void => {
      if (timer) clearTimeout(timer);
      timer = undefined;
    };
    return new grpc.ServerInterceptingCall(
      call,
      new grpc.ResponderBuilder()
        .withStart((next) => {
          timer = setTimeout(() => {
            timer = undefined;
            call.sendStatus({
              code: grpc.status.DEADLINE_EXCEEDED,
              details: `request not received within ${timeoutMs} ms`,
              metadata: new grpc.Metadata(),
            });
            const stream = (call as unknown as { stream?: Partial<ServerHttp2Stream> }).stream;
            if (typeof stream?.close === 'function')
              setImmediate(() => {
                if (!stream.closed) stream.close?.(http2Constants.NGHTTP2_NO_ERROR);
              });
          }, timeoutMs);
          timer.unref();
          next(
            new grpc.ServerListenerBuilder()
              .withOnReceiveHalfClose((n) => {
                clear();
                n();
              })
              .withOnCancel(clear)
              .build(),
          );
        })
        .withSendStatus((status, next) => {
          clear();
          next(status);
        })
        .build(),
    );
  };
}

/** Concurrent calls (HTTP/2 streams) one client connection may hold on the gRPC port. */
export const MAX_CONCURRENT_STREAMS = 100;

/** What startGrpcServer needs. */
export interface GrpcServerOptions {
  services: readonly Service[];
  run: MockCall;
  host: string;
  port: number;
  maxBytes: number;
  requestTimeoutMs: number;
  tls?: { certPem: string; keyPem: string; clientCaPem?: string };
}

/** Starts the gRPC server; resolves with it and its port once it listens. */
export async function startGrpcServer(opts: GrpcServerOptions): Promise<{ server: grpc.Server; port: number }> {
  const { run, host, maxBytes, requestTimeoutMs, tls } = opts;
  const grpcServer = new grpc.Server({
    'grpc.max_receive_message_length': maxBytes,
    // HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS: one connection holds at most this many calls (grpc-js
    // leaves it unlimited, 2^32-1), as common servers (grpc-go, nginx, envoy) cap it at 100.
    'grpc.max_concurrent_streams': MAX_CONCURRENT_STREAMS,
    interceptors: [requestTimeoutInterceptor(requestTimeoutMs)],
  });
  const ident = (b: Buffer): Buffer => b;
  for (const svc of opts.services) {
    const def: Record<string, grpc.MethodDefinition<Buffer, Buffer>> = {};
    const impl: grpc.UntypedServiceImplementation = {};
    const svcName = svc.fullName.slice(1);
    for (const method of svc.methodsArray) {
      if (method.requestStream || method.responseStream) continue;
      def[method.name] = {
        path: `/${svcName}/${method.name}`,
        requestStream: false,
        responseStream: false,
        requestSerialize: ident,
        requestDeserialize: ident,
        responseSerialize: ident,
        responseDeserialize: ident,
      };
      impl[method.name] = (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
        const md: Record<string, string> = {};
        for (const [k, v] of Object.entries(call.metadata.getMap()))
          md[k.toLowerCase()] = typeof v === 'string' ? v : Buffer.from(v).toString('base64');
        run('grpc', svcName, method.name, md, new Uint8Array(call.request), false).then(
          (out) => callback(null, Buffer.from(out)),
          (e: unknown) => {
            const err = toMockError(e);
            const trailer = new grpc.Metadata();
            trailer.set('grpc-status-details-bin', Buffer.from(encodeRpcStatus(err.grpcCode, err.message, err.details)));
            callback({ code: err.grpcCode, details: err.message, metadata: trailer });
          },
        );
      };
    }
    if (Object.keys(def).length) grpcServer.addService(def, impl);
  }
  const grpcPort = await new Promise<number>((resolve, reject) => {
    grpcServer.bindAsync(
      `${host}:${opts.port}`,
      tls
        ? grpc.ServerCredentials.createSsl(
            tls.clientCaPem ? Buffer.from(tls.clientCaPem) : null,
            [{ private_key: Buffer.from(tls.keyPem), cert_chain: Buffer.from(tls.certPem) }],
            !!tls.clientCaPem,
          )
        : grpc.ServerCredentials.createInsecure(),
      (err, p) => (err ? reject(err) : resolve(p)),
    );
  });
  return { server: grpcServer, port: grpcPort };
}
