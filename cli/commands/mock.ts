/** `protodesk mock`: runs the mock server (Twirp, Connect, gRPC-Web, gRPC) until interrupted. */
import { EXIT_OK, InputError, UsageError, type CliIO, type Command } from '../command';
import { parseCommandArgs, readInputFile, registryFromArgs, SCHEMA_USAGE } from '../schema-options';
import { listenErrorPort, listenErrorSentence } from '../error-report';
import { startMockServer } from '../../core-node/mock/mock-server';
import type { MockFixture } from '../../core-node/mock/fixture';
import { defaultFixture } from '../../core-node/mock/default-fixture';
import { KIK_USER_HEADER } from '../../core-node/mock/kik-video-service';

const USAGE = `usage: protodesk mock [--port N] [--grpc-port M] [--fixture FILE] [--api-key K --api-secret S] [options]

Serves every loaded service: Twirp (JSON and protobuf) at /twirp, Connect and gRPC-Web on
--port, gRPC on --grpc-port. LiveKit RoomService and Kik KikVideo are stateful mocks; other
services answer from the fixture's "answers" (default: an empty message). Prints its URLs
when ready; stops on Ctrl-C.

options:
  --port N               HTTP port (default 7880; 0 picks a free port)
  --grpc-port M          gRPC port (default N+1; a free port when N is 0)
  --host H               interface to listen on (default 127.0.0.1)
  --fixture FILE         seed data and answers (JSON); without it the mock starts from
                         core-node/mock/fixtures/default.json (a LiveKit room, Kik groups)
  --no-fixture           start empty
  --api-key K            LiveKit API key accepted (default devkey)
  --api-secret S         its secret (default secret)
  --max-request-bytes N  largest request accepted (default 4194304); larger: resource_exhausted
  --request-timeout MS   time a client has to send its whole request (default 30000); a client
                         that stalls or trickles its body is answered deadline_exceeded and cut off
  --max-rooms N          LiveKit rooms held at once (default 1000); more: resource_exhausted
  --admin-cors ORIGIN    let this origin call /_mock/* from a browser (no CORS there by default)
  --max-event-streams N  /_mock/events streams open at once (default 64)
  --quiet                no log line per request
  --tls-cert FILE --tls-key FILE   serve HTTPS and gRPC over TLS (PEM)
  --tls-client-ca FILE   require client certificates signed by this CA (PEM)
The Kik caller is named by the '${KIK_USER_HEADER}' header (bare user JID local part).
/_mock/status, /_mock/events and /_mock/kik/state need a LiveKit token signed with the API key
(Authorization: Bearer, or ?access_token=). Each request is logged on standard output with its
answer (a generic method without a fixture answer is unimplemented, and the line says so).
${SCHEMA_USAGE}`;

function portArg(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`${name} must be a port number 0..65535`);
  return n;
}

/** The top-level keys a fixture may have (core-node/mock/fixture.ts). */
const FIXTURE_KEYS = ['livekit', 'kik', 'answers'];

/** A parsed fixture, checked at the top level: an object of known keys, each an object (a typo should not start an empty mock). */
function fixtureShape(parsed: unknown, file: string): MockFixture {
  const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(parsed)) throw new InputError(`fixture ${file}: must be a JSON object with ${FIXTURE_KEYS.join(', ')}`);
  for (const [key, value] of Object.entries(parsed as object)) {
    if (!FIXTURE_KEYS.includes(key)) throw new InputError(`fixture ${file}: unknown key "${key}" (known: ${FIXTURE_KEYS.join(', ')})`);
    if (!isObject(value)) throw new InputError(`fixture ${file}: "${key}" must be a JSON object`);
  }
  return parsed as MockFixture;
}

