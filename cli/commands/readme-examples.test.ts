/**
 * The README's "Replay and mock services" commands, run as written: parsed out of README.md, the mock
 * line started as a process, every other line run by bash from the repository root. Each must exit 0
 * and print output (JSON for send). Ports 7880/7881 are the README's; when another process holds
 * them, both are replaced by free ones in every command (and the test says so).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const REPO = new URL('../../', import.meta.url).pathname;

/** The shell commands of the README's replay section (continued lines joined). */
function readmeCommands(): string[] {
  const readme = readFileSync(`${REPO}README.md`, 'utf8');
  const section = readme.slice(readme.indexOf('### Replay and mock services'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('README.md: no ```sh block under "### Replay and mock services"');
  return block
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

async function freePortPair(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const p = 20000 + Math.floor(Math.random() * 20000);
    if ((await portFree(p)) && (await portFree(p + 1))) return p;
  }
  throw new Error('no two free ports');
}

let commands: string[] = [];
let mock: ChildProcess | undefined;

beforeAll(async () => {
  commands = readmeCommands();
  if (!((await portFree(7880)) && (await portFree(7881)))) {
    const p = await freePortPair();
    console.log(`README examples: ports 7880/7881 are taken on this machine; running them on ${p}/${p + 1}`);
    commands = commands.map((c) => c.replaceAll('7881', String(p + 1)).replaceAll('7880', String(p)));
  }
  const mockLine = commands.find((c) => /^bin\/protodesk mock\b/.test(c));
  if (!mockLine) throw new Error('the README section starts no mock');
  mock = spawn('bash', ['-c', `exec ${mockLine.replace(/\s+#.*$/, '')}`], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the mock did not start: ${out}`)), 60_000);
    mock!.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('events')) {
        clearTimeout(timer);
        resolve();
      }
    });
    mock!.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    mock!.on('exit', (code) => reject(new Error(`the mock exited ${code}: ${out}`)));
  });
}, 90_000);

afterAll(() => {
  mock?.kill('SIGTERM');
});

describe("the README's replay examples run as written", () => {
  it('has the examples it documents', () => {
    expect(commands.filter((c) => c.includes('bin/protodesk send')).length).toBeGreaterThanOrEqual(3);
  });

  it('every command exits 0 with output, against the mock it starts', () => {
    for (const command of commands.filter((c) => !/^bin\/protodesk mock\b/.test(c))) {
      const r = spawnSync('bash', ['-c', command], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
      expect({ command, status: r.status, stderr: r.stderr }).toEqual({ command, status: 0, stderr: '' });
      expect(r.stdout.trim(), command).not.toBe('');
      if (command.includes(' send ')) {
        const answer = JSON.parse(r.stdout) as Record<string, unknown>;
        expect(answer.error, command).toBeUndefined();
      }
    }
  }, 180_000);
});
