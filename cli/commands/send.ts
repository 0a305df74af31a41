/** `protodesk send`: sends one message to a service in any transport and prints the response as JSON. */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import { extname } from 'node:path';
import type { Type } from 'protobufjs';
import { EXIT_BAD_INPUT, EXIT_OK, InputError, UsageError, type CliIO, type Command } from '../command';
import {
  bundledPartFromArgs,
  parseCommandArgs,
  readInput,
  readInputFile,
  registryFromArgs,
  singleInput,
  SCHEMA_USAGE,
} from '../schema-options';
import type { PartialRegistry } from '../../core-node/schema/bundled-image';
import { splitMethod } from '../../core-node/rpc/service-method';
import type { CallKind } from '../../core-node/rpc/service-method';
import { resolveReplayMethod } from '../../core-node/replay/signal-target';
import { bytesToJson } from '../../core-node/rpc/proto-json';
import { stringify } from '../../core/format';
import { RequestInputError, requestMessages } from '../../core-node/replay/request-messages';
import {
  closeGrpcClients,
  sendRequest,
  transportFailure,
  type LiveKitAuth,
  type SendOptions,
  type SendResult,
} from '../../core-node/replay/send-request';
import { closeMethodNames } from '../message-type';
import { LIVEKIT_SIGNAL, TRANSPORTS, type Transport } from '../../core/api/vocabulary';
import type { TlsOptions } from '../../core-node/replay/http-client';

const USAGE = `usage: protodesk send --url URL --transport T --method pkg.Service/Method [options] [FILE|-]
       protodesk send --url ws://HOST:PORT --transport websocket [--livekit-room R] [options] [FILE|-]

Sends the message in FILE (or standard input) and prints the response as proto3 JSON.
Exit 0 on success; 1 with the decoded error as JSON {"error": {code, message, grpcCode, ...}}
(Twirp code/msg/meta, gRPC status and details) on an error response or a failed connection
(refused, TLS, timeout: the same shape on every transport), and 1 when the response does not
fit the schema (a field with the wrong wire type: the JSON is printed, each such field named
on standard error); 2 on a usage error.

options:
  --url URL               base URL: http(s)://host:port (gRPC: the gRPC port; websocket: ws(s)://)
  --transport T           ${TRANSPORTS.join(' | ')}
  --method M              pkg.Service/Method (websocket: ${LIVEKIT_SIGNAL.method}, the default)
  --header K:V            request header / gRPC metadata (repeatable)
  --type-in json|binary   input format (default: json for *.json files, else binary)
  --timeout MS            request timeout in milliseconds (default 30000)
  --livekit-key K         LiveKit API key: mint the token the method needs ...
  --livekit-secret S      ... with this secret (or env LIVEKIT_API_SECRET)
  --livekit-token T       send this LiveKit token as is
  --livekit-room R        websocket: the room the minted token joins (default demo-room)
  --livekit-identity I    websocket: the identity it joins as (default protodesk)
  --listen MS             websocket: listen this long after the last request (default 1000)
  --cacert FILE           trust these CA certificates (PEM) instead of the system ones
  --cert FILE --key FILE  client certificate and key (PEM) for mutual TLS
  --insecure              do not verify the server certificate (any transport, gRPC included)
  --max-message-bytes N   largest message sent or received (default 67108864, 64 MiB)
  --http2                 Connect / gRPC-Web / Twirp over HTTP/2 (h2c for http://)
  --http-get              Connect: send a unary call as GET (for NO_SIDE_EFFECTS methods)
  --stream                the input is a stream of messages (framing detected: varint-delimited
                          or gRPC frames), each checked to be a message of the method's input
                          type before anything is sent. To a unary method each is sent in turn,
                          its result printed as one JSON line (exit 1 when any fails); to a
                          client- or bidi-streaming method they are the request stream
  --unchecked             with --stream: send frames with fields the input type does not have
Streaming methods (gRPC and Connect; server streaming over gRPC-Web too): a server or bidi
stream prints each answer as one JSON line as it arrives; a request stream comes from --stream
or a JSON array; Connect bidi goes over HTTP/2.
websocket: a LiveKit signal connection to URL/rtc?access_token=...: each request a SignalRequest
frame, each SignalResponse received printed as one JSON line (with -v, its time on standard error).
  -v, --verbose           print status, headers, trailers and time to standard error
${SCHEMA_USAGE}`;

