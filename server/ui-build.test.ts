import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, type CliIO } from '../cli/command';
import { ensureUiBuilt } from './ui-build';

/** A package root with a scripts/build.mjs of the given body (it gets process.argv as the real one does). */
function fakePackage(buildScript: string | null): string {
  const root = mkdtempSync(join(tmpdir(), 'pd-uibuild-'));
  if (buildScript !== null) {
    mkdirSync(join(root, 'scripts'));
    writeFileSync(join(root, 'scripts', 'build.mjs'), buildScript);
  }
  return root;
}

function captureIO(): CliIO & { err: () => string } {
  let err = '';
  return {
    stdout: { write: () => true } as unknown as NodeJS.WritableStream,
    stderr: { write: (s: string | Uint8Array) => ((err += String(s)), true) } as unknown as NodeJS.WritableStream,
    cwd: process.cwd(),
    readStdin: async () => new Uint8Array(),
    err: () => err,
  } as CliIO & { err: () => string };
}

const WRITES_INDEX = `import { mkdirSync, writeFileSync } from 'node:fs';
console.log('build: the UI (renderer, vite)… ' + process.argv.slice(2).join(' '));
mkdirSync('dist/renderer', { recursive: true });
writeFileSync('dist/renderer/index.html', '<!doctype html>');
`;

describe('ensureUiBuilt (protodesk serve right after npm install)', () => {
  it('runs the build script for the renderer when the UI is missing, showing its progress on stderr', async () => {
    const root = fakePackage(WRITES_INDEX);
    const io = captureIO();
    await ensureUiBuilt(root, io);
    expect(readFileSync(join(root, 'dist/renderer/index.html'), 'utf8')).toBe('<!doctype html>');
    expect(io.err()).toContain('build: the UI (renderer, vite)… --if-needed --only=renderer');
  });

  it('says what to do, without serving anything, when the build fails', async () => {
    const root = fakePackage(`console.error('vite is not installed'); process.exit(3);`);
    const io = captureIO();
    const e = await ensureUiBuilt(root, io).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).toMatch(/could not be built \(scripts\/build\.mjs exited 3.*Run `npm install` in /);
    expect(io.err()).toContain('vite is not installed');
  });

  it('serves a prebuilt UI of a copy without a build script, and refuses clearly when there is none', async () => {
    const built = fakePackage(null);
    mkdirSync(join(built, 'dist/renderer'), { recursive: true });
    writeFileSync(join(built, 'dist/renderer/index.html'), 'x');
    await expect(ensureUiBuilt(built, captureIO())).resolves.toBeUndefined();
    await expect(ensureUiBuilt(fakePackage(null), captureIO())).rejects.toThrow(/the UI is not built .* has no build script/);
  });
});

describe('ensureUiBuilt on an up-to-date UI', () => {
  it('starts no build when the built UI is newer than its sources, and builds once a source is newer', async () => {
    const root = fakePackage(`console.error('the build ran'); process.exit(3);`);
    mkdirSync(join(root, 'renderer'));
    writeFileSync(join(root, 'renderer/app.tsx'), 'x');
    mkdirSync(join(root, 'dist/renderer'), { recursive: true });
    writeFileSync(join(root, 'dist/renderer/index.html'), 'x');
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(root, 'renderer/app.tsx'), old, old);
    const io = captureIO();
    await expect(ensureUiBuilt(root, io)).resolves.toBeUndefined();
    expect(io.err()).toBe('');

    const later = new Date(Date.now() + 60_000);
    utimesSync(join(root, 'renderer/app.tsx'), later, later);
    await expect(ensureUiBuilt(root, io)).rejects.toThrow(/could not be built/);
    expect(io.err()).toContain('the build ran');
  });
});
