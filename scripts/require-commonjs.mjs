// How the CLI bundle (scripts/build.mjs) loads the CommonJS packages it names (protobufjs and its
// descriptor extension). An ESM import of CommonJS is slow in Node 20: the ESM loader lexes the
// package's sources for named exports, and every one of its files (protobufjs has about 50) is
// looked up, read and compiled on its own. So the packages are bundled into one CommonJS file
// beside the CLI bundle (bundleCommonJs), and each import of them is replaced by a module that
// require()s that file and exports the package's module.exports as default and each of its own
// enumerable keys by name, as Node's interop does, read once when it loads (requireCommonJs).
import { createRequire } from 'node:module';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const NAMESPACE = 'require-commonjs';

/** The package.json files (paths from `root`) of the packages that the node_modules files among `inputs` belong to. */
function packageFiles(inputs) {
  const files = new Set();
  for (const input of inputs) {
    const m = input.match(/^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//);
    if (m) files.add(`${m[1]}/package.json`);
  }
  return [...files];
}

/**
 * Bundles the packages `specifiers` name into one CommonJS file, `outfile`, whose exports map
 * each specifier to its module.exports (one module instance: the descriptor extension extends the
 * protobufjs next to it). Returns the package.json files (paths from `root`) of the packages it
 * holds: the file is out of date once one of them is reinstalled.
 */
export async function bundleCommonJs(esbuild, specifiers, outfile, root) {
  const entries = specifiers.map((s) => `${JSON.stringify(s)}: require(${JSON.stringify(s)})`);
  const { metafile } = await esbuild.build({
    absWorkingDir: root,
    stdin: { contents: `module.exports = { ${entries.join(', ')} };`, resolveDir: root, sourcefile: 'commonjs-packages.cjs' },
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
  });
  return packageFiles(Object.keys(metafile.inputs));
}

/** The files a bundle was built from, from its metafile's inputs, without the plugin's own modules. */
export function bundleInputs(metafile) {
  return Object.keys(metafile.inputs).filter((f) => !f.startsWith(`${NAMESPACE}:`));
}

/**
 * The plugin: imports of `specifiers` (exact) require them from the file bundleCommonJs wrote;
 * `file` names it relative to import.meta.url as the bundle sees it. Export names are read from
 * the packages installed under `root` at build time.
 */
export function requireCommonJs(specifiers, root, file) {
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
          `const m = createRequire(import.meta.url)(${JSON.stringify(file)})[${JSON.stringify(args.path)}];`,
          'export default m;',
          names.length ? `export const { ${names.join(', ')} } = m;` : '',
        ].join('\n');
        return { contents, loader: 'js', resolveDir: root };
      });
    },
  };
}