/** Parses "K:V" header arguments. */
function parseHeaders(list: string[] | undefined): [string, string][] {
  return (list ?? []).map((h) => {
    const i = h.indexOf(':');
    if (i <= 0) throw new UsageError(`--header must be K:V: '${h}'`);
    return [h.slice(0, i).trim(), h.slice(i + 1).trim()];
  });
}

/** The send command. */
export const sendCommand: Command = {
  usage: USAGE,
  async run(argv, io) {
    try {
      return await runSend(argv, io);
    } finally {
      stopWatching();
      stopWatching = () => {};
      closeGrpcClients();
    }
  },
};

/** Stops waiting for the send's connection (completeOnConnect), when the send ends without one. */
let stopWatching = (): void => {};

/** The send command's work: parse, load schemas, read the input, send (or replay a stream), print. */
async function runSend(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    url: { type: 'string' },
    transport: { type: 'string' },
    method: { type: 'string' },
    header: { type: 'string', multiple: true },
    'type-in': { type: 'string' },
    timeout: { type: 'string' },
    'livekit-key': { type: 'string' },
    'livekit-secret': { type: 'string' },
    'livekit-token': { type: 'string' },
    'livekit-room': { type: 'string' },
    'livekit-identity': { type: 'string' },
    listen: { type: 'string' },
    cacert: { type: 'string' },
    cert: { type: 'string' },
    key: { type: 'string' },
    insecure: { type: 'boolean' },
    verbose: { type: 'boolean', short: 'v' },
    stream: { type: 'boolean' },
    'max-message-bytes': { type: 'string' },
    http2: { type: 'boolean' },
    'http-get': { type: 'boolean' },
    unchecked: { type: 'boolean' },
  });
  if (!values.url) throw new UsageError('--url is required');
  const transport = (values.transport ?? 'twirp') as Transport;
  if (!TRANSPORTS.includes(transport)) throw new UsageError(`--transport must be one of ${TRANSPORTS.join(', ')}`);
  if (transport === 'websocket') values.method ??= LIVEKIT_SIGNAL.method;
  if (!values.method) throw new UsageError('--method is required');
  const listenMs = values.listen === undefined ? undefined : Number(values.listen);
  if (listenMs !== undefined && !(Number.isFinite(listenMs) && listenMs >= 0))
    throw new UsageError('--listen must be a number of milliseconds');
  try {
    new URL(values.url);
  } catch {
    throw new UsageError(`--url is not a URL: '${values.url}'`);
  }
  const timeoutMs = values.timeout === undefined ? 30000 : Number(values.timeout);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new UsageError('--timeout must be a positive number of milliseconds');
  const maxMessageBytes = values['max-message-bytes'] === undefined ? undefined : Number(values['max-message-bytes']);
  if (maxMessageBytes !== undefined && !(Number.isInteger(maxMessageBytes) && maxMessageBytes > 0))
    throw new UsageError('--max-message-bytes must be a positive integer');
  if (values['http-get'] && transport !== 'connect') throw new UsageError('--http-get is for --transport connect');
  const file = singleInput(positionals);
  const typeIn = values['type-in'] ?? (file && extname(file).toLowerCase() === '.json' ? 'json' : 'binary');
  if (typeIn !== 'json' && typeIn !== 'binary') throw new UsageError('--type-in must be json or binary');
  const headers = parseHeaders(values.header);

  const readPem = async (p: string | undefined): Promise<string | undefined> =>
    p ? (await readInputFile(p, io)).toString('utf8') : undefined;
  const tls: TlsOptions = {
    insecureSkipVerify: values.insecure === true,
    caPem: await readPem(values.cacert),
    certPem: await readPem(values.cert),
    keyPem: await readPem(values.key),
  };
  // With the bundled schemas alone, a plain HTTP/1.1 unary send restores only the part of them
  // that holds the service (its types and what they refer to) before the request is on the
  // wire, and the rest right after (see completeOnConnect).
  const part = sendsOverPlainHttp(transport, values) ? await bundledPartFromArgs(values, [serviceOf(values.method)]) : null;
  if (part) stopWatching = completeOnConnect(part);
  // --reflect servers are reached with the same TLS settings and headers as the send.
  const registry = part ? part.registry : await registryFromArgs(values, io, { tls, headers, timeoutMs });
  let resolved;
  try {
    resolved = resolveReplayMethod(registry.root, values.method);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (!resolved) {
    part?.complete(); // the suggestions come from every loaded service
    const close = closeMethodNames(registry, values.method);
    throw new InputError(`no method ${values.method} in the loaded schemas${close.length ? `; did you mean ${close.join(', ')}?` : ''}`);
  }
  const methodId = resolved.id;
  if (values.stream && typeIn === 'json') throw new UsageError('--stream reads binary streams (a JSON array is a request stream)');
  const kind = resolved.kind;
  const input = await readInput(file, io);
  let messages: Uint8Array[];
  let framing: string | undefined;
  try {
    ({ messages, framing } = requestMessages(input, {
      json: typeIn === 'json',
      stream: values.stream === true,
      unchecked: values.unchecked === true,
      requestType: resolved.requestType as Type,
      root: registry.root,
      kind,
    }));
  } catch (e) {
    if (e instanceof RequestInputError) throw new InputError(`${file ?? 'stdin'}: ${e.message}`);
    throw e;
  }
  if (kind === 'server-stream' && messages.length !== 1)
    throw new InputError(`${file ?? 'stdin'}: ${methodId} streams answers to one request; the input holds ${messages.length}`);
  const body = messages[0] ?? new Uint8Array();

  let livekit: LiveKitAuth | undefined;
  if (values['livekit-token']) livekit = { token: values['livekit-token'] };
  else if (values['livekit-key']) {
    const secret = values['livekit-secret'] ?? process.env.LIVEKIT_API_SECRET;
    if (!secret) throw new UsageError('--livekit-key needs --livekit-secret (or LIVEKIT_API_SECRET)');
    livekit = { apiKey: values['livekit-key'], apiSecret: secret, room: values['livekit-room'], identity: values['livekit-identity'] };
  }

  const common = {
    root: registry.root,
    url: values.url,
    transport,
    method: methodId,
    headers,
    timeoutMs,
    tls,
    livekit,
    maxMessageBytes,
    http2: values.http2,
    listenMs,
  };
  if (kind !== 'unary') return sendStream(common, kind, resolved.responseType, messages, io, values.verbose === true);

  if (values.stream) {
    let failed = 0;
    for (let i = 0; i < messages.length; i++) {
      let line: Record<string, unknown>;
      try {
        const r = await sendRequest({ ...common, body: messages[i] });
        line = r.ok
          ? { index: i, ok: true, timeMs: Number(r.timeMs.toFixed(2)), response: r.responseJson }
          : { index: i, ok: false, timeMs: Number(r.timeMs.toFixed(2)), error: r.error };
      } catch (e) {
        line = { index: i, ok: false, error: transportFailure(e) };
      }
      if (!line.ok) failed++;
      io.stdout.write(`${stringify(line, 0)}\n`);
    }
    io.stderr.write(`protodesk send: ${messages.length} messages (${framing}), ${messages.length - failed} ok, ${failed} failed\n`);
    return failed ? EXIT_BAD_INPUT : EXIT_OK;
  }

  let res;
  try {
    res = await sendRequest({ ...common, body, httpGet: values['http-get'] });
  } catch (e) {
    // No answer at all (refused, TLS, timeout): the same JSON shape an error answer has.
    const error = transportFailure(e);
    io.stdout.write(`${JSON.stringify({ error }, null, 2)}\n`);
    io.stderr.write(`protodesk send: ${transport} ${values.url}: ${error.code}: ${error.message}\n`);
    return EXIT_BAD_INPUT;
  }
  if (values.verbose) {
    io.stderr.write(
      `${res.ok ? 'ok' : 'error'} ${res.target}${res.httpStatus !== undefined ? ` HTTP ${res.httpStatus}` : ''} in ${res.timeMs.toFixed(1)} ms\n`,
    );
    for (const [k, v] of res.headers) io.stderr.write(`< ${k}: ${v}\n`);
    for (const [k, v] of res.trailers) io.stderr.write(`< (trailer) ${k}: ${v}\n`);
  }
  if (res.ok) {
    io.stdout.write(`${stringify(res.responseJson)}\n`);
    for (const w of res.warnings ?? []) io.stderr.write(`protodesk send: warning: ${w}\n`);
    return res.warnings?.length ? EXIT_BAD_INPUT : EXIT_OK;
  }
  printError(res, io);
  return EXIT_BAD_INPUT;
}

