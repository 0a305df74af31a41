/** Typed arrays that grow: the columns and stacks of the readers and indexes keep their numbers in them. */

/** A typed array, with its contents copied, of `length` elements (a column or stack given more room). */
export function grownTo<T extends Int32Array | Uint32Array | Uint8Array | Float64Array>(a: T, length: number): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a as ArrayLike<number>);
  return b;
}
