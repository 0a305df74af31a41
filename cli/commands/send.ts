/** `protodesk send`: sends one message to a service in any transport and prints the response as JSON. */
import { extname } from 'node:path';
import type { Type } from 'protobufjs';
import { EXIT_BAD_INPUT, EXIT_OK, InputError, UsageError, type CliIO, type Command } from '../command';
import { parseCommandArgs, readInput, readInputFile, registryFromArgs, singleInput, SCHEMA_USAGE } from '../schema-options';
import { resolveMethod, splitMethod } from '../../core-node/rpc/service-method';
import { jsonToBytes } from '../../core-node/rpc/proto-json';
import { JsonFormatError, stringify } from '../../core/format';
import { detectFraming, indexStream, messageAt } from '../../core/stream/stream-framing';
import { closeGrpcClients, sendRequest, transportFailure, type LiveKitAuth } from '../../core-node/replay/send-request';
import { TRANSPORTS, type Transport } from '../../core/api/vocabulary';
import type { TlsOptions } from '../../core-node/replay/http-client';

const USAGE = `usage: protodesk send --url URL --transport T --method pkg.Service/Method [options] [FILE|-]

Sends the message in FILE (or standard input) and prints the response as proto3 JSON.
Exit 0 on success; 1 with the decoded error as JSON {"error": {code, message, grpcCode, ...}}
(Twirp code/msg/meta, gRPC status and details) on an error response or a failed connection
(refused, TLS, timeout: the same shape on every transport), and 1 when the response does not
fit the schema (a field with the wrong wire type: the JSON is printed, each such field named
on standard error); 2 on a usage error.

options:
  --url URL               base URL: http(s)://host:port (gRPC: the gRPC port)
  --transport T           ${TRANSPORTS.join(' | ')}
  --method M              pkg.Service/Method
  --header K:V            request header / gRPC metadata (repeatable)
  --type-in json|binary   input format (default: json for *.json files, else binary)
  --timeout MS            request timeout in milliseconds (default 30000)
  --livekit-key K         LiveKit API key: mint the token the method needs ...
  --livekit-secret S      ... with this secret (or env LIVEKIT_API_SECRET)
  --livekit-token T       send this LiveKit token as is
  --cacert FILE           trust these CA certificates (PEM) instead of the system ones
  --cert FILE --key FILE  client certificate and key (PEM) for mutual TLS
  --insecure              do not verify the server certificate (any transport, gRPC included)
  --max-message-bytes N   largest message sent or received (default 67108864, 64 MiB)
  --http2                 Connect / gRPC-Web / Twirp over HTTP/2 (h2c for http://)
  --http-get              Connect: send a unary call as GET (for NO_SIDE_EFFECTS methods)
  --stream                the input is a stream of messages (framing detected: varint-delimited
                          or gRPC frames); each is sent in turn and its result printed as one
                          JSON line; exit 1 when any fails
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
      closeGrpcClients();
    }
  },
};

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
    cacert: { type: 'string' },
    cert: { type: 'string' },
    key: { type: 'string' },
    insecure: { type: 'boolean' },
    verbose: { type: 'boolean', short: 'v' },
    stream: { type: 'boolean' },
    'max-message-bytes': { type: 'string' },
    http2: { type: 'boolean' },
    'http-get': { type: 'boolean' },
  });
  if (!values.url) throw new UsageError('--url is required');
  if (!values.method) throw new UsageError('--method is required');
  const transport = (values.transport ?? 'twirp') as Transport;
  if (!TRANSPORTS.includes(transport)) throw new UsageError(`--transport must be one of ${TRANSPORTS.join(', ')}`);
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

  const registry = await registryFromArgs(values, io);
  const { service, method } = splitMethod(values.method);
  const resolved = resolveMethod(registry.root, service, method);
  if (!resolved) throw new InputError(`no method ${service}/${method} in the loaded schemas`);
  const input = await readInput(file, io);
  if (values.stream && typeIn === 'json') throw new UsageError('--stream reads binary streams (use --type-in binary)');
  let body: Uint8Array;
  if (typeIn === 'json') {
    try {
      body = jsonToBytes(resolved.requestType as Type, new TextDecoder().decode(input));
    } catch (e) {
      if (e instanceof JsonFormatError) throw new InputError(`${file ?? 'stdin'}: ${e.message}`);
      throw e;
    }
  } else if (values.stream) {
    body = input;
  } else {
    try {
      resolved.requestType.decode(input);
    } catch (e) {
      throw new InputError(`${file ?? 'stdin'}: not a ${resolved.requestType.fullName.slice(1)}: ${(e as Error).message}`);
    }
    body = input;
  }

  let livekit: LiveKitAuth | undefined;
  if (values['livekit-token']) livekit = { token: values['livekit-token'] };
  else if (values['livekit-key']) {
    const secret = values['livekit-secret'] ?? process.env.LIVEKIT_API_SECRET;
    if (!secret) throw new UsageError('--livekit-key needs --livekit-secret (or LIVEKIT_API_SECRET)');
    livekit = { apiKey: values['livekit-key'], apiSecret: secret };
  }
  const readPem = async (p: string | undefined): Promise<string | undefined> =>
    p ? (await readInputFile(p, io)).toString('utf8') : undefined;
  const tls: TlsOptions = {
    insecureSkipVerify: values.insecure === true,
    caPem: await readPem(values.cacert),
    certPem: await readPem(values.cert),
    keyPem: await readPem(values.key),
  };

  if (values.stream) {
    const framing = detectFraming(input).framing;
    const index = indexStream(input, framing);
    let failed = 0;
    for (let i = 0; i < index.count; i++) {
      let line: Record<string, unknown>;
      try {
        const r = await sendRequest({
          root: registry.root,
          url: values.url,
          transport,
          method: `${service}/${method}`,
          body: messageAt(index, i),
          headers,
          timeoutMs,
          tls,
          livekit,
          maxMessageBytes,
          http2: values.http2,
        });
        line = r.ok
          ? { index: i, ok: true, timeMs: Number(r.timeMs.toFixed(2)), response: r.responseJson }
          : { index: i, ok: false, timeMs: Number(r.timeMs.toFixed(2)), error: r.error };
      } catch (e) {
        line = { index: i, ok: false, error: transportFailure(e) };
      }
      if (!line.ok) failed++;
      io.stdout.write(`${stringify(line, 0)}\n`);
    }
    if (index.error) io.stderr.write(`protodesk send: framing (${framing}) stopped at byte ${index.error.offset}: ${index.error.reason}\n`);
    io.stderr.write(`protodesk send: ${index.count} messages (${framing}), ${index.count - failed} ok, ${failed} failed\n`);
    return failed || index.error ? EXIT_BAD_INPUT : EXIT_OK;
  }

  let res;
  try {
    res = await sendRequest({
      root: registry.root,
      url: values.url,
      transport,
      method: `${service}/${method}`,
      body,
      headers,
      timeoutMs,
      tls,
      livekit,
      maxMessageBytes,
      http2: values.http2,
      httpGet: values['http-get'],
    });
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
  return EXIT_BAD_INPUT;
}
