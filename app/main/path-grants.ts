/**
 * Paths the user chose, and the check that a renderer request names only those. The
 * renderer is not trusted with the file system: a page compromised through a renderer bug could
 * otherwise ask main to read or overwrite any file. Main grants a path when the user picks it in
 * a native dialog, drops the file on the window, names it on the command line or the OS opens it
 * with the app, or when it is a recent file or a recovery entry; every request that names a path
 * is checked against the grants before its handler runs.
 *
 * Reading and writing are apart: a file the user opened (dialog, drop, command line, the OS,
 * Open Recent in the menu) or chose in a save dialog may be written; a file that is merely inside
 * a granted folder, a recent file listed to the page, a recovery entry or a TLS file may only be
 * read. Folder grants compare real paths (symbolic links resolved), so a link inside a granted
 * folder cannot lead out of it.
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { ApiError } from '../../core/api/api-error';

/** What a grant allows: reading, or also writing (a path chosen in a save dialog). */
export type Access = 'read' | 'write';

/** A path named by a request: which field, the access it needs, and where the user chooses one. */
export interface RequestPath {
  field: string;
  path: string;
  access: Access;
  /** How the user gives such a path in this app (for the error). */
  howToChoose: string;
}

const OPEN = 'use File › Open, or drop the file on the window';
const SAVE = 'use File › Save As';
const SCHEMAS = 'use the Add buttons of the Schemas panel';
const TLS_FILE = "use the field's Choose… button in the Replay pane, or drop the file on the window";
const FIXTURE_FILE = 'only files you opened (File › Open) or dropped on the window can be read';

/** The paths a request names, per contract method (methods not listed name none). */
export function requestPaths(method: string, request: unknown): RequestPath[] {
  const r = (request ?? {}) as Record<string, unknown>;
  const out: RequestPath[] = [];
  const add = (field: string, value: unknown, access: Access, howToChoose: string) => {
    if (typeof value === 'string') out.push({ field, path: value, access, howToChoose });
  };
  const addAll = (field: string, values: unknown, howToChoose: string) => {
    if (Array.isArray(values)) values.forEach((v, i) => add(`${field}[${i}]`, v, 'read', howToChoose));
  };
  switch (method) {
    case 'openPath':
    case 'openCapturePath':
      add('path', r.path, 'read', OPEN);
      break;
    case 'saveAs':
      add('path', r.path, 'write', SAVE);
      break;
    case 'addSchemas':
      addAll('protoFiles', r.protoFiles, SCHEMAS);
      addAll('importPaths', r.importPaths, SCHEMAS);
      addAll('descriptorSets', r.descriptorSets, SCHEMAS);
      break;
    case 'replaySend':
    case 'replayStream': {
      const tls = (r.tls ?? {}) as Record<string, unknown>;
      for (const k of ['caFile', 'certFile', 'keyFile']) add(`tls.${k}`, tls[k], 'read', TLS_FILE);
      break;
    }
    case 'replayMockStart':
      add('fixtureFile', r.fixtureFile, 'read', FIXTURE_FILE);
      break;
  }
  return out;
}

/** The paths granted in this window, and the check of requests against them. */
export class PathGrants {
  /** Normalized path → access. */
  private readonly files = new Map<string, Access>();
  /** Real paths of folders (from a folder dialog): they cover what is inside them, for reading. */
  private readonly folders = new Set<string>();

  /** Grants paths; relative ones are taken from `cwd` (as the session and replay service resolve them). */
  grant(paths: Iterable<string>, access: Access = 'read', cwd = process.cwd()): void {
    for (const p of paths) {
      const key = normalized(p, cwd);
      if (access === 'write' || !this.files.has(key)) this.files.set(key, access);
    }
  }

  /** Grants folders the user picked, with everything under them (for reading), by their real path. */
  grantFolders(paths: Iterable<string>, cwd = process.cwd()): void {
    for (const p of paths) this.folders.add(realOrResolved(normalized(p, cwd)));
  }

  /** The access granted for `path` itself (not through a folder), if any. */
  fileAccess(path: string, cwd = process.cwd()): Access | undefined {
    return this.files.get(normalized(path, cwd));
  }

  /** True when `path` may be used with `access`. */
  allows(path: string, access: Access, cwd = process.cwd()): boolean {
    const granted = this.fileAccess(path, cwd);
    if (granted === 'write' || (granted === 'read' && access === 'read')) return true;
    if (access === 'write') return false;
    // Inside a granted folder: where the path really leads (a link inside may point anywhere).
    const real = realOrResolved(normalized(path, cwd));
    for (const folder of this.folders) if (real === folder || real.startsWith(folder.endsWith(sep) ? folder : folder + sep)) return true;
    return false;
  }

  /** Throws, naming the method, field and path, when a request names a path the user did not choose. */
  check(method: string, request: unknown, cwd = process.cwd()): void {
    for (const p of requestPaths(method, request)) {
      if (!this.allows(p.path, p.access, cwd)) {
        const what = p.access === 'write' ? 'chosen by you in a save dialog' : 'chosen by you in this window';
        throw new ApiError('refused', `${method}: ${p.field} "${p.path}" was not ${what}; ${p.howToChoose}`);
      }
    }
  }
}

/** The absolute, normalized form of a path (case-folded on Windows, whose file names ignore case). */
function normalized(path: string, cwd: string): string {
  const abs = resolve(cwd, path);
  return process.platform === 'win32' ? abs.toLowerCase() : abs;
}

/** The real path (symbolic links resolved); for a path that does not exist, its folder's real path and its name. */
function realOrResolved(abs: string): string {
  const fold = (p: string) => (process.platform === 'win32' ? p.toLowerCase() : p);
  try {
    return fold(realpathSync.native(abs));
  } catch {
    try {
      return fold(join(realpathSync.native(dirname(abs)), basename(abs)));
    } catch {
      return abs;
    }
  }
}
