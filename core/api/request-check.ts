/**
 * Checks the shape of a request before a host acts on it (IPC and HTTP arguments come from a less
 * trusted process): every contract method, document and replay alike, in every host, through
 * registerContract (core/api/register.ts).
 */
import { ApiError } from './api-error';
import type { MethodName } from './contract';
import { problem } from './field-checks';
import { REQUEST_RULES, REQUEST_SPECS } from './request-specs';

/** Every contract method, in the contract's order: the keys of REQUEST_SPECS, which must name them all. */
export const METHOD_NAMES = Object.freeze(Object.keys(REQUEST_SPECS)) as readonly MethodName[];

/** True when `name` is a contract method. */
export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(REQUEST_SPECS, name);
}

/** Throws an ApiError (invalid-input) naming the method, the field and what it must be when a request does not fit its method. */
export function checkRequest(method: MethodName, request: unknown): void {
  const p = problem(REQUEST_SPECS[method], request) ?? REQUEST_RULES[method]?.(request as Record<string, unknown>) ?? null;
  if (p) throw new ApiError('invalid-input', `${method}: ${p}`);
}
