import { describe, expect, it } from 'vitest';
import { ApiError, hasErrorCode } from './api-error';
import type { MethodName, ProtodeskApi } from './contract';
import type { Outcome } from './method-map';
import { apiOverWire, perMethod, registerContract, wireApi, type BoundaryCall } from './register';
import { METHOD_NAMES } from './request-check';

/** An API whose every method answers its request (an echo), with `overrides`. */
function echoApi(overrides: Partial<Record<MethodName, (request: never) => Promise<unknown>>> = {}): ProtodeskApi {
  return { ...perMethod(() => async (request: unknown) => request), ...overrides } as unknown as ProtodeskApi;
}

/** The boundary calls registerContract hands a transport, by method. */
function register(api: ProtodeskApi): Map<MethodName, BoundaryCall> {
  const calls = new Map<MethodName, BoundaryCall>();
  registerContract(api, (method, call) => {
    expect(calls.has(method)).toBe(false);
    calls.set(method, call);
  });
  return calls;
}

describe('registerContract', () => {
  it('registers every contract method once, document and replay alike', () => {
    const calls = register(echoApi());
    expect([...calls.keys()]).toEqual(METHOD_NAMES);
    expect(METHOD_NAMES).toEqual(
      expect.arrayContaining(['appInfo', 'getRows', 'cancelTask', 'replaySend', 'replayMockStart', 'choosePaths']),
    );
  });

  it('checks each request before its handler runs, and answers an Outcome', async () => {
    const seen: unknown[] = [];
    const calls = register(
      echoApi({
        replaySend: async (request) => (seen.push(request), { ok: true }),
      }),
    );
    const send = calls.get('replaySend')!;
    expect(await send({ url: 'file:///etc/passwd', transport: 'twirp', method: 'a.B/C' })).toEqual({
      error: { code: 'invalid-input', message: 'replaySend: field "url" must be an http(s) or ws(s) URL' },
    });
    expect(seen).toEqual([]);
    expect(await send({ url: 'http://127.0.0.1:1/', transport: 'twirp', method: 'a.B/C' })).toEqual({ result: { ok: true } });
    expect(seen).toHaveLength(1);
  });

  it('runs authorize after the check and before the handler; what it throws is answered with its code', async () => {
    const calls = new Map<MethodName, BoundaryCall>();
    registerContract(echoApi(), (m, c) => calls.set(m, c), {
      authorize: (method) => {
        if (method === 'openPath') throw new ApiError('refused', 'openPath: not chosen');
      },
    });
    expect(await calls.get('openPath')!({ path: '/x' })).toEqual({ error: { code: 'refused', message: 'openPath: not chosen' } });
    expect(await calls.get('openPath')!({ path: 7 })).toMatchObject({ error: { code: 'invalid-input' } });
  });

  it('gives what a handler throws its code: by the error, or by the session error names', async () => {
    const named = (name: string, message: string) => Object.assign(new Error(message), { name });
    const calls = register(
      echoApi({
        cancelTask: async () => {
          throw named('CancelledError', 'Expanding was cancelled');
        },
        save: async () => {
          throw named('SaveConflictError', 'a.bin changed on disk since it was opened');
        },
        saveAs: async () => {
          throw named('FileExistsError', '/tmp/b.bin already exists: it was not replaced.');
        },
        openPath: async () => {
          throw named('SchemaAddedError', 'widget.proto was added to the schemas.');
        },
        removeSchema: async () => {
          throw named('ReadOnlyFileError', 'a.bin is read-only.');
        },
        getSummary: async () => {
          throw new Error('no open document d9');
        },
        choosePaths: async () => {
          throw new ApiError('unsupported', 'no native dialogs here');
        },
      }),
    );
    expect(await calls.get('cancelTask')!({ taskId: 't' })).toEqual({ error: { code: 'cancelled', message: 'Expanding was cancelled' } });
    expect(await calls.get('save')!({ docId: 'd' })).toMatchObject({ error: { code: 'conflict' } });
    // Errors the user can get past by agreeing, and the open that added a schema instead, keep their own codes.
    expect(await calls.get('saveAs')!({ docId: 'd', path: '/tmp/b.bin' })).toMatchObject({ error: { code: 'exists' } });
    expect(await calls.get('removeSchema')!({ source: 'a.bin' })).toMatchObject({ error: { code: 'read-only' } });
    expect(await calls.get('openPath')!({ path: '/x/widget.proto' })).toMatchObject({ error: { code: 'schema-added' } });
    expect(await calls.get('getSummary')!({ docId: 'd9' })).toEqual({ error: { code: 'failed', message: 'no open document d9' } });
    expect(await calls.get('choosePaths')!({ purpose: 'tls-ca', kind: 'file' })).toMatchObject({ error: { code: 'unsupported' } });
  });

  it('a contract method without a handler is a type error, and stops the host at start-up naming it', () => {
    const { appInfo: _left, ...missing } = echoApi();
    // @ts-expect-error: appInfo has no handler
    expect(() => registerContract(missing, () => undefined)).toThrow('no handler for the contract method appInfo');
  });
});

describe('the renderer side: wireApi and apiOverWire', () => {
  it('has one function per contract method, and throws an Outcome error as an ApiError with its code', async () => {
    const sent: [string, unknown][] = [];
    const wire = wireApi(async (method, request): Promise<Outcome<unknown>> => {
      sent.push([method, request]);
      return method === 'cancelTask' ? { error: { code: 'cancelled', message: 'Filtering was cancelled' } } : { result: 42 };
    });
    expect(Object.keys(wire)).toEqual(METHOD_NAMES);
    const api = apiOverWire(wire);
    expect(Object.keys(api)).toEqual(METHOD_NAMES);
    expect(await api.listDocuments({})).toBe(42);
    const failure = await api.cancelTask({ taskId: 't' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ code: 'cancelled', message: 'Filtering was cancelled' });
    expect(hasErrorCode(failure, 'cancelled')).toBe(true);
    expect(hasErrorCode(new Error('Filtering was cancelled'), 'cancelled')).toBe(false);
    expect(sent).toEqual([
      ['listDocuments', {}],
      ['cancelTask', { taskId: 't' }],
    ]);
  });
});