/**
 * Whether the send is one request over a new HTTP/1.1 connection in the clear: then its socket
 * comes from net.connect, which completeOnConnect sees.
 */
function sendsOverPlainHttp(transport: Transport, values: { url?: string; http2?: boolean; stream?: boolean; method?: string }): boolean {
  if (values.http2 || values.stream || !values.url || !values.method) return false;
  if (!['twirp', 'twirp-json', 'connect', 'grpc-web'].includes(transport)) return false;
  try {
    return new URL(values.url).protocol === 'http:' && serviceOf(values.method) !== '';
  } catch {
    return false;
  }
}

/** The service's full name in a "pkg.Service/Method" argument ('' when it has none). */
function serviceOf(method: string | undefined): string {
  try {
    return splitMethod(method ?? '').service.replace(/^\./, '');
  } catch {
    return '';
  }
}

/**
 * Completes a partly restored registry as soon as the request is written: in the tick after
 * the socket connects (Node writes a request queued before the connection in a 'connect'
 * listener of its own, registered after this one). No answer can be read before then, so
 * everything that reads an answer (Any payloads, error details) sees the whole registry.
 */
function completeOnConnect(part: PartialRegistry): () => void {
  let watching = true;
  const stop = (): void => {
    if (!watching) return;
    watching = false;
    unsubscribe('net.client.socket', onSocket);
  };
  function onSocket(message: unknown): void {
    if (!watching) return;
    // Not while the channel is publishing (it walks its subscriber list).
    queueMicrotask(stop);
    (message as { socket: Socket }).socket.once('connect', () => process.nextTick(() => part.complete()));
  }
  if (part.whole) return () => {};
  subscribe('net.client.socket', onSocket);
  return stop;
}

