/**
 * The browser-served app the "browser" project tests: Playwright's global setup starts
 * `protodesk serve` and reads the link it prints (with its one-time key) and each new link it
 * prints after one is used, into a file the test workers read (Playwright's webServer cannot
 * hand a test the server's output). Tests sign in as a user does: by opening that link.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { linkIn } from '../testing/served-sign-in';

const ROOT = resolve(import.meta.dirname, '..');

/** Where this run keeps the latest printed link and the signed-in browser state (one folder per port). */
export function servedFiles(port = Number(process.env.PROTODESK_E2E_PORT)): { dir: string; link: string; storageState: string } {
  const dir = join(tmpdir(), `protodesk-e2e-${port}`);
  return { dir, link: join(dir, 'link.txt'), storageState: join(dir, 'storage-state.json') };
}

/** The link `protodesk serve` printed last (not used yet, unless a test used it). */
export function latestLink(): string {
  const file = servedFiles().link;
  if (!existsSync(file)) throw new Error(`no link from protodesk serve in ${file}: was the global setup run?`);
  return readFileSync(file, 'utf8').trim();
}

/** Waits until the server has printed a link other than `used` (it prints one after each use). */
export async function nextLink(used: string, timeoutMs = 10_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const link = latestLink();
    if (link !== used) return link;
    if (Date.now() > until) throw new Error(`protodesk serve printed no new link after ${used} was used`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Playwright's global setup: starts the server, records its links; the returned function stops it. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const port = Number(process.env.PROTODESK_E2E_PORT);
  const files = servedFiles(port);
  mkdirSync(files.dir, { recursive: true });
  writeFileSync(files.link, '');
  writeFileSync(files.storageState, '');
  const child = spawn(process.execPath, [join(ROOT, 'bin/protodesk'), 'serve', '--port', String(port), '--no-state'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`protodesk serve printed no link in 180 s: ${out}`)), 180_000);
    child.on('exit', (code) => fail(new Error(`protodesk serve exited (${code}): ${out}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      // Every link it prints ("serving at LINK" at start, "another browser: LINK" after each use).
      const links = [...out.matchAll(/(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/g)];
      if (!links.length) return;
      writeFileSync(files.link, links.at(-1)![1]);
      clearTimeout(timer);
      ok();
    });
  });
  return async () => {
    child.removeAllListeners('exit');
    if (child.exitCode !== null) return;
    await new Promise<void>((ok) => {
      child.once('exit', () => ok());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    });
  };
}

/**
 * Starts `protodesk serve` of its own on a free port with the given state file (for specs that
 * kill or break their server, apart from Playwright's), resolving with the one-time link it prints.
 */
export function serveOwn(stateFile: string): { child: ChildProcess; link: Promise<string> } {
  const child = spawn(process.execPath, [join(ROOT, 'bin/protodesk'), 'serve', '--port', '0', '--state', stateFile], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const link = new Promise<string>((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`the server did not start: ${out}`)), 60_000);
    const onData = (c: Buffer) => {
      out += c.toString();
      const found = linkIn(out);
      if (found) {
        clearTimeout(timer);
        ok(found);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => fail(new Error(`the server exited (${code}): ${out}`)));
  });
  return { child, link };
}
