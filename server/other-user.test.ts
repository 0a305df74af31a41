/**
 * Another user of the machine gets nothing from `protodesk serve`. 127.0.0.1 is open to every
 * local user, so a client running as `nobody` (setpriv) connects to the port and tries what an
 * attacker would: the page (and any key in it), a guessed link, the rest of the UI, API calls
 * that read a file only the server's user may read, and the event socket. Every answer must be
 * a refusal that carries neither the key nor the file. A control run of the same client as the
 * server's own user, with the printed link, reads the file: the refusals are not the client's fault.
 *
 * Needs Linux, root (to switch users) and setpriv; elsewhere it is skipped with the reason printed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkbenchServer, type WorkbenchServer } from './workbench-server';

/** Why the test cannot run here, or '' when it can. */
function cannotRun(): string {
  if (process.platform !== 'linux') return `needs Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'needs root to run a client as another user (setpriv --reuid)';
  if (spawnSync('setpriv', ['--version']).status !== 0) return 'setpriv (util-linux) is not installed';
  if (spawnSync('getent', ['passwd', 'nobody']).status !== 0) return 'there is no user "nobody"';
  const probe = spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, '-e', '0']);
  if (probe.status !== 0) return `nobody cannot run ${process.execPath}: ${String(probe.stderr).trim()}`;
  return '';
}

/**
 * The attacker's client (plain JavaScript, run by `node` as another user). It takes the port,
 * the file to steal and, for the control run, a link; it prints what every attempt got as JSON.
 */
const CLIENT = String.raw`
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
const [port, secretFile, link] = process.argv.slice(2);
const host = '127.0.0.1:' + port;
function http(path, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((ok) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host, ...headers } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => ok({ status: res.statusCode, headers: res.headers, body: text }));
    });
    req.on('upgrade', (res, socket) => { socket.destroy(); ok({ status: res.statusCode, body: '' }); });
    req.on('error', (e) => ok({ status: 0, body: String(e) }));
    req.end(body);
  });
}
const results = { attempts: {} };
const attempts = results.attempts;
// Reading the file directly: proves this process really is another user.
try { results.direct = readFileSync(secretFile, 'utf8'); } catch (e) { results.direct = e.code; }
let cookie = '';
if (link) {
  const u = new URL(link);
  const r = await http(u.pathname + u.search);
  cookie = String(r.headers['set-cookie']?.[0] ?? '').split(';')[0];
  results.signIn = r.status;
}
const auth = cookie ? { cookie } : {};
attempts.page = await http('/', { headers: auth });
// Whatever looks like a key in the page is tried as one (the old way in: a token in the page).
const key = /content="([0-9a-f]{16,})"/.exec(attempts.page.body)?.[1] ?? '';
attempts.guessedLink = await http('/?token=' + '0'.repeat(64));
attempts.keyFromPage = await http('/?token=' + key);
attempts.asset = await http('/app.js', { headers: auth });
const api = (method, req) =>
  http('/api/' + method, { method: 'POST', headers: { 'content-type': 'application/json', 'x-protodesk-token': key, ...auth }, body: JSON.stringify(req) });
attempts.listDocuments = await api('listDocuments', {});
const opened = await api('openPath', { path: secretFile });
attempts.openPath = opened;
let docId = 'd1';
try { docId = JSON.parse(opened.body).result.docId ?? docId; } catch {}
attempts.getFileBytes = await api('getFileBytes', { docId });
attempts.getBytes = await api('getBytes', { docId, message: 0, start: 0, end: 1000 });
attempts.saveAs = await api('saveAs', { docId, path: secretFile + '.copy' });
attempts.events = await http('/api/events?token=' + key, {
  headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', ...auth },
});
console.log(JSON.stringify(results));
`;

/** What the client printed. */
interface ClientResults {
  /** Reading the file directly: its text, or the error code. */
  direct: string;
  /** The status of opening the link (control run only). */
  signIn?: number;
  attempts: Record<string, { status: number; body: string }>;
}

const reason = cannotRun();
if (reason) console.log(`[other-user] skipped: ${reason}`);

describe.skipIf(reason !== '')('another local user and the served mode', () => {
  let dir: string;
  let server: WorkbenchServer;
  const SECRET = 'only-the-owner-may-read-this-4f1c';
  const secretFile = () => join(dir, 'owner-only.txt');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pd-other-user-'));
    chmodSync(dir, 0o755); // nobody may run the client script in it, not read the secret
    writeFileSync(join(dir, 'index.html'), '<meta name="protodesk-token" content="%PROTODESK_TOKEN%"><script src="app.js"></script>');
    writeFileSync(join(dir, 'app.js'), 'console.log("the UI")');
    writeFileSync(join(dir, 'client.mjs'), CLIENT, { mode: 0o644 });
    writeFileSync(secretFile(), SECRET, { mode: 0o600 });
    server = await startWorkbenchServer({ port: 0, cwd: dir, rendererDir: dir, stateFile: null });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the client, as `nobody` or as ourselves (never spawnSync: the server answers from this process); what each attempt got. */
  const client = (asNobody: boolean, link?: string): Promise<ClientResults> => {
    const node = [process.execPath, join(dir, 'client.mjs'), String(server.port), secretFile(), ...(link ? [link] : [])];
    const [cmd, ...args] = asNobody ? ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', ...node] : node;
    return new Promise((ok, fail) => {
      const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        if (code === 0) ok(JSON.parse(out) as ClientResults);
        else fail(new Error(`the client failed (${code}): ${err}`));
      });
    });
  };

  it('refuses every attempt of a client running as nobody, and shows it neither the key nor the file', async () => {
    const key = new URL(server.link()).searchParams.get('token')!;
    const got = await client(true);
    expect(got.direct).toBe('EACCES'); // the client is another user: it cannot read the file itself
    const { attempts } = got;
    expect(attempts.page.status).toBe(401);
    expect(attempts.page.body).toContain('Open the link printed in your terminal');
    for (const what of ['guessedLink', 'keyFromPage', 'asset', 'listDocuments', 'openPath', 'getFileBytes', 'getBytes', 'saveAs', 'events'])
      expect(attempts[what].status, `${what}: ${attempts[what].body.slice(0, 200)}`).toBe(403);
    for (const [what, { body: text }] of Object.entries(attempts)) {
      expect(text, what).not.toContain(key);
      expect(text, what).not.toContain(SECRET);
      expect(text, what).not.toContain(Buffer.from(SECRET).toString('base64'));
    }
    // Nothing was opened or written on its behalf.
    expect(server.link()).toContain(key); // the key was not used up either
  });

  it('the same client, as the server user with the printed link, reads the file (the control)', async () => {
    const got = await client(false, server.link());
    expect(got.signIn).toBe(303);
    expect(got.attempts.page.status).toBe(200);
    expect(got.attempts.openPath.status).toBe(200);
    expect(got.attempts.getFileBytes.body).toContain(Buffer.from(SECRET).toString('base64'));
  });
});