/** The mock command; `run` resolves when the server stops (SIGINT / SIGTERM, or `signal`). */
export const mockCommand: Command & { run(argv: string[], io: CliIO, signal?: AbortSignal): Promise<number> } = {
  usage: USAGE,
  async run(argv: string[], io: CliIO, signal?: AbortSignal) {
    const { values, positionals } = parseCommandArgs(argv, {
      port: { type: 'string' },
      'grpc-port': { type: 'string' },
      host: { type: 'string' },
      fixture: { type: 'string' },
      'no-fixture': { type: 'boolean' },
      'api-key': { type: 'string' },
      'api-secret': { type: 'string' },
      'max-request-bytes': { type: 'string' },
      'request-timeout': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'tls-client-ca': { type: 'string' },
      'max-rooms': { type: 'string' },
      'admin-cors': { type: 'string' },
      'max-event-streams': { type: 'string' },
      quiet: { type: 'boolean' },
    });
    if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    if ((values['api-key'] === undefined) !== (values['api-secret'] === undefined))
      throw new UsageError('--api-key and --api-secret go together');
    const port = portArg(values.port, '--port') ?? 7880;
    const grpcPort = portArg(values['grpc-port'], '--grpc-port');
    const maxRequestBytes = values['max-request-bytes'] === undefined ? undefined : Number(values['max-request-bytes']);
    if (maxRequestBytes !== undefined && !(Number.isInteger(maxRequestBytes) && maxRequestBytes > 0))
      throw new UsageError('--max-request-bytes must be a positive integer');
    const requestTimeoutMs = values['request-timeout'] === undefined ? undefined : Number(values['request-timeout']);
    if (requestTimeoutMs !== undefined && !(Number.isFinite(requestTimeoutMs) && requestTimeoutMs > 0))
      throw new UsageError('--request-timeout must be a positive number of milliseconds');
    const positiveInt = (name: string): number | undefined => {
      const v = values[name as 'max-rooms'];
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!(Number.isInteger(n) && n > 0)) throw new UsageError(`--${name} must be a positive integer`);
      return n;
    };
    const maxRooms = positiveInt('max-rooms');
    const maxEventStreams = positiveInt('max-event-streams');
    const adminCors = values['admin-cors'];
    if (adminCors !== undefined) {
      let origin: string;
      try {
        origin = new URL(adminCors).origin;
      } catch {
        origin = 'null';
      }
      if (origin === 'null' || origin !== adminCors.replace(/\/+$/, ''))
        throw new UsageError(`--admin-cors must be an origin such as http://localhost:5173: '${adminCors}'`);
    }
    if (values.fixture && values['no-fixture']) throw new UsageError('--fixture and --no-fixture exclude each other');
    // Without --fixture the mock starts from the default one, so the README's examples work as written.
    let fixture: MockFixture | undefined = values['no-fixture'] ? undefined : defaultFixture();
    if (values.fixture) {
      const text = (await readInputFile(values.fixture, io)).toString('utf8');
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (e) {
        throw new InputError(`fixture ${values.fixture}: not JSON: ${(e as Error).message}`);
      }
      fixture = fixtureShape(parsed, values.fixture);
    }
    if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined))
      throw new UsageError('--tls-cert and --tls-key go together');
    const readPem = async (p: string): Promise<string> => (await readInputFile(p, io)).toString('utf8');
    const tls =
      values['tls-cert'] && values['tls-key']
        ? {
            certPem: await readPem(values['tls-cert']),
            keyPem: await readPem(values['tls-key']),
            clientCaPem: values['tls-client-ca'] ? await readPem(values['tls-client-ca']) : undefined,
          }
        : undefined;
    const registry = await registryFromArgs(values, io);
    let mock;
    try {
      mock = await startMockServer({
        root: registry.root,
        port,
        grpcPort,
        host: values.host,
        fixture,
        apiKey: values['api-key'],
        apiSecret: values['api-secret'],
        maxRequestBytes,
        requestTimeoutMs,
        tls,
        maxRooms,
        maxEventStreams,
        adminCorsOrigin: adminCors?.replace(/\/+$/, ''),
      });
    } catch (e) {
      const grpcBusy = grpcPort !== undefined && listenErrorPort(e) === grpcPort;
      throw new InputError(listenErrorSentence(e, grpcBusy ? '--grpc-port' : '--port') ?? `cannot listen: ${(e as Error).message}`);
    }
    const byKind = (k: string): string[] => mock.services.filter((s) => s.mock === k).map((s) => s.name);
    io.stdout.write(
      [
        'protodesk mock: ready',
        `  twirp     ${mock.httpUrl}/twirp   (JSON and protobuf)`,
        `  connect   ${mock.httpUrl}`,
        `  grpc-web  ${mock.httpUrl}`,
        `  grpc      ${mock.grpcUrl}`,
        `  websocket ${mock.httpUrl.replace(/^http/, 'ws')}/rtc   (LiveKit signal)`,
        `  events    ${mock.httpUrl}/_mock/events`,
        `  livekit   api key ${values['api-key'] ?? 'devkey'}${byKind('livekit').length ? '' : ' (RoomService not loaded)'}`,
        `  fixture   ${values.fixture ?? (values['no-fixture'] ? 'none' : 'default (core-node/mock/fixtures/default.json)')}`,
        `  stateful  ${[...byKind('livekit'), ...byKind('kik')].join(', ') || 'none'}`,
        `  generic   ${byKind('generic').length} other services`,
        '',
      ].join('\n'),
    );
    const stopLog = values.quiet
      ? undefined
      : mock.onEvent((e) => {
          if (e.kind !== 'request') return;
          const why = e.code === 'ok' ? '' : `: ${e.message ?? ''}`;
          io.stdout.write(`${e.time} ${e.protocol} ${e.service}/${e.method} → ${e.code}${why}\n`);
        });
    await new Promise<void>((done) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        signal?.removeEventListener('abort', stop);
        done();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      signal?.addEventListener('abort', stop);
      if (signal?.aborted) stop();
    });
    stopLog?.();
    await mock.close();
    io.stdout.write('protodesk mock: stopped\n');
    return EXIT_OK;
  },
};
