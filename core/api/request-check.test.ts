import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error';
import { checkRequest, isMethodName, METHOD_NAMES } from './request-check';

describe('checkRequest', () => {
  it('accepts well-formed requests', () => {
    expect(() => checkRequest('getRows', { docId: 'd1', message: 0, start: 0, count: 50 })).not.toThrow();
    expect(() => checkRequest('edit', { docId: 'd1', message: 0, edit: { op: 'set', path: [1, 0], value: 5n } })).not.toThrow();
    expect(() => checkRequest('openBytes', { name: 'a.bin', bytes: new Uint8Array(2) })).not.toThrow();
    expect(() =>
      checkRequest('replaySend', { url: 'http://127.0.0.1:7880/', transport: 'twirp', method: 'a.B/C', headers: [['x', 'y']] }),
    ).not.toThrow();
  });

  it('refuses wrong types, missing and unexpected fields, and unknown edit ops, saying which and what it must be', () => {
    expect(() => checkRequest('getRows', { docId: 1, message: 0, start: 0, count: 5 })).toThrow('getRows: field "docId" must be a string');
    expect(() => checkRequest('getRows', { docId: 'd1', message: 0, start: 0 })).toThrow('getRows: missing field "count"');
    expect(() => checkRequest('openPath', { path: '/x', extra: 1 })).toThrow('openPath: unexpected field "extra"');
    expect(() => checkRequest('edit', { docId: 'd1', message: 0, edit: { op: 'explode', path: [] } })).toThrow('edit: unknown op explode');
    expect(() => checkRequest('edit', { docId: 'd1', message: 0, edit: { op: 'set', path: [-1], value: 1 } })).toThrow(
      /^edit: op set: field "path" must be a node path/,
    );
    expect(() => checkRequest('openBytes', { name: 'a', bytes: [1, 2] })).toThrow(/bytes/);
    expect(() => checkRequest('getText', { docId: 'd1', message: 0, format: 'yaml' })).toThrow(/format/);
  });

  it('refuses replay requests that do not fit: URLs other than http(s), unknown transports, bad auth', () => {
    const target = { url: 'http://127.0.0.1:1/', transport: 'twirp', method: 'a.B/C' };
    expect(() => checkRequest('replaySend', { ...target, url: 'file:///etc/passwd' })).toThrow(
      'field "url" must be an http(s) or ws(s) URL',
    );
    // The websocket transport's signal URL passes.
    expect(() =>
      checkRequest('replaySend', { ...target, transport: 'websocket', method: 'livekit/rtc', url: 'ws://127.0.0.1:7880' }),
    ).not.toThrow();
    expect(() => checkRequest('replaySend', { ...target, url: 'http://' })).toThrow(/url/);
    expect(() => checkRequest('replaySend', { ...target, transport: 'ftp' })).toThrow(/transport" must be one of twirp, twirp-json/);
    expect(() => checkRequest('replaySend', { ...target, auth: { kind: 'root' } })).toThrow(/auth/);
    expect(() => checkRequest('replayMockStart', { port: 70000 })).toThrow(/port/);
    expect(() => checkRequest('choosePaths', { purpose: 'ssh-key', kind: 'file' })).toThrow(/purpose/);
  });

  it('throws an ApiError with the invalid-input code', () => {
    let thrown: unknown;
    try {
      checkRequest('recover', {});
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    expect(thrown).toMatchObject({ code: 'invalid-input', message: 'recover: missing field "id"' });
  });

  it('has a spec for every contract method, document and replay, so none reaches a handler unchecked', () => {
    for (const m of ['getRows', 'cancelTask', 'keepMine', 'replaySend', 'replayEvents', 'choosePaths'] as const) {
      expect(METHOD_NAMES).toContain(m);
      expect(() => checkRequest(m, 'not an object')).toThrow(`${m}: the request must be an object`);
    }
    expect(isMethodName('toString')).toBe(false);
    expect(isMethodName('__proto__')).toBe(false);
    expect(() => checkRequest('discardRecoverable', {})).not.toThrow();
  });
});
