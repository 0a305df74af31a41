/**
 * The size limit on opening a file, shared by the host (which enforces it) and the renderer
 * (which checks a dropped file before sending it, so a file over the limit is refused with the
 * same words instead of a broken upload).
 */

/** Files over this many bytes are not opened in the workbench (the session's default maxOpenBytes). */
export const MAX_OPEN_BYTES = 1024 * 1024 * 1024;

/**
 * A tree row carries at most this much of a string or bytes value (bytes, or UTF-16 code units):
 * a longer value comes as its start plus its whole length (TreeRow.valueLength), and the rest is
 * fetched with getValueChunk, so showing rows never copies a huge field each time.
 */
export const MAX_ROW_VALUE = 4096;

/** The most one getValueChunk answer carries (bytes, or UTF-16 code units). */
export const MAX_VALUE_CHUNK = 1024 * 1024;

/** A byte size for messages: '1.5 GB', '640 KB', '12 bytes' (binary units). */
export function formatSize(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 ? Math.round(v) : v.toFixed(1).replace(/\.0$/, '')} ${units[u]}`;
}

/** Why a file of `size` bytes named `name` is not opened, or null when it is within `max`. */
export function tooBigToOpen(name: string, size: number, max: number = MAX_OPEN_BYTES): string | null {
  if (size <= max) return null;
  // Rounded sizes can read the same ("1 GB, over the 1 GB"): then give the exact byte counts.
  const exact = formatSize(size) === formatSize(max);
  const sizeText = exact ? `${size.toLocaleString('en-US')} bytes` : formatSize(size);
  const limitText = exact ? `${max.toLocaleString('en-US')} bytes` : formatSize(max);
  return `${name} is ${sizeText}, over the ${limitText} the workbench opens (maxOpenBytes); \`protodesk raw\` reads it from the command line`;
}
