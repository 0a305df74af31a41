/** Which type a search in the type picker names: an exact full name first, else an unambiguous short name. */

/** The type a search names exactly: its full name, else the one type whose short name it is; null when none or several. */
export function exactType(names: readonly string[], query: string): string | null {
  const q = query.trim().toLowerCase();
  if (!q) return null;
  const unique = [...new Set(names)];
  const full = unique.find((n) => n.toLowerCase() === q);
  if (full) return full;
  const short = unique.filter((n) => n.toLowerCase().endsWith(`.${q}`));
  return short.length === 1 ? short[0] : null;
}
