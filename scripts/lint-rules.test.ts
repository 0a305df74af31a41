/**
 * The layer rules of eslint.config.js, run by ESLint itself on small sources placed (virtually)
 * in each folder: a forbidden import fails lint with the rule's message, an allowed one passes.
 */
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const eslint = new ESLint({ cwd: root });

/** The messages ESLint gives for a source that imports `from` and uses it, as if it were the file at `path`. */
async function lintImport(path: string, from: string): Promise<string[]> {
  const code = `import { thing } from '${from}';\n\nexport const used = thing;\n`;
  const [result] = await eslint.lintText(code, { filePath: `${root}/${path}` });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('ESLint enforces the order inside core/', () => {
  it.each([
    ['core/wire/fixture.ts', '../document/decode', 'core/wire may not import core/schema, core/document'],
    ['core/wire/fixture.test.ts', '../document/decode', 'core/wire may not import'], // tests keep the order too
    ['core/schema/fixture.ts', '../document/model', 'core/schema may not import'],
    ['core/document/fixture.ts', '../format', 'core/document may not import'],
    ['core/document/fixture.ts', '../raw/raw-decode', 'core/document may not import'],
    ['core/format/fixture.ts', '../workbench/session', 'core/format may not import'],
    ['core/raw/fixture.ts', '../api/contract', 'core/raw may not import'],
    ['core/stream/fixture.ts', '../workbench', 'core/stream may not import'],
    ['core/api/fixture.ts', '../document/model', 'core/api may not import'],
    ['core/api/fixture.ts', '../format', 'core/api may not import'],
    ['core/format/fixture.ts', '../diff/message-diff', 'core/format may not import'],
    ['core/diff/fixture.ts', '../workbench/session', 'core/diff may not import'],
  ])('%s importing %s fails', async (path, from, message) => {
    const messages = await lintImport(path, from);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^no-restricted-imports: /);
    expect(messages[0]).toContain(message);
    expect(messages[0]).toContain('wire < schema < document < {raw, stream, detect, validate, format} < {capture, diff} < workbench');
  });

  it.each([
    ['core/wire/fixture.ts', './varint'],
    ['core/schema/fixture.ts', '../wire/decode-error'],
    ['core/document/fixture.ts', '../schema/registry'],
    ['core/format/fixture.ts', '../document/decode'],
    ['core/raw/fixture.ts', '../format/text-escape'], // the middle rank imports its siblings
    ['core/stream/fixture.ts', '../raw/raw-decode'],
    ['core/workbench/fixture.ts', '../api/contract'],
    ['core/workbench/fixture.ts', '../format'],
    ['core/capture/fixture.ts', '../format'],
    ['core/capture/fixture.ts', '../diff/message-diff'], // so does {capture, diff}
    ['core/workbench/fixture.ts', '../diff/message-diff'],
    ['core/api/fixture.ts', '../wire/base64'],
  ])('%s importing %s passes', async (path, from) => {
    expect(await lintImport(path, from)).toEqual([]);
  });

  it('keeps core/ free of Node built-ins outside its tests', async () => {
    expect(await lintImport('core/format/fixture.ts', 'node:fs')).toEqual([
      "no-restricted-imports: 'node:fs' import is restricted from being used by a pattern. core/ and renderer/ are platform-neutral: no Node built-ins.",
    ]);
    expect(await lintImport('core/format/fixture.test.ts', 'node:fs')).toEqual([]);
  });
});

describe('ESLint lets the renderer import only core/api of core/', () => {
  it.each(['../core/document/model', '../../core/format', '../core/workbench/session', '../core/wire/base64'])(
    'renderer importing %s fails',
    async (from) => {
      const messages = await lintImport('renderer/fixture.tsx', from);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toContain('renderer/ sees only the ProtodeskApi contract');
    },
  );

  it('renderer importing core/api passes, and so do its own folders', async () => {
    expect(await lintImport('renderer/fixture.tsx', '../core/api/contract')).toEqual([]);
    expect(await lintImport('renderer/document/fixture.tsx', '../format/format-value')).toEqual([]); // a renderer folder, not core/format
  });
});
