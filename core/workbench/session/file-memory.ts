/**
 * What the session remembers across runs through the host's small persistent state: the type
 * chosen for each file, and the recently opened or saved files.
 *
 * A type is remembered for a file's path (or, for dropped bytes, their name) and a hash of its
 * content: another file with the same name, or the file changed by another program, does not get
 * the old type silently (detection chooses instead).
 */
import type { FileHost } from '../engine';
import { typeName, type OpenDocument } from './document-state';
import { knownHash } from './file-stamps';
import type { SessionApiPart } from './session-api';

/** How many recent files are remembered. */
const RECENT_FILES = 12;

/** A remembered type: the type's name (null: raw, no schema) and the hash of the content it was chosen for (null: the host does not hash). */
export interface RememberedType {
  typeName: string | null;
  hash: string | null;
}

/** The state key of the type remembered for a file (by its path, or its name when it has none). */
export function rememberedTypeKey(path: string | null, name: string): string {
  return `type:${path ?? name}`;
}

/** Whether anything is remembered for a file (so its hash is worth waiting for). */
export function hasRememberedType(files: FileHost, path: string | null, name: string): boolean {
  const r = files.getState<RememberedType>(rememberedTypeKey(path, name));
  return r !== undefined && r !== null && typeof r === 'object';
}

/**
 * The type remembered for a file with this content: its name, null for raw, undefined when none
 * is remembered for it (or one is, for other content; entries without a hash, from earlier
 * versions, are not trusted).
 */
export async function rememberedType(
  files: FileHost,
  path: string | null,
  name: string,
  hash: Promise<string | null>,
): Promise<string | null | undefined> {
  const r = files.getState<RememberedType>(rememberedTypeKey(path, name));
  if (!r || typeof r !== 'object' || !('hash' in r)) return undefined;
  return r.hash === (await hash) ? r.typeName : undefined;
}

/** Remembers the document's type (or, with `name` given, that type) for its file and the content on disk. */
export async function rememberType(
  files: FileHost,
  d: OpenDocument,
  name: string | null = d.type ? typeName(d.type) : null,
): Promise<void> {
  const key = rememberedTypeKey(d.path, d.name);
  const value: RememberedType = { typeName: name, hash: await knownHash(d) };
  files.setState(key, value);
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
