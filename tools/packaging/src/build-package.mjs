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
 * Usage (a package's `build` script): `node ../../tools/packaging/src/build-package.mjs`
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';

const SOURCE_CONDITION = '@mlclients/source';
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

rmSync('dist', { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--emitDeclarationOnly'], {
  stdio: 'inherit',
});

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
  external: ['#platform', 'node:*'],
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
