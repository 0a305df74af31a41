/**
 * The mock's gRPC port: every method of the loaded services (unary, server-, client- and
 * bidi-streaming) over @grpc/grpc-js, bytes passed through to the dispatcher.
 */
import { constants as http2Constants, type ServerHttp2Stream } from 'node:http2';
import type { Readable } from 'node:stream';
import * as grpc from '@grpc/grpc-js';
import type { Root, Service } from 'protobufjs';
import { addReflectionService } from './mock-reflection';

const REFLECTION_SERVICES = new Set(['grpc.reflection.v1.ServerReflection', 'grpc.reflection.v1alpha.ServerReflection']);
import { encodeRpcStatus } from '../rpc/rpc-status';
import { toMockError } from './mock-errors';
import type { MockCall, MockStreamCall } from './mock-service';

/**
 * gRPC: a call whose request (message and half-close; for a stream, its next message or its
 * half-close) is not in within `timeoutMs` is ended with DEADLINE_EXCEEDED (a client that sends headers, then stalls or trickles). The status alone
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
              .withOnReceiveMessage((message, n) => {
                // A stream's messages each restart the clock: the timeout bounds a silence, not a long stream.
                timer?.refresh();
                n(message);
              })
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

/**
 * grpc-js hands a message whose compressed flag is set but whose call names no grpc-encoding (or
 * identity) to the handler as it is (a gzip stream read as protobuf: INVALID_ARGUMENT); the gRPC
 * spec makes that INTERNAL. This interceptor reads the frame headers off the call's HTTP/2 stream
 * (grpc-js exposes it on the base call as `stream`, its encoding as `incomingEncoding`; both are
 * skipped if a release renames them) and ends such a call with INTERNAL.
 */
function compressedFlagInterceptor(): grpc.ServerInterceptor {
  return (_method, call) =>
    new grpc.ServerInterceptingCall(
      call,
      new grpc.ResponderBuilder()
        .withStart((next) => {
          // The base call is at the end of the chain of intercepting calls (`nextCall`).
          type Base = { stream?: Partial<ServerHttp2Stream>; incomingEncoding?: string; nextCall?: Base };
          let base = call as unknown as Base;
          for (let i = 0; i < 8 && !base.stream && base.nextCall; i++) base = base.nextCall;
          const stream = base.stream;
          if (typeof stream?.on === 'function') {
            let need = 0; // payload bytes of the current frame still to come
            let head = Buffer.alloc(0);
            const onData = (chunk: Buffer): void => {
              let pos = 0;
              while (pos < chunk.length) {
                if (need > 0) {
                  const take = Math.min(need, chunk.length - pos);
                  need -= take;
                  pos += take;
                  continue;
                }
                const take = Math.min(5 - head.length, chunk.length - pos);
                head = Buffer.concat([head, chunk.subarray(pos, pos + take)]);
                pos += take;
                if (head.length < 5) return;
                const encoding = base.incomingEncoding ?? 'identity';
                if (head[0] & 1 && encoding === 'identity') {
                  stream.off?.('data', onData);
                  call.sendStatus({
                    code: grpc.status.INTERNAL,
                    details: 'a message is marked compressed, but the call names no grpc-encoding',
                    metadata: new grpc.Metadata(),
                  });
                  return;
                }
                need = head.readUInt32BE(1);
                head = Buffer.alloc(0);
              }
            };
            stream.on('data', onData);
          }
          next();
        })
        .build(),
    );
}

/** Concurrent calls (HTTP/2 streams) one client connection may hold on the gRPC port. */
export const MAX_CONCURRENT_STREAMS = 100;

/** What startGrpcServer needs. */
export interface GrpcServerOptions {
  /** The loaded schemas (served by reflection). */
  root: Root;
  services: readonly Service[];
  run: MockCall;
  runStream: MockStreamCall;
  host: string;
  port: number;
  maxBytes: number;
  requestTimeoutMs: number;
  tls?: { certPem: string; keyPem: string; clientCaPem?: string };
}

