/** The browser-served app for UI cases: builds the renderer if stale, starts `protodesk serve`, calls its API, reads its memory. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { encodeTagged, decodeTagged } from '../../core/api/tagged-json';
import { linkIn, signIn } from '../../testing/served-sign-in';

/** A running `protodesk serve` process. */
export interface ServedApp {
  /** The base URL (http://127.0.0.1:PORT/); a page needs `cookie` too. */
  url: string;
  /** The session cookie ("name=value") got by opening the link the server printed. */
  cookie: string;
  pid: number;
  /** Calls a contract method over HTTP, as the page does. */
  call<T = unknown>(method: string, request?: unknown): Promise<T>;
  /** Closes every open document (so the next run starts clean). */
  closeAll(): Promise<void>;
  /** Resident and peak resident memory of the server process, in bytes. */
  memory(): { rss: number; peak: number };
  stop(): Promise<void>;
}

/** Builds dist/renderer when any renderer source is newer (the same step the e2e webServer runs); returns why it failed, or null. */
export function buildRendererIfNeeded(): string | null {
  const r = spawnSync(process.execPath, ['scripts/build.mjs', '--if-needed', '--only=renderer'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (r.status !== 0) return `renderer build failed: ${(r.stderr || r.stdout || String(r.error)).trim().split('\n').slice(-3).join(' ')}`;
  return existsSync('dist/renderer/index.html') ? null : 'dist/renderer/index.html is missing after the build';
}

/** Memory of a process from /proc (VmRSS and VmHWM), in bytes; zeros when not readable. */
export function procMemory(pid: number): { rss: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  } catch {
    return { rss: 0, peak: 0 };
  }
}

/** Starts `node [nodeArgs...] bin/protodesk serve --port 0 --no-state [extra...]` and waits until it serves. */
export async function startServedApp(
  timeoutMs = 120_000,
  extraArgs: readonly string[] = [],
  nodeArgs: readonly string[] = [],
): Promise<ServedApp> {
  const child: ChildProcess = spawn(
    process.execPath,
    [...nodeArgs, '--max-old-space-size=8192', 'bin/protodesk', 'serve', '--port', '0', '--no-state', ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit); // never leave a server behind, even when the case dies
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const link = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`protodesk serve did not start in ${timeoutMs} ms: ${stderr.slice(-300)}`)), timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      // The link it prints, with its one-time key: opening it signs us in.
      const printed = linkIn(out);
      if (printed) {
        clearTimeout(timer);
        resolve(printed);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`protodesk serve exited ${code}: ${stderr.slice(-300)}`));
    });
  });
  const session = await signIn(link);
  const url = session.base;
  const pid = child.pid!;
  const call = async <T>(method: string, request: unknown = {}): Promise<T> => {
    const res = await session.post(method, encodeTagged(request));
    const body = decodeTagged<{ result?: T; error?: { message: string } }>(await res.text());
    if (!res.ok || body.error) throw new Error(`${method}: ${body.error?.message ?? res.status}`);
    return body.result as T;
  };
  return {
    url,
    cookie: session.cookie,
    pid,
    call,
    async closeAll() {
      for (const d of await call<{ docId: string }[]>('listDocuments')) await call('closeDocument', { docId: d.docId });
    },
    memory: () => procMemory(pid),
    stop: () =>
      new Promise<void>((resolve) => {
        process.removeListener('exit', killOnExit);
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
