// An esbuild plugin for the CLI bundle (scripts/build.mjs): the CommonJS packages it names are
// loaded with require() (createRequire) instead of an ESM import of CommonJS. Node 20 gives an
// imported CommonJS package its named exports by lexing its sources (cjs-module-lexer) and loads
// it through the ESM loader; require() loads the same module.exports several times faster
// (protobufjs and its descriptor extension: about a third of their import time). Each import is
// replaced by a module that requires the package and exports module.exports as default and each
// of its own enumerable keys by name, as Node's interop does, read once when it loads.
import { createRequire } from 'node:module';
import { relative } from 'node:path';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const NAMESPACE = 'require-commonjs';

/**
 * The files a bundle was built from, from its metafile's inputs: each required package stands
 * as its package.json (its named exports were read from the installed version), not as the
 * plugin's own module.
 */
export function bundleInputs(metafile, root) {
  const requireAtRoot = createRequire(`${root}/package.json`);
  const files = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    if (!input.startsWith(`${NAMESPACE}:`)) files.add(input);
    else {
      const pkg = input.slice(NAMESPACE.length + 1).match(/^(@[^/]+\/)?[^/]+/)[0];
      files.add(relative(root, requireAtRoot.resolve(`${pkg}/package.json`)));
    }
  }
  return [...files];
}

/** The plugin: `specifiers` are the exact import specifiers to require (e.g. 'protobufjs'); `root` resolves them at build time. */
export function requireCommonJs(specifiers, root) {
  const requireAtRoot = createRequire(`${root}/package.json`);
  const wanted = new Set(specifiers);
  return {
    name: 'require-commonjs',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (!wanted.has(args.path) || args.namespace === NAMESPACE) return undefined;
        return { path: args.path, namespace: NAMESPACE };
      });
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => {
        const names = Object.keys(requireAtRoot(args.path)).filter((k) => IDENTIFIER.test(k) && k !== 'default');
        const contents = [
          "import { createRequire } from 'node:module';",
          `const m = createRequire(import.meta.url)(${JSON.stringify(args.path)});`,
          'export default m;',
          names.length ? `export const { ${names.join(', ')} } = m;` : '',
        ].join('\n');
        return { contents, loader: 'js', resolveDir: root };
      });
    },
  };
}
