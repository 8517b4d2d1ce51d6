#!/usr/bin/env node
/**
 * Build the package in the current directory: declarations from tsc, JavaScript bundled by esbuild, one file per
 * entry point (the `exports` and `imports` of package.json) plus shared chunks.
 *
 * Why bundle: Node's ESM loader pays for every module it resolves, reads and links. tsc's one-file-per-source output
 * made `import('@mlclients/hub-client')` load ~80 files and cost ~8x `import('openapi-fetch')`; one file per entry
 * brings it near the cost of the code itself. Dependencies stay external (`packages: 'external'`, deduplicated by npm),
 * dynamic imports stay lazy (validation and the zod schemas become chunks loaded on the first validated call), and
 * `#platform` stays a run-time import so the `node`/`browser` conditions of package.json still choose the transport.
 *
 * Declarations: `tsc -b tsconfig.dts.json` (a composite project referencing the packages it imports; `noCheck`,
 * because type errors are `npm run typecheck`'s job and checking was two thirds of the build). `npm start` and
 * `npm run build` first run one `tsc -b` over the root tsconfig.dts.json, which builds every package's declarations
 * in one process (the libraries all packages read, zod, @types/node, the AWS SDK types, are parsed once instead of six
 * times); here the same build then finds this package up to date and only the JavaScript is bundled. Run alone (nx
 * runs a package's dependencies first), it emits this package's declarations itself.
 *
 * Usage (a package's `build` script): `node ../../tools/packaging/src/build-package.mjs`
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';

const ts = createRequire(import.meta.url)('typescript');

const SOURCE_CONDITION = '@mlclients/source';
const DTS_CONFIG = 'tsconfig.dts.json';
const BUILD_INFO = path.resolve('dist/.tsbuildinfo');
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

/** Every source file an `exports` or `imports` entry points at under the source condition. */
function sourceEntries() {
  const entries = new Set();
  const visit = (value, underSource) => {
    if (typeof value === 'string') {
      if (underSource && value.endsWith('.ts')) entries.add(value);
      return;
    }
    if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) visit(inner, underSource || key === SOURCE_CONDITION);
    }
  };
  visit(pkg.exports, false);
  visit(pkg.imports, false);
  // A bin is a committed shim (linked by npm before dist/ exists) that imports `../dist/<file>.js`: build that file.
  for (const bin of Object.values(typeof pkg.bin === 'string' ? { bin: pkg.bin } : (pkg.bin ?? {}))) {
    const target = /\.\.\/dist\/(.+)\.js/.exec(readFileSync(bin, 'utf8'))?.[1];
    if (target) entries.add(`./src/${target}.ts`);
  }
  return [...entries].sort();
}

/** `tsc -b tsconfig.dts.json`; a project whose declarations are up to date costs a few file stats. */
function buildDeclarations(force) {
  const host = ts.createSolutionBuilderHost(ts.sys, undefined, ts.createDiagnosticReporter(ts.sys, true));
  const status = ts.createSolutionBuilder(host, [DTS_CONFIG], { force }).build();
  if (status !== ts.ExitStatus.Success) throw new Error(`${pkg.name}: tsc -b ${DTS_CONFIG} failed`);
}

/** The declaration files the current sources emit (dist/ paths), from the parsed config. */
function expectedDeclarations() {
  const parsed = ts.getParsedCommandLineOfConfigFile(DTS_CONFIG, undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  return new Set(
    parsed.fileNames.flatMap((file) =>
      ts.getOutputFileNames(parsed, file, false).map((output) => path.resolve(output)),
    ),
  );
}

/** Every file under `dir`, absolute paths. */
function filesUnder(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.resolve(entry.parentPath, entry.name));
}

buildDeclarations(false);
const declarations = expectedDeclarations();
let present = new Set(filesUnder('dist'));
if ([...declarations].some((file) => !present.has(file))) {
  // A declaration deleted by hand while the build info stayed: tsc -b thinks the project is up to date.
  buildDeclarations(true);
  present = new Set(filesUnder('dist'));
}
// dist/ holds only what this build makes: the last bundle (hashed chunk names) and declarations of deleted sources go.
for (const file of present) {
  if (file !== BUILD_INFO && !declarations.has(file)) rmSync(file);
}

await build({
  entryPoints: sourceEntries(),
  outbase: 'src',
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  packages: 'external',
  // `#platform` and the like (package.json `imports`) stay run-time imports: their conditions pick Node's or the browser's.
  external: [...Object.keys(pkg.imports ?? {}), 'node:*'],
  chunkNames: 'chunks/[name]-[hash]',
  // Whitespace and comments out, names kept (stack traces stay readable): V8 parses every byte of a module when it
  // is imported, and the generated resource classes' JSDoc (also in the .d.ts files, where editors read it) was a
  // fifth of hub-client's import cost (bench/import.bench.ts). No source maps pointing at src/, which is not shipped.
  minifyWhitespace: true,
  minifySyntax: true,
  minifyIdentifiers: false,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
});
console.log(
  `${pkg.name}: built ${path.relative(process.cwd(), 'dist')}/ (${sourceEntries().length} entries)`,
);
