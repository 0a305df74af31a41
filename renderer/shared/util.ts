/** Small renderer helpers: bytes ↔ hex/base64/text, downloads, key handling. */
import { base64ToBytes, bytesToBase64 } from '../../core/api/tagged-json';

export { base64ToBytes, bytesToBase64 };

/** Hex of bytes, space separated. */
export function toHex(bytes: Uint8Array, sep = ' '): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(sep);
}

/** Bytes from hex text (spaces, 0x prefixes, commas and newlines allowed). Throws on odd or bad digits. */
export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/0x/gi, '').replace(/[\s,:]+/g, '');
  if (!/^[0-9a-fA-F]*$/.test(clean)) throw new Error('hex may contain only 0-9, a-f, spaces and 0x prefixes');
  if (clean.length % 2) throw new Error(`hex needs an even number of digits (got ${clean.length})`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Bytes pasted as hex or base64: hex when it only has hex digits (and separators), else base64. */
export function parsePastedBytes(text: string): { bytes: Uint8Array; as: 'hex' | 'base64' } {
  const t = text.trim();
  if (/^(0x)?[0-9a-fA-F]{2}([\s,:]*(0x)?[0-9a-fA-F]{2})*$/.test(t)) return { bytes: fromHex(t), as: 'hex' };
  if (/^[A-Za-z0-9+/_\-\s]+=*$/.test(t)) return { bytes: base64ToBytes(t), as: 'base64' };
  throw new Error('that is neither hex nor base64');
}

/** Offers bytes or text as a file download (browser mode). */
export function download(name: string, data: Uint8Array | string, type = 'application/octet-stream'): void {
  const blob = new Blob([typeof data === 'string' ? data : (data as Uint8Array<ArrayBuffer>)], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** True when the event target is a text input, textarea, select or Monaco (keys belong to it). */
export function isTypingTarget(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  if (!el || !el.closest) return false;
  return !!el.closest('input, textarea, select, [contenteditable="true"], .monaco-editor');
}

/** The message of an error value. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
