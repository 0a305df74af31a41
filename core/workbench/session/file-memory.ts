/**
 * What the session remembers across runs through the host's small persistent state: the type
 * chosen for each file, and the recently opened or saved files.
 */
import type { FileHost } from '../engine';
import type { SessionApiPart } from './session-api';

/** How many recent files are remembered. */
const RECENT_FILES = 12;

/** The state key of the type remembered for a file (by its path, or its name when it has none). */
export function rememberedTypeKey(path: string | null, name: string): string {
  return `type:${path ?? name}`;
}

/** Puts a file first in the recent files. */
export function addRecent(files: FileHost, path: string): void {
  const list = (files.getState<string[]>('recent') ?? []).filter((p) => p !== path);
  list.unshift(path);
  files.setState('recent', list.slice(0, RECENT_FILES));
}

/** The recent files method. */
export function createRecentFiles(files: FileHost): SessionApiPart<'recentFiles'> {
  return {
    async recentFiles() {
      return files.getState<string[]>('recent') ?? [];
    },
  };
}
