/** Whether "Nested as messages" was on for a file, remembered by its path in localStorage (files without a path are not remembered). */

const key = (path: string) => `protodesk.nested.${path}`;

/** Whether the file at `path` was last shown with nested fields as messages. */
export function nestedRemembered(path: string | null | undefined): boolean {
  if (!path) return false;
  try {
    return localStorage.getItem(key(path)) === '1';
  } catch {
    return false; // storage disabled
  }
}

/** Remembers (or forgets) "Nested as messages" for the file at `path`. */
export function rememberNested(path: string | null | undefined, on: boolean): void {
  if (!path) return;
  try {
    if (on) localStorage.setItem(key(path), '1');
    else localStorage.removeItem(key(path));
  } catch {
    // storage disabled or full: the choice holds for this session only
  }
}
