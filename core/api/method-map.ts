/**
 * How a contract method map (method name → [request, response]) becomes functions, and what one
 * call answers as it travels: its result, or an error with its code.
 */
import type { WireError } from './api-error';

/** A contract method map turned into functions: one function per method. */
export type ApiOf<M> = { [K in keyof M]: M[K] extends [infer Req, infer Res] ? (request: Req) => Promise<Res> : never };

/** What a host answers for one call, over Electron IPC and HTTP alike. */
export type Outcome<T> = { result: T } | { error: WireError };

/** A method map turned into functions answering an Outcome (the preload's `window.protodesk.api`). */
export type WireApiOf<M> = {
  [K in keyof M]: M[K] extends [infer Req, infer Res] ? (request: Req) => Promise<Outcome<Res>> : never;
};
