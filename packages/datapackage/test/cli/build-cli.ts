/**
 * Vitest global setup: bundles the `datapkg` CLI from the current sources once per run (esbuild, as the package
 * build does), so every CLI test spawns plain `node main.js` instead of `node --import tsx src/cli/main.ts`, which
 * started esbuild and transformed ~100 source files in every child: ~1.5 s of CPU per spawn against ~0.25 s, over
 * ~150 spawns per run (the SIGKILL tests spawn 20 children per registry). Same code, same child process, same
 * arguments: only the TypeScript is compiled ahead of time. In watch mode the bundle is rebuilt before every rerun.
 *
 * Layout: `<dir>/package.json` (a copy; `program.ts` reads the version from `../../package.json`) and
 * `<dir>/dist/cli/main.js` + `<dir>/dist/chunks/`, as in the published package. `<dir>` is a fresh folder under this
 * package's `node_modules/.cache/`, so the CLI's dependencies resolve from node_modules as they do for a user, and
 * concurrent runs never share a bundle. @mlclients/* workspace packages are bundled from their sources (the source
 * condition); everything else stays an external import.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { context, type Plugin } from 'esbuild';
import type { TestProject } from 'vitest/node';

const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

declare module 'vitest' {
  export interface ProvidedContext {
    /** The bundled CLI entry point (`…/dist/cli/main.js`). */
    datapkgCli: string;
  }
}

/** Bare imports stay external, except the workspace packages, which are bundled from source like this package. */
const externalDependencies: Plugin = {
  name: 'external-dependencies',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@mlclients/') ? undefined : { path: args.path, external: true },
    );
  },
};

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cacheDir = join(PACKAGE_ROOT, 'node_modules', '.cache');
  mkdirSync(cacheDir, { recursive: true });
  const dir = mkdtempSync(join(cacheDir, 'datapkg-test-cli-'));
  copyFileSync(join(PACKAGE_ROOT, 'package.json'), join(dir, 'package.json'));
  const bundler = await context({
    absWorkingDir: PACKAGE_ROOT,
    entryPoints: ['src/cli/main.ts'],
    outbase: 'src',
    outdir: join(dir, 'dist'),
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    conditions: ['@mlclients/source'],
    plugins: [externalDependencies],
    logLevel: 'warning',
  });
  await bundler.rebuild();
  project.provide('datapkgCli', join(dir, 'dist', 'cli', 'main.js'));
  project.onTestsRerun(async () => {
    await bundler.rebuild();
  });
  return async () => {
    await bundler.dispose();
    rmSync(dir, { recursive: true, force: true });
  };
}
