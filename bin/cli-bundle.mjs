// The prebuilt CLI bundle (dist/cli/, written by scripts/build.mjs) and the record of what it
// was built from. bin/protodesk runs the bundle only while every input file still has the
// mtime and size it had when the bundle was built, so an edited source is never run stale.
// Checking costs one stat per input (about 80 files, under a millisecond).
import { readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Where the bundle is written; its entry is `protodesk.mjs`. */
export const BUNDLE_DIR = join(ROOT, 'dist', 'cli');

/** The record: `{ inputs: { "path from the package root": [mtimeMs, size] } }`; absent while a build runs. */
const manifest = (dir) => join(dir, 'inputs.json');

/** The bundle's entry (a file URL) when every input it was built from is unchanged; otherwise null. */
export function freshBundle(dir = BUNDLE_DIR) {
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(manifest(dir), 'utf8')).inputs;
  } catch {
    return null;
  }
  for (const file in inputs) {
    // ROOT ends in a separator; the recorded paths are relative to it (esbuild's) or absolute.
    // Joined by hand: path.resolve, run cold for each of about 240 files, cost more than the stats.
    const st = statSync(isAbsolute(file) ? file : ROOT + file, { throwIfNoEntry: false });
    if (!st || st.mtimeMs !== inputs[file][0] || st.size !== inputs[file][1]) return null;
  }
  return pathToFileURL(join(dir, 'protodesk.mjs')).href;
}

/** Marks the bundle as out of date (before it is rebuilt). */
export function forgetInputs(dir = BUNDLE_DIR) {
  try {
    unlinkSync(manifest(dir));
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
  }
}

/**
 * Records the inputs (paths from the package root) of a build that started at `startedMs`
 * (Date.now()). Records nothing and returns the file when one was modified since shortly
 * before the start: the bundle may hold an older version of it. Returns null when recorded.
 */
export function recordInputs(files, startedMs, dir = BUNDLE_DIR) {
  // File times come from a coarse kernel clock (up to a tick, 1-10 ms, behind): keep a margin.
  const margin = 50;
  const inputs = {};
  for (const file of files) {
    const st = statSync(resolve(ROOT, file));
    if (st.mtimeMs >= startedMs - margin) return file;
    inputs[file] = [st.mtimeMs, st.size];
  }
  const tmp = `${manifest(dir)}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ inputs }));
  renameSync(tmp, manifest(dir));
  return null;
}
