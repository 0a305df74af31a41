import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PathGrants, requestPaths } from './path-grants';

const base = resolve('/home/u/work');
const at = (...parts: string[]) => join(base, ...parts);

describe('PathGrants', () => {
  it('allows a granted file however the path is spelled, and nothing beside it', () => {
    const g = new PathGrants();
    g.grant([at('a.bin')]);
    expect(g.allows(at('a.bin'), 'read')).toBe(true);
    expect(g.allows(at('x', '..', 'a.bin'), 'read')).toBe(true);
    expect(g.allows('a.bin', 'read', base)).toBe(true); // relative to the session's directory
    expect(g.allows(at('a.bin', '..', 'b.bin'), 'read')).toBe(false);
    expect(g.allows(at('a.bin2'), 'read')).toBe(false);
    expect(g.allows(base, 'read')).toBe(false);
  });

  it('writes only where a save dialog chose (a write grant also reads)', () => {
    const g = new PathGrants();
    g.grant([at('opened.bin')]);
    g.grant([at('saved.bin')], 'write');
    expect(g.allows(at('opened.bin'), 'write')).toBe(false);
    expect(g.allows(at('saved.bin'), 'write')).toBe(true);
    expect(g.allows(at('saved.bin'), 'read')).toBe(true);
    g.grant([at('saved.bin')]); // opening it again keeps the write grant
    expect(g.allows(at('saved.bin'), 'write')).toBe(true);
  });

  it('a picked folder covers what is inside it, for reading only', () => {
    const g = new PathGrants();
    g.grantFolders([at('protos')]);
    expect(g.allows(at('protos'), 'read')).toBe(true);
    expect(g.allows(at('protos', 'deep', 'm.proto'), 'read')).toBe(true);
    expect(g.allows(at('protos-other', 'm.proto'), 'read')).toBe(false);
    expect(g.allows(at('protos', '..', 'secret'), 'read')).toBe(false);
    expect(g.allows(at('protos', 'm.proto'), 'write')).toBe(false);
  });

  it('check names the method, the field, the path and the way to choose one', () => {
    const g = new PathGrants();
    g.grant([at('ca.pem')]);
    const request = { tls: { caFile: at('ca.pem'), keyFile: at('key.pem') } };
    expect(() => g.check('replaySend', request)).toThrow(`replaySend: tls.keyFile "${at('key.pem')}" was not chosen by you in this window`);
    expect(() => g.check('saveAs', { docId: 'd1', path: at('ca.pem') })).toThrow(
      /saveAs: path .* was not chosen by you in a save dialog; use File › Save As/,
    );
    expect(() => g.check('saveAs', { docId: 'd1' })).not.toThrow(); // no path: main shows the dialog
    expect(() => g.check('getRows', { docId: 'd1', path: '/etc/passwd' })).not.toThrow(); // names no file
  });
});

describe('requestPaths', () => {
  it('finds every path field of the contract', () => {
    const fields = (method: string, request: unknown) => requestPaths(method, request).map((p) => `${p.field}:${p.access}`);
    expect(fields('openPath', { path: 'a' })).toEqual(['path:read']);
    expect(fields('saveAs', { docId: 'd', path: 'a' })).toEqual(['path:write']);
    expect(fields('addSchemas', { protoFiles: ['a', 'b'], importPaths: ['c'], descriptorSets: ['d'], uploads: [] })).toEqual([
      'protoFiles[0]:read',
      'protoFiles[1]:read',
      'importPaths[0]:read',
      'descriptorSets[0]:read',
    ]);
    expect(fields('replayStream', { tls: { caFile: 'a', certFile: 'b', keyFile: 'c' } })).toEqual([
      'tls.caFile:read',
      'tls.certFile:read',
      'tls.keyFile:read',
    ]);
    expect(fields('replayMockStart', { fixtureFile: 'f', fixtureJson: '{}' })).toEqual(['fixtureFile:read']);
  });
});

describe('PathGrants and symbolic links', () => {
  it('a folder grant covers real paths only: a link inside leading out is refused, a linked folder is seen through', () => {
    const dir = mkdtempSync(join(tmpdir(), 'protodesk-grants-links-'));
    const folder = join(dir, 'protos');
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(folder);
    mkdirSync(elsewhere);
    writeFileSync(join(folder, 'a.proto'), '');
    writeFileSync(join(elsewhere, 'secret'), '');
    symlinkSync(join(elsewhere, 'secret'), join(folder, 'link'));
    symlinkSync(elsewhere, join(folder, 'sub'));
    symlinkSync(folder, join(dir, 'folder-link'));
    const g = new PathGrants();
    g.grantFolders([join(dir, 'folder-link')]);
    expect(g.allows(join(folder, 'a.proto'), 'read')).toBe(true);
    expect(g.allows(join(dir, 'folder-link', 'a.proto'), 'read')).toBe(true);
    expect(g.allows(join(folder, 'link'), 'read')).toBe(false);
    expect(g.allows(join(folder, 'sub', 'secret'), 'read')).toBe(false);
    expect(g.allows(join(folder, 'not-yet.proto'), 'read')).toBe(true);
    expect(g.fileAccess(join(folder, 'a.proto'))).toBeUndefined();
  });
});
