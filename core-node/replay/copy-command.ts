/**
 * A send as a command line for another tool: curl (Twirp JSON, Connect JSON), grpcurl (gRPC) and
 * buf curl (gRPC, gRPC-Web, Connect). The request travels as proto3 JSON (-d), headers as -H; a
 * LiveKit token is never written into the command: it reads $LIVEKIT_TOKEN, and a note says how to
 * mint one. Every argument is single-quoted for POSIX shells.
 */
import type { Transport } from '../../core/api/vocabulary';

/** The tools a command can be made for. */
export type CommandTool = 'curl' | 'grpcurl' | 'buf-curl';

/** What the command sends. */
export interface CommandRequest {
  url: string;
  transport: Transport;
  /** "pkg.Service/Method". */
  method: string;
  /** The request message as proto3 JSON text. */
  json: string;
  headers: readonly [string, string][];
  /** A LiveKit token goes in Authorization (as $LIVEKIT_TOKEN). */
  livekitToken?: boolean;
  insecure?: boolean;
  http2?: boolean;
}

/** A command, and what the user should know about it. */
export interface CommandLine {
  command: string;
  notes: string[];
}

/** A word for a POSIX shell: single-quoted, with ' as '\''. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A header argument's value; the token stays in the shell variable (double quotes so it expands). */
function headerArgs(flag: string, req: CommandRequest): string[] {
  const out = req.headers.filter(([k]) => k.toLowerCase() !== 'authorization').flatMap(([k, v]) => [flag, shellQuote(`${k}: ${v}`)]);
  if (req.livekitToken) out.push(flag, '"Authorization: Bearer $LIVEKIT_TOKEN"');
  return out;
}

function base(url: string): string {
  return url.replace(/\/+$/, '');
}

/** The command for `tool`; throws for a transport the tool cannot speak (the message says which can). */
export function buildCommand(tool: CommandTool, req: CommandRequest): CommandLine {
  const notes: string[] = [];
  if (req.transport === 'websocket')
    throw new Error(
      'curl, grpcurl and buf curl cannot hold a WebSocket signal connection: send it from here, or with `bin/protodesk send --transport websocket`',
    );
  if (req.livekitToken)
    notes.push('set LIVEKIT_TOKEN first, e.g. `bin/protodesk send ... --livekit-key K` mints one per method, or `lk token create`');
  const json = JSON.stringify(JSON.parse(req.json));
  if (tool === 'curl') {
    let path: string;
    const extra: string[] = [];
    if (req.transport === 'twirp' || req.transport === 'twirp-json') {
      path = `/twirp/${req.method}`;
      if (req.transport === 'twirp') notes.push('curl sends Twirp as JSON (the binary body is not shell text)');
    } else if (req.transport === 'connect') {
      path = `/${req.method}`;
      extra.push('-H', shellQuote('Connect-Protocol-Version: 1'));
    } else
      throw new Error(`curl cannot speak ${req.transport} (binary frames): use buf curl${req.transport === 'grpc' ? ' or grpcurl' : ''}`);
    const words = [
      'curl',
      ...(req.insecure ? ['-k'] : []),
      ...(req.http2 ? ['--http2-prior-knowledge'] : []),
      '-X',
      'POST',
      '-H',
      shellQuote('Content-Type: application/json'),
      ...extra,
      ...headerArgs('-H', req),
      '--data-binary',
      shellQuote(json),
      shellQuote(`${base(req.url)}${path}`),
    ];
    return { command: words.join(' '), notes };
  }
  if (tool === 'grpcurl') {
    if (req.transport !== 'grpc') throw new Error(`grpcurl speaks gRPC only, not ${req.transport}: use buf curl or curl`);
    const u = new URL(req.url);
    const words = [
      'grpcurl',
      ...(u.protocol === 'http:' ? ['-plaintext'] : req.insecure ? ['-insecure'] : []),
      ...headerArgs('-H', req),
      '-d',
      shellQuote(json),
      shellQuote(u.host || `${u.hostname}:${u.port}`),
      shellQuote(req.method),
    ];
    notes.push('grpcurl reads the schema by server reflection; without it, add -import-path DIR -proto FILE');
    return { command: words.join(' '), notes };
  }
  const protocol =
    req.transport === 'grpc' ? 'grpc' : req.transport === 'grpc-web' ? 'grpcweb' : req.transport === 'connect' ? 'connect' : undefined;
  if (!protocol) throw new Error('buf curl speaks Connect, gRPC and gRPC-Web, not Twirp: use curl');
  const http2 = req.transport === 'grpc' || req.http2;
  const words = [
    'buf',
    'curl',
    '--protocol',
    protocol,
    ...(http2 && req.url.startsWith('http:') ? ['--http2-prior-knowledge'] : []),
    ...(req.insecure ? ['-k'] : []),
    ...headerArgs('-H', req),
    '-d',
    shellQuote(json),
    shellQuote(`${base(req.url)}/${req.method}`),
  ];
  notes.push('buf curl reads the schema by server reflection; without it, add --schema DIR');
  return { command: words.join(' '), notes };
}