/** A result's error as JSON on standard output (the same shape on every transport), and one line on standard error. */
function printError(res: SendResult, io: CliIO): void {
  const err = res.error!;
  const out = {
    error: {
      code: err.code,
      message: err.message,
      ...(err.grpcCode !== undefined ? { grpcCode: err.grpcCode } : {}),
      ...(res.httpStatus !== undefined ? { httpStatus: res.httpStatus } : {}),
      ...(err.meta ? { meta: err.meta } : {}),
      ...(err.details?.length
        ? {
            details: err.details.map((d) => ({
              type: d.type,
              ...(d.json !== undefined ? { value: d.json } : { bytes: Buffer.from(d.bytes).toString('base64') }),
            })),
          }
        : {}),
    },
  };
  io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  io.stderr.write(`protodesk send: ${err.code}: ${err.message}\n`);
}

/**
 * A streaming call: server and bidi streams print each answer as one JSON line as it arrives; a
 * client stream prints its one answer. An error ends the output with the error JSON (exit 1).
 */
async function sendStream(
  common: Omit<SendOptions, 'body'>,
  kind: CallKind,
  responseType: Type,
  messages: Uint8Array[],
  io: CliIO,
  verbose: boolean,
): Promise<number> {
  const lines = kind === 'server-stream' || kind === 'bidi';
  const t0 = performance.now();
  // An answer that does not decode is printed as its bytes; the result's warnings name it.
  const line = (i: number, bytes: Uint8Array): void => {
    let json: unknown;
    try {
      json = bytesToJson(responseType, bytes);
    } catch {
      json = { undecodable: Buffer.from(bytes).toString('base64') };
    }
    io.stdout.write(`${stringify(json, 0)}\n`);
    if (verbose) io.stderr.write(`< message ${i} after ${(performance.now() - t0).toFixed(1)} ms\n`);
  };
  let res: SendResult;
  try {
    res = await sendRequest({
      ...common,
      body: messages[0] ?? new Uint8Array(),
      requests: messages,
      onMessage: lines ? line : undefined,
    });
  } catch (e) {
    const error = transportFailure(e);
    io.stdout.write(`${JSON.stringify({ error }, null, 2)}\n`);
    io.stderr.write(`protodesk send: ${common.transport} ${common.url}: ${error.code}: ${error.message}\n`);
    return EXIT_BAD_INPUT;
  }
  if (!lines && res.ok) io.stdout.write(`${stringify(res.responseJson)}\n`);
  for (const w of res.warnings ?? []) io.stderr.write(`protodesk send: warning: ${w}\n`);
  if (lines) io.stderr.write(`protodesk send: ${kind}: ${messages.length} sent, ${res.responses?.length ?? 0} received\n`);
  if (!res.ok) {
    printError(res, io);
    return EXIT_BAD_INPUT;
  }
  return res.warnings?.length ? EXIT_BAD_INPUT : EXIT_OK;
}
