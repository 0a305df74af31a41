/**
 * Independent servers of test.echo.v1.Echo for round-trip tests: connect-node (Connect, gRPC and
 * gRPC-Web on one handler, over HTTP/2 in the clear and over HTTP/1.1) and grpc-js. Both answer
 * the same way: Get and Say echo the text; Expand answers `count` messages "text #i"; Collect joins
 * every text with "+"; Chat echoes each message with its index. A text of "fail" is INVALID_ARGUMENT
 * "you asked for it". And a grpc-js server with @grpc/reflection, an independent reflection server.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttp2Server, type Http2Server } from 'node:http2';
import { createRegistryFromDescriptors, type AnyMessage, type MessageType, type ServiceType } from '@bufbuild/protobuf';
import { Code, ConnectError, type ConnectRouter } from '@connectrpc/connect';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import type { EchoFiles } from './echo-service';

interface EchoReq {
  text?: string;
  count?: number;
}

/** The Echo service and its message types, from protoc's descriptor set (for connect-node clients and servers). */
export function echoTypes(files: EchoFiles): {
  Echo: ServiceType;
  EchoRequest: MessageType<AnyMessage>;
  EchoResponse: MessageType<AnyMessage>;
} {
  const registry = createRegistryFromDescriptors(files.descriptorSet);
  return {
    Echo: registry.findService('test.echo.v1.Echo')!,
    EchoRequest: registry.findMessage('test.echo.v1.EchoRequest')!,
    EchoResponse: registry.findMessage('test.echo.v1.EchoResponse')!,
  };
}

/** A running referee server: its base URL, and how to stop it. */
export interface Referee {
  url: string;
  close(): Promise<void>;
}

/** connect-node serving Echo (Connect, gRPC, gRPC-Web); `http2` h2c, else HTTP/1.1 (no gRPC, no bidi there). */
export async function startConnectReferee(files: EchoFiles, http2: boolean): Promise<Referee> {
  const { Echo, EchoResponse } = echoTypes(files);
  const check = (r: EchoReq): void => {
    if (r.text === 'fail') throw new ConnectError('you asked for it', Code.InvalidArgument);
  };
  const routes = (router: ConnectRouter): void => {
    router.service(Echo, {
      get: (req: AnyMessage & EchoReq) => {
        check(req);
        return new EchoResponse({ text: req.text });
      },
      say: (req: AnyMessage & EchoReq) => {
        check(req);
        return new EchoResponse({ text: req.text });
      },
      async *expand(req: AnyMessage & EchoReq) {
        check(req);
        for (let i = 0; i < (req.count ?? 0); i++) yield new EchoResponse({ text: `${req.text} #${i}`, index: i });
      },
      async collect(reqs: AsyncIterable<AnyMessage & EchoReq>) {
        const texts: string[] = [];
        for await (const r of reqs) {
          check(r);
          texts.push(r.text ?? '');
        }
        return new EchoResponse({ text: texts.join('+'), index: texts.length });
      },
      async *chat(reqs: AsyncIterable<AnyMessage & EchoReq>) {
        let i = 0;
        for await (const r of reqs) {
          check(r);
          yield new EchoResponse({ text: r.text, index: i++ });
        }
      },
    } as never);
  };
  const handler = connectNodeAdapter({ routes });
  const server: HttpServer | Http2Server = http2 ? createHttp2Server(handler) : createHttpServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((r) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** grpc-js serving Echo (gRPC only). */
export async function startGrpcJsReferee(files: EchoFiles): Promise<Referee> {
  const def = protoLoader.loadSync(files.protoPath, { includeDirs: [files.dir] });
  const pkg = grpc.loadPackageDefinition(def) as unknown as { test: { echo: { v1: { Echo: grpc.ServiceClientConstructor } } } };
  const server = new grpc.Server();
  const failed = (r: EchoReq): grpc.ServiceError | null =>
    r.text === 'fail'
      ? Object.assign(new Error('you asked for it'), {
          code: grpc.status.INVALID_ARGUMENT,
          details: 'you asked for it',
          metadata: new grpc.Metadata(),
        })
      : null;
  server.addService(pkg.test.echo.v1.Echo.service, {
    Get: (call: grpc.ServerUnaryCall<EchoReq, unknown>, cb: grpc.sendUnaryData<unknown>) =>
      cb(failed(call.request), { text: call.request.text }),
    Say: (call: grpc.ServerUnaryCall<EchoReq, unknown>, cb: grpc.sendUnaryData<unknown>) =>
      cb(failed(call.request), { text: call.request.text }),
    Expand: (call: grpc.ServerWritableStream<EchoReq, unknown>) => {
      const err = failed(call.request);
      if (err) return call.emit('error', err);
      for (let i = 0; i < (call.request.count ?? 0); i++) call.write({ text: `${call.request.text} #${i}`, index: i });
      call.end();
    },
    Collect: (call: grpc.ServerReadableStream<EchoReq, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      const texts: string[] = [];
      let err: grpc.ServiceError | null = null;
      call.on('data', (r: EchoReq) => {
        err ??= failed(r);
        texts.push(r.text ?? '');
      });
      call.on('end', () => cb(err, err ? undefined : { text: texts.join('+'), index: texts.length }));
    },
    Chat: (call: grpc.ServerDuplexStream<EchoReq, unknown>) => {
      let i = 0;
      call.on('data', (r: EchoReq) => {
        const err = failed(r);
        if (err) call.emit('error', err);
        else call.write({ text: r.text, index: i++ });
      });
      call.on('end', () => call.end());
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.tryShutdown(() => r())),
  };
}

/**
 * grpc-js serving Echo's Say ("said <text>") with @grpc/reflection: both versions, or v1alpha only
 * (a server a client must fall back for).
 */
export async function startReflectingEcho(files: EchoFiles, versions: 'both' | 'v1alpha'): Promise<Referee> {
  const def = protoLoader.loadSync(files.protoPath, { includeDirs: [files.dir] });
  const pkg = grpc.loadPackageDefinition(def) as unknown as { test: { echo: { v1: { Echo: grpc.ServiceClientConstructor } } } };
  const server = new grpc.Server();
  server.addService(pkg.test.echo.v1.Echo.service, {
    Say: (call: grpc.ServerUnaryCall<EchoReq, unknown>, cb: grpc.sendUnaryData<unknown>) => cb(null, { text: `said ${call.request.text}` }),
  });
  const reflection = new ReflectionService(def);
  if (versions === 'both') reflection.addToServer(server);
  else (reflection as unknown as { v1Alpha: { addToServer(s: grpc.Server): void } }).v1Alpha.addToServer(server);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  return { url: `http://127.0.0.1:${port}`, close: async () => server.forceShutdown() };
}
