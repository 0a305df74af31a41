/** Base64 for bytes, shared by the JSON format, the raw view, the node builders and the IPC codec. */

/** Standard base64 with padding (chunked, so large arrays do not overflow the call stack). */
export function bytesToBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** Decodes standard or URL-safe base64 (padding optional, white space ignored); throws a TypeError naming the value when it is not base64. */
export function base64ToBytes(s: string): Uint8Array {
  const clean = s.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.replace(/=+$/, '').length % 4 === 1) {
    throw new TypeError(`value ${JSON.stringify(s.length > 40 ? s.slice(0, 40) + '…' : s)} is not valid base64 (bytes)`);
  }
  const padded = clean.replace(/=+$/, '');
  const bin = atob(padded + '='.repeat((4 - (padded.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
