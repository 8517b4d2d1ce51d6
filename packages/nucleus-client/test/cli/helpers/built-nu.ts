/**
 * The `nu` binary as the package builds it: src/cli/main.ts bundled by esbuild (ESM, one file per entry plus
 * chunks), started through a copy of the committed shim bin/nu.js beside a copy of package.json, so a test runs
 * what `npx nu` runs. It is built into node_modules/.cache (a fresh folder per test file) so that its third-party
 * imports resolve like the package's own; @mlclients/package-core is bundled from source, so no `npm run build` is
 * needed first.
 */
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Third-party packages stay imports (as in the published build); the workspace's own packages are bundled. */
const thirdPartyExternal: Plugin = {
  name: 'third-party-external',
  setup(b) {
    b.onResolve({ filter: /^[^./#]/ }, (args) =>
      args.path.startsWith('@mlclients/') ? undefined : { path: args.path, external: true },
    );
  },
};

export interface BuiltNu {
  /** The copied shim: `node <bin> ...args`. */
  bin: string;
  remove(): Promise<void>;
}

export async function buildNu(): Promise<BuiltNu> {
  const cache = join(PACKAGE_ROOT, 'node_modules/.cache');
  await mkdir(cache, { recursive: true });
  const root = await mkdtemp(join(cache, 'nu-cli-'));
  await build({
    absWorkingDir: PACKAGE_ROOT,
    entryPoints: { 'cli/main': 'src/cli/main.ts' },
    outdir: join(root, 'dist'),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'es2022',
    conditions: ['@mlclients/source'],
    plugins: [thirdPartyExternal],
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'error',
  });
  await mkdir(join(root, 'bin'));
  const bin = join(root, 'bin/nu.js');
  await copyFile(join(PACKAGE_ROOT, 'bin/nu.js'), bin);
  // --version reads the package.json beside dist/, as in the installed package.
  await copyFile(join(PACKAGE_ROOT, 'package.json'), join(root, 'package.json'));
  return { bin, remove: () => rm(root, { recursive: true, force: true }) };
}
