/**
 * Schemas from a live server's gRPC reflection service, as grpcurl, Kreya, Postman and grpcui get
 * them: list the services, ask for the file containing each, then for every dependency not yet
 * received, over one ServerReflectionInfo stream; grpc.reflection.v1 first, v1alpha when the server
 * has only that. The answer is a FileDescriptorSet (dependencies before dependents) that a registry
 * loads like a descriptor set file.
 */
import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import type { Root } from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor.js';
import type { SchemaRegistry } from '../../core/schema/registry';
import {
  REFLECTION_V1,
  REFLECTION_V1ALPHA,
  decodeReflectionResponse,
  encodeReflectionRequest,
  fileNameAndDeps,
  type ReflectionAnswer,
  type ReflectionQuery,
} from '../rpc/reflection-wire';
import type { TlsOptions } from './http-client';

/** How to reach the reflection service. */
export interface ReflectOptions {
  tls?: TlsOptions;
  /** Metadata sent with the reflection call (an authorization header, say). */
  headers?: readonly [string, string][];
  /** Whole exchange deadline; default 15 000 ms. */
  timeoutMs?: number;
}

/** What a server's reflection gave. */
export interface ReflectedSchemas {
  /** The services the server lists (the reflection service included). */
  services: string[];
  /** A binary FileDescriptorSet of every file the services need. */
  descriptorSet: Uint8Array;
  fileCount: number;
  version: 'v1' | 'v1alpha';
}

/** A failure reading reflection, with the gRPC code when the server gave one. */
export class ReflectionError extends Error {
  override readonly name = 'ReflectionError';
  constructor(
    message: string,
    readonly grpcCode?: number,
  ) {
    super(message);
  }
}

function credentialsFor(url: URL, tls: TlsOptions | undefined): grpc.ChannelCredentials {
  if (url.protocol === 'http:') return grpc.credentials.createInsecure();
  return grpc.credentials.createSsl(
    tls?.caPem ? Buffer.from(tls.caPem) : null,
    tls?.keyPem ? Buffer.from(tls.keyPem) : null,
    tls?.certPem ? Buffer.from(tls.certPem) : null,
    tls?.insecureSkipVerify ? { rejectUnauthorized: false, checkServerIdentity: () => undefined } : {},
  );
}

/** One reflection stream: ask a question, get its answer (the protocol answers in order). */
function session(client: grpc.Client, path: string, md: grpc.Metadata, deadline: number) {
  const ident = (b: Buffer): Buffer => b;
  const call = client.makeBidiStreamRequest(path, ident, ident, md, { deadline });
  const waiting: { resolve(a: ReflectionAnswer): void; reject(e: Error): void }[] = [];
  let failure: Error | undefined;
  call.on('data', (b: Buffer) => {
    const next = waiting.shift();
    const a = decodeReflectionResponse(b);
    if (!next) return;
    if (a) next.resolve(a);
    else next.reject(new ReflectionError('a reflection answer without a response'));
  });
  call.on('error', (e: grpc.ServiceError) => {
    failure = new ReflectionError(e.details || e.message, e.code);
    for (const w of waiting.splice(0)) w.reject(failure);
  });
  call.on('end', () => {
    failure ??= new ReflectionError('the reflection stream ended early');
    for (const w of waiting.splice(0)) w.reject(failure);
  });
  return {
    ask(q: ReflectionQuery): Promise<ReflectionAnswer> {
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        waiting.push({ resolve, reject });
        call.write(Buffer.from(encodeReflectionRequest(q)));
      });
    },
    end(): void {
      call.end();
      call.cancel();
    },
  };
}

/** Reads every service's files from the reflection service at `url` (http://host:port or https://...). */
export async function reflectSchemas(url: string, opts: ReflectOptions = {}): Promise<ReflectedSchemas> {
  const u = new URL(url);
  const target = `${u.hostname.includes(':') ? `[${u.hostname}]` : u.hostname}:${u.port || (u.protocol === 'https:' ? 443 : 80)}`;
  const client = new grpc.Client(target, credentialsFor(u, opts.tls), { 'grpc.max_receive_message_length': 64 * 1024 * 1024 });
  const md = new grpc.Metadata();
  for (const [k, v] of opts.headers ?? []) md.add(k.toLowerCase(), v);
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
  try {
    for (const [path, version] of [
      [REFLECTION_V1, 'v1'],
      [REFLECTION_V1ALPHA, 'v1alpha'],
    ] as const) {
      const s = session(client, path, md, deadline);
      try {
        return { ...(await collect(s)), version };
      } catch (e) {
        // A server with only the other version answers UNIMPLEMENTED.
        if (!(e instanceof ReflectionError && e.grpcCode === grpc.status.UNIMPLEMENTED && version === 'v1')) throw e;
      } finally {
        s.end();
      }
    }
    throw new ReflectionError('unreachable');
  } finally {
    client.close();
  }
}

