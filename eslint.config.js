// ESLint flat config. The layer rules enforce ARCHITECTURE.md: imports point downwards only.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = { group: ['node:*'], message: 'core/ and renderer/ are platform-neutral: no Node built-ins.' };
const electron = { group: ['electron', 'electron/*'], message: 'Only app/ may import electron.' };
const layer = (name, why) => ({ group: [`**/${name}/**`, `**/${name}`], message: why });

/**
 * The order inside core/ (ARCHITECTURE.md, "Inside core/"): a folder imports only folders
 * before it. The middle rank imports its siblings; core/api (the contract) imports only
 * core/wire; nothing below core/workbench imports core/api or core/workbench.
 */
const CORE_ORDER = [
  ['wire'],
  ['schema'],
  ['document'],
  ['raw', 'stream', 'detect', 'validate', 'format'],
  ['capture', 'diff'],
  ['workbench'],
];
const CORE_FOLDERS = [...CORE_ORDER.flat(), 'api'];
/** An import of core/<one of names> from inside core/ ('../document/x'). */
const coreSibling = (names, why) => ({ regex: `^(?:\\.\\./)+(?:core/)?(?:${names.join('|')})(?:/|$)`, message: why });
const ORDER_TEXT = `core/ imports in the order ${CORE_ORDER.map((r) => (r.length > 1 ? `{${r.join(', ')}}` : r[0])).join(' < ')}; core/api imports only core/wire`;
/** What each core/ folder may not import, by the order above (core/workbench may import all of core/). */
const coreForbidden = Object.fromEntries(
  CORE_FOLDERS.filter((folder) => folder !== 'workbench').map((folder) => {
    const rank = CORE_ORDER.findIndex((r) => r.includes(folder));
    const later =
      folder === 'api' ? CORE_FOLDERS.filter((f) => f !== 'api' && f !== 'wire') : [...CORE_ORDER.slice(rank + 1).flat(), 'api'];
    return [folder, [coreSibling(later, `core/${folder} may not import ${later.map((f) => `core/${f}`).join(', ')}: ${ORDER_TEXT}.`)]];
  }),
);

/** What nothing in core/ may import: it is platform-neutral and below every other layer. */
const coreOutside = [
  nodeBuiltins,
  electron,
  layer('core-node', 'core/ may not import core-node/.'),
  layer('cli', 'core/ may not import cli/.'),
  layer('server', 'core/ may not import server/.'),
  layer('app', 'core/ may not import app/.'),
  layer('renderer', 'core/ may not import renderer/.'),
];

/** One restricted-imports rule per layer: what it may not reach. */
function restrict(files, patterns, paths = [], ignores = []) {
  return { files, ignores, rules: { 'no-restricted-imports': ['error', { patterns, paths }] } };
}

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'out/**',
      'release/**',
      '.bench/**',
      'test-results/**',
      'playwright-report/**',
      '.fuzz/**',
      '.tsbuild/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  restrict(['core/**/*.ts'], coreOutside, [], ['core/**/*.test.ts']), // tests run in Node and may spawn protoc as a referee
  // The order inside core/, for code and tests alike (one entry per folder: a later entry replaces the rule's options).
  ...Object.entries(coreForbidden).flatMap(([folder, forbidden]) => [
    restrict([`core/${folder}/**/*.ts`], [...coreOutside, ...forbidden], [], [`core/${folder}/**/*.test.ts`]),
    restrict([`core/${folder}/**/*.test.ts`], forbidden),
  ]),
  restrict(
    ['core-node/**/*.ts'],
    [
      electron,
      layer('cli', 'core-node/ may not import cli/.'),
      layer('server', 'core-node/ may not import server/.'),
      layer('app', 'core-node/ may not import app/.'),
      layer('renderer', 'core-node/ may not import renderer/.'),
    ],
  ),
  restrict(
    ['cli/**/*.ts'],
    [
      electron,
      layer('server', 'cli/ may not import server/ (bin/protodesk wires the serve command in).'),
      layer('app', 'cli/ may not import app/.'),
      layer('renderer', 'cli/ may not import renderer/.'),
    ],
  ),
  restrict(
    ['server/**/*.ts'],
    [
      electron,
      layer('app', 'server/ may not import app/.'),
      layer('renderer', 'server/ may not import renderer/ source (it serves the built bundle).'),
    ],
  ),
  restrict(
    ['app/main/**/*.ts'],
    [
      layer('renderer', 'app/main may not import renderer/.'),
      layer('server', 'app/main may not import server/.'),
      layer('cli', 'app/main may not import cli/.'),
    ],
  ),
  restrict(
    ['app/preload/**/*.ts'],
    [nodeBuiltins, layer('core-node', 'The preload sees only the contract.'), layer('renderer', 'The preload may not import renderer/.')],
  ),
  restrict(
    ['renderer/**/*.{ts,tsx}'],
    [
      nodeBuiltins,
      electron,
      layer('core-node', 'renderer/ sees only the ProtodeskApi contract (core/api).'),
      layer('cli', 'renderer/ may not import cli/.'),
      layer('server', 'renderer/ may not import server/.'),
      layer('app', 'renderer/ may not import app/.'),
      {
        regex: `^(?:\\.\\./)+core/(?:${CORE_FOLDERS.filter((f) => f !== 'api').join('|')})(?:/|$)`,
        message: 'renderer/ sees only the ProtodeskApi contract: of core/ it imports core/api alone.',
      },
    ],
  ),
);
