/**
 * Makes sure the browser-served mode has a built UI to serve: builds dist/renderer with the
 * package's own build script when it is missing or older than its sources (as `npm start`
 * does), so `protodesk serve` works right after `npm install`. An up-to-date UI is told from its
 * files' times here, as the script does, without starting the script (a second Node process).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, type CliIO } from '../cli/command';
import { rendererStale } from '../scripts/renderer-freshness.mjs';

/** Builds the renderer under `packageRoot` if needed, reporting progress on stderr; throws an InputError saying what to do when it cannot. */
export async function ensureUiBuilt(packageRoot: string, io: CliIO): Promise<void> {
  const script = join(packageRoot, 'scripts', 'build.mjs');
  const index = join(packageRoot, 'dist', 'renderer', 'index.html');
  if (!existsSync(script)) {
    if (existsSync(index)) return;
    throw new InputError(
      `the UI is not built (${index} is missing) and this copy of Protodesk has no build script; reinstall it, or pass --renderer DIR`,
    );
  }
  if (!rendererStale(packageRoot)) return;
  const started = Date.now();
  const status = await new Promise<number>((done, fail) => {
    const child = spawn(process.execPath, [script, '--if-needed', '--only=renderer'], {
      cwd: packageRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The build's own lines ("build: renderer (vite)") are the progress; they go to stderr so stdout keeps only the URL.
    child.stdout.on('data', (d: Buffer) => io.stderr.write(d));
    child.stderr.on('data', (d: Buffer) => io.stderr.write(d));
    child.on('error', fail);
    child.on('close', (code) => done(code ?? 1));
  });
  if (status !== 0)
    throw new InputError(
      `the UI could not be built (scripts/build.mjs exited ${status}; its messages are above). Run \`npm install\` in ${packageRoot}, then try again`,
    );
  if (!existsSync(index)) throw new InputError(`the UI build finished but ${index} is missing`);
  const ms = Date.now() - started;
  if (ms > 1000) io.stderr.write(`protodesk serve: UI built in ${(ms / 1000).toFixed(1)} s\n`);
}
