/**
 * The one way main opens a link in the user's browser: only https URLs to hosts on an allowlist
 * reach shell.openExternal (Electron security checklist: never openExternal untrusted input).
 */
import { shell } from 'electron';

/** Hosts the app links to (the Help menu). */
export const EXTERNAL_HOSTS: readonly string[] = ['protobuf.dev'];

/** The URL, normalized, when it is https to an allowed host without credentials; else null. */
export function checkedExternalUrl(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' || u.username || u.password || u.port || !EXTERNAL_HOSTS.includes(u.hostname)) return null;
  return u.href;
}

/** Opens an allowed https URL in the browser; refuses (and returns false) anything else. */
export async function openExternalLink(url: string): Promise<boolean> {
  const checked = checkedExternalUrl(url);
  if (!checked) return false;
  // The argument is the allowlisted https URL checked above, never page input.
  await shell.openExternal(checked); // eng-disable OPEN_EXTERNAL_JS_CHECK
  return true;
}
