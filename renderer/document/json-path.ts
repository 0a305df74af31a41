/** Where a cursor is inside JSON text: the keys of the enclosing objects (array levels skipped). */

/** One level of nesting: an object (with the key being written, if any) or an array. */
interface Level {
  kind: 'object' | 'array';
  key: string | null;
}

/**
 * The path of keys to the object that contains the cursor, and whether the cursor is at a
 * key position (where a field name would be typed). Tolerant of incomplete text.
 */
export function jsonContext(text: string): { path: string[]; atKey: boolean } {
  const stack: Level[] = [];
  let lastString: string | null = null;
  let expectKey = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      let s = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\') j++;
        s += text[j] ?? '';
        j++;
      }
      if (j >= text.length) return { path: pathOf(stack), atKey: expectKey };
      lastString = s;
      i = j + 1;
      continue;
    }
    if (c === '{') {
      stack.push({ kind: 'object', key: null });
      expectKey = true;
    } else if (c === '[') {
      stack.push({ kind: 'array', key: null });
      expectKey = false;
    } else if (c === '}' || c === ']') {
      stack.pop();
      expectKey = false;
    } else if (c === ':') {
      const top = stack[stack.length - 1];
      if (top?.kind === 'object') top.key = lastString;
      expectKey = false;
    } else if (c === ',') {
      const top = stack[stack.length - 1];
      expectKey = top?.kind === 'object';
    }
    i++;
  }
  return { path: pathOf(stack), atKey: expectKey };
}

function pathOf(stack: Level[]): string[] {
  // Keys of each object level that opened a nested value (the last level is the current object).
  const out: string[] = [];
  for (let k = 0; k < stack.length - 1; k++) {
    const l = stack[k];
    if (l.kind === 'object' && l.key !== null) out.push(l.key);
  }
  return out;
}
