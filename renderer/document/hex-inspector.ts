/**
 * The data inspector of the hex editor: what the bytes at the caret read as, the ways protobuf
 * can hold them (varint, zigzag, fixed32/64, float, double) and as UTF-8, each with its width.
 */

/** One reading of the bytes at the caret: its name, value as text, and how many bytes it takes (0: none fits). */
export interface Inspection {
  as: string;
  value: string;
  bytes: number;
}

/** The readings of `bytes` (the bytes from the caret on; fewer near the end). */
export function inspectBytes(bytes: Uint8Array): Inspection[] {
  const out: Inspection[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let v = 0n;
  let n = 0;
  for (; n < Math.min(10, bytes.length); n++) {
    v |= BigInt(bytes[n] & 0x7f) << BigInt(7 * n);
    if (bytes[n] < 0x80) break;
  }
  if (n < Math.min(10, bytes.length)) {
    const u = BigInt.asUintN(64, v);
    out.push({ as: 'varint', value: `${u}`, bytes: n + 1 });
    out.push({ as: 'zigzag', value: `${(u >> 1n) ^ -(u & 1n)}`, bytes: n + 1 });
    out.push({ as: 'tag', value: `field ${u >> 3n}, wire type ${u & 7n}`, bytes: n + 1 });
  } else out.push({ as: 'varint', value: bytes.length < 10 ? 'runs past the end' : 'longer than 10 bytes', bytes: 0 });
  if (bytes.length >= 4) {
    out.push({ as: 'fixed32', value: `${view.getUint32(0, true)}`, bytes: 4 });
    out.push({ as: 'sfixed32', value: `${view.getInt32(0, true)}`, bytes: 4 });
    out.push({ as: 'float', value: `${view.getFloat32(0, true)}`, bytes: 4 });
  }
  if (bytes.length >= 8) {
    out.push({ as: 'fixed64', value: `${view.getBigUint64(0, true)}`, bytes: 8 });
    out.push({ as: 'sfixed64', value: `${view.getBigInt64(0, true)}`, bytes: 8 });
    out.push({ as: 'double', value: `${view.getFloat64(0, true)}`, bytes: 8 });
  }
  const width = utf8Width(bytes[0]);
  if (width && bytes.length >= width) {
    let ch: string | null;
    try {
      ch = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(0, width));
    } catch {
      ch = null;
    }
    out.push({ as: 'UTF-8', value: ch === null ? 'not a UTF-8 sequence' : JSON.stringify(ch), bytes: ch === null ? 0 : width });
  }
  return out;
}

/** How many bytes the UTF-8 sequence starting with this byte has (0: not a first byte). */
function utf8Width(b: number | undefined): number {
  if (b === undefined) return 0;
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b < 0xe0) return 2;
  if (b >= 0xe0 && b < 0xf0) return 3;
  if (b >= 0xf0 && b < 0xf5) return 4;
  return 0;
}
