/** Recognizing call-stack exhaustion, so deep recursion can fail with a clean, located error. */

/**
 * True when `e` comes from the engine running out of call stack (V8: "Maximum call stack size
 * exceeded", a RangeError, or inside another error such as a regular expression that could not be
 * compiled; SpiderMonkey: "too much recursion"). Uses no regular expression: it runs near the
 * bottom of the stack.
 */
export function isStackOverflow(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const m = e.message;
  return typeof m === 'string' && (m.includes('Maximum call stack size exceeded') || m.includes('too much recursion'));
}
