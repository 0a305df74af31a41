import { describe, expect, it } from 'vitest';
import { DOCUMENT_METHODS } from './contract';
import { checkRequest, REQUEST_SPECS } from './request-check';

describe('checkRequest', () => {
  it('accepts well-formed requests', () => {
    expect(() => checkRequest('getRows', { docId: 'd1', message: 0, start: 0, count: 50 })).not.toThrow();
    expect(() => checkRequest('edit', { docId: 'd1', message: 0, edit: { op: 'set', path: [1, 0], value: 5n } })).not.toThrow();
    expect(() => checkRequest('openBytes', { name: 'a.bin', bytes: new Uint8Array(2) })).not.toThrow();
  });
  it('refuses wrong types, missing and unexpected fields, and unknown edit ops', () => {
    expect(() => checkRequest('getRows', { docId: 1, message: 0, start: 0, count: 5 })).toThrow(/docId/);
    expect(() => checkRequest('getRows', { docId: 'd1', message: 0, start: 0 })).toThrow(/count/);
    expect(() => checkRequest('openPath', { path: '/x', extra: 1 })).toThrow(/extra/);
    expect(() => checkRequest('edit', { docId: 'd1', message: 0, edit: { op: 'explode', path: [] } })).toThrow(/unknown op/);
    expect(() => checkRequest('edit', { docId: 'd1', message: 0, edit: { op: 'set', path: [-1], value: 1 } })).toThrow(/path/);
    expect(() => checkRequest('openBytes', { name: 'a', bytes: [1, 2] })).toThrow(/bytes/);
  });
  it('has a spec for every document method a host registers, so none reaches the session unchecked', () => {
    const missing = DOCUMENT_METHODS.filter((m) => !(m in REQUEST_SPECS));
    expect(missing).toEqual([]);
    expect(() => checkRequest('cancelTask', { taskId: 7 })).toThrow(/taskId/);
    expect(() => checkRequest('recover', {})).toThrow(/id/);
    expect(() => checkRequest('discardRecoverable', {})).not.toThrow();
  });
});