async function collect(s: ReturnType<typeof session>): Promise<Omit<ReflectedSchemas, 'version'>> {
  const listed = await s.ask({ listServices: '' });
  if ('error' in listed) throw new ReflectionError(`list_services: ${listed.error.message}`, listed.error.code);
  if (!('services' in listed)) throw new ReflectionError('list_services was not answered with services');
  const files = new Map<string, Uint8Array>();
  const take = (a: ReflectionAnswer, what: string): void => {
    if ('error' in a) throw new ReflectionError(`${what}: ${a.error.message}`, a.error.code);
    if (!('files' in a)) throw new ReflectionError(`${what} was not answered with files`);
    for (const f of a.files) {
      const { name } = fileNameAndDeps(f);
      if (!files.has(name)) files.set(name, f);
    }
  };
  for (const name of listed.services) {
    const answer = await s.ask({ fileContainingSymbol: name });
    // Servers list the reflection service itself but need not describe it.
    if ('error' in answer && name.startsWith('grpc.reflection.')) continue;
    take(answer, `file_containing_symbol ${name}`);
  }
  // Dependencies a server left out (servers may send only the file asked for).
  for (let missing = missingDeps(files); missing.length; missing = missingDeps(files))
    for (const dep of missing) take(await s.ask({ fileByFilename: dep }), `file_by_filename ${dep}`);
  return { services: listed.services, descriptorSet: descriptorSet(files), fileCount: files.size };
}

function missingDeps(files: Map<string, Uint8Array>): string[] {
  const out = new Set<string>();
  for (const f of files.values()) for (const d of fileNameAndDeps(f).dependencies) if (!files.has(d)) out.add(d);
  return [...out];
}

/** FileDescriptorSet { repeated FileDescriptorProto file = 1 }, each file after its dependencies. */
function descriptorSet(files: Map<string, Uint8Array>): Uint8Array {
  const order: Uint8Array[] = [];
  const done = new Set<string>();
  const visit = (name: string, seen: Set<string>): void => {
    const f = files.get(name);
    if (!f || done.has(name) || seen.has(name)) return;
    seen.add(name);
    for (const d of fileNameAndDeps(f).dependencies) visit(d, seen);
    done.add(name);
    order.push(f);
  };
  for (const name of files.keys()) visit(name, new Set());
  const w = protobuf.Writer.create();
  for (const f of order) w.uint32((1 << 3) | 2).bytes(f); // repeated FileDescriptorProto file = 1
  return w.finish();
}

interface FileLike {
  name?: string;
  package?: string;
  messageType?: { name?: string }[];
  enumType?: { name?: string }[];
  service?: { name?: string }[];
  extension?: { name?: string }[];
}

/**
 * A reflected descriptor set without what `root` already defines (types, enums, services and
 * extensions by full name), so adding it defines nothing twice; files left empty stay (others may
 * import them) and a registry skips files it has by name.
 */
export function withoutKnown(root: Root, set: Uint8Array): Uint8Array {
  const decoded = descriptor.FileDescriptorSet.decode(set) as unknown as { file: FileLike[] };
  const has = (name: string): boolean => {
    try {
      return root.lookup(name) !== null;
    } catch {
      return false;
    }
  };
  for (const f of decoded.file) {
    const full = (n: string | undefined): string => (f.package ? `${f.package}.${n}` : `${n}`);
    f.messageType = (f.messageType ?? []).filter((m) => !has(full(m.name)));
    f.enumType = (f.enumType ?? []).filter((e) => !has(full(e.name)));
    f.service = (f.service ?? []).filter((s) => !has(full(s.name)));
    f.extension = (f.extension ?? []).filter((e) => !has(full(e.name)));
  }
  return descriptor.FileDescriptorSet.encode(decoded as never).finish();
}

/**
 * Adds reflected schemas to a registry that may already hold some of them (the bundled LiveKit
 * and Kik schemas, when reflecting the mock). Returns the number of files added.
 */
export function addReflectedSchemas(registry: SchemaRegistry, set: Uint8Array, source: string): number {
  return registry.addDescriptorSet(withoutKnown(registry.root, set), source).length;
}