/** Starts the gRPC server; resolves with it and its port once it listens. */
export async function startGrpcServer(opts: GrpcServerOptions): Promise<{ server: grpc.Server; port: number }> {
  const { run, runStream, host, maxBytes, requestTimeoutMs, tls } = opts;
  const grpcServer = new grpc.Server({
    'grpc.max_receive_message_length': maxBytes,
    // HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS: one connection holds at most this many calls (grpc-js
    // leaves it unlimited, 2^32-1), as common servers (grpc-go, nginx, envoy) cap it at 100.
    'grpc.max_concurrent_streams': MAX_CONCURRENT_STREAMS,
    interceptors: [requestTimeoutInterceptor(requestTimeoutMs), compressedFlagInterceptor()],
  });
  const ident = (b: Buffer): Buffer => b;
  const metadataOf = (md: grpc.Metadata): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(md.getMap())) out[k.toLowerCase()] = typeof v === 'string' ? v : Buffer.from(v).toString('base64');
    return out;
  };
  /** A MockError as the status grpc-js sends, google.rpc.Status in grpc-status-details-bin. */
  const statusOf = (e: unknown): Partial<grpc.StatusObject> & { code: grpc.status } => {
    const err = toMockError(e);
    const trailer = new grpc.Metadata();
    trailer.set('grpc-status-details-bin', Buffer.from(encodeRpcStatus(err.grpcCode, err.message, err.details)));
    return { code: err.grpcCode, details: err.message, metadata: trailer };
  };
  /**
   * A call's incoming messages as an async iterable of bytes. Iterated without destroying the call at
   * the end (a stream's default): a bidi call still has its answers and its status to write.
   */
  const messagesOf = async function* (call: Readable): AsyncGenerator<Uint8Array> {
    for await (const m of call.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) yield new Uint8Array(m);
  };
  // Reflection (v1 and v1alpha) for what the mock loaded; it answers those two services itself.
  addReflectionService(grpcServer, opts.root);
  for (const svc of opts.services) {
    if (REFLECTION_SERVICES.has(svc.fullName.slice(1))) continue;
    const def: Record<string, grpc.MethodDefinition<Buffer, Buffer>> = {};
    const impl: grpc.UntypedServiceImplementation = {};
    const svcName = svc.fullName.slice(1);
    for (const method of svc.methodsArray) {
      const requestStream = !!method.requestStream;
      const responseStream = !!method.responseStream;
      def[method.name] = {
        path: `/${svcName}/${method.name}`,
        requestStream,
        responseStream,
        requestSerialize: ident,
        requestDeserialize: ident,
        responseSerialize: ident,
        responseDeserialize: ident,
      };
      const name = method.name;
      if (!requestStream && !responseStream) {
        impl[name] = (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
          run('grpc', svcName, name, metadataOf(call.metadata), new Uint8Array(call.request), false).then(
            (out) => callback(null, Buffer.from(out)),
            (e: unknown) => callback(statusOf(e)),
          );
        };
      } else if (!requestStream) {
        impl[name] = (call: grpc.ServerWritableStream<Buffer, Buffer>) => {
          const one = (async function* () {
            yield new Uint8Array(call.request);
          })();
          runStream('grpc', svcName, name, metadataOf(call.metadata), false, one, (b) => {
            call.write(Buffer.from(b));
          }).then(
            () => call.end(),
            (e: unknown) => call.emit('error', statusOf(e)),
          );
        };
      } else if (!responseStream) {
        impl[name] = (call: grpc.ServerReadableStream<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
          let response: Buffer | undefined;
          runStream('grpc', svcName, name, metadataOf(call.metadata), false, messagesOf(call), (b) => {
            response = Buffer.from(b);
          }).then(
            () => callback(null, response ?? Buffer.alloc(0)),
            (e: unknown) => callback(statusOf(e)),
          );
        };
      } else {
        impl[name] = (call: grpc.ServerDuplexStream<Buffer, Buffer>) => {
          runStream('grpc', svcName, name, metadataOf(call.metadata), false, messagesOf(call), (b) => {
            call.write(Buffer.from(b));
          }).then(
            () => call.end(),
            (e: unknown) => call.emit('error', statusOf(e)),
          );
        };
      }
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
