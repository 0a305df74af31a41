/**
 * The one typed registration of the contract, used by every host: Electron main registers each
 * method as an IPC handler, the browser-served mode as an HTTP route, both through
 * registerContract. It takes one handler per contract method (a missing one does not type-check),
 * checks every request, and answers an Outcome whose error carries its code. The two bridges the
 * renderer can have (the preload's, the HTTP one) are built here from the same method list.
 */
import { ApiError, toWireError } from './api-error';
import type { MethodName, ProtodeskApi, WireApi } from './contract';
import type { Outcome } from './method-map';
import { checkRequest, METHOD_NAMES } from './request-check';

/** One method as a host's transport calls it: the request as it arrived, the Outcome to send back. */
export type BoundaryCall = (request: unknown) => Promise<Outcome<unknown>>;

/** Options of registerContract. */
export interface RegisterOptions {
  /** Runs after the request check, before the handler; throws to refuse (Electron: paths the user did not choose). */
  authorize?(method: MethodName, request: unknown): void;
}

/** Registers every contract method with a host's transport: `register` gets each method and its boundary call. */
export function registerContract(
  handlers: ProtodeskApi,
  register: (method: MethodName, call: BoundaryCall) => void,
  options: RegisterOptions = {},
): void {
  for (const method of METHOD_NAMES) {
    const handler = handlers[method] as unknown as (request: unknown) => Promise<unknown>;
    // Only an object cast past the type system gets here without one: say which method at start-up.
    if (typeof handler !== 'function') throw new Error(`no handler for the contract method ${method}`);
    register(method, async (request) => {
      try {
        checkRequest(method, request);
        options.authorize?.(method, request);
        return { result: await handler.call(handlers, request) };
      } catch (e) {
        return { error: toWireError(e) };
      }
    });
  }
}

/** One function per contract method, each made by `make` (the preload's table, the browser bridge's). */
export function perMethod<F>(make: (method: MethodName) => F): Record<MethodName, F> {
  return Object.fromEntries(METHOD_NAMES.map((m) => [m, make(m)])) as Record<MethodName, F>;
}

/** The wire API over a function that sends one call and answers its Outcome. */
export function wireApi(send: (method: MethodName, request: unknown) => Promise<Outcome<unknown>>): WireApi {
  return perMethod((m) => (request: unknown) => send(m, request)) as unknown as WireApi;
}

/** The result of an Outcome, or its error thrown as an ApiError with the code. */
export function unwrapOutcome<T>(outcome: Outcome<T>): T {
  if ('error' in outcome) throw new ApiError(outcome.error.code, outcome.error.message);
  return outcome.result;
}

/** The API the renderer calls, over a wire API: results returned, errors thrown as ApiErrors with their code. */
export function apiOverWire(wire: WireApi): ProtodeskApi {
  const table = wire as unknown as Record<MethodName, (request: unknown) => Promise<Outcome<unknown>>>;
  return perMethod((m) => async (request: unknown) => unwrapOutcome(await table[m](request ?? {}))) as unknown as ProtodeskApi;
}
