/** Offsets as the hex view's "Go to byte" reads and shows them: decimal or 0x hex, checked against the message's length. */

/** The offset `text` names (decimal, or hex with 0x), in 0..total-1; throws saying what was typed, what fits and what to type. */
export function parseOffset(text: string, total: number): number {
  const t = text.trim().replace(/_/g, '');
  if (!t) throw new Error('type an offset: decimal (120) or hex (0x78)');
  let n: number;
  if (/^0x[0-9a-f]+$/i.test(t)) n = parseInt(t.slice(2), 16);
  else if (/^\d+$/.test(t)) n = Number(t);
  else throw new Error(`“${text.trim()}” is not an offset: type decimal (120) or hex with 0x (0x78)`);
  if (total === 0) throw new Error('this message has no bytes');
  if (!Number.isSafeInteger(n) || n >= total)
    throw new Error(
      `byte ${t} is past the end: this message has ${total} bytes, 0 to ${total - 1} (0x0 to 0x${(total - 1).toString(16)}); type one of those`,
    );
  return n;
}

/** An offset in decimal and hex: "300 (0x12c)". */
export function formatOffset(n: number): string {
  return `${n} (0x${n.toString(16)})`;
}
