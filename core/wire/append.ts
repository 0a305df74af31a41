/** Appending many items to an array without spreading them as call arguments. */

/**
 * Appends every item of `items` to `target`. `target.push(...items)` passes each item as an
 * argument, and past about 100,000 of them the call stack runs out (a flat repeated field of a
 * few hundred thousand elements did).
 */
export function appendAll<T>(target: T[], items: readonly T[]): void {
  for (let i = 0; i < items.length; i++) target.push(items[i]);
}
