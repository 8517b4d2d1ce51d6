/**
 * The packages as a user installs them: every package is packed (prepack strips the source condition), unpacked
 * into a temporary project's node_modules next to its third-party dependencies, and used from there:
 * - a CommonJS file `require()`s hub-client (Node >= 20.19 loads ESM through require(esm));
 * - TypeScript with `skipLibCheck: false` type-checks a program against hub-client and package-core, under NodeNext
 *   and under bundler resolution, with no `@aws-sdk/*` and no `@types/node` installed (what a browser app has);
 * - the published manifests carry no `@mlclients/source` condition and ship no source maps.
 * And in the repository: the committed `datapkg` bin runs the built CLI (npm links it at install time).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PackedPackage, packAll, REPO_ROOT } from '../src/pack.js';

const run = promisify(execFile);
const TSC = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');

let work: string;
let project: string;
let packed: PackedPackage[];

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  exports?: unknown;
  imports?: unknown;
}

/** Where the repository has a third-party package installed (hoisted, else under the workspace that uses it). */
function installedPath(name: string, workspaceDir: string): string {
  for (const base of [join(workspaceDir, 'node_modules'), join(REPO_ROOT, 'node_modules')]) {
    if (existsSync(join(base, name, 'package.json'))) return join(base, name);
  }
  throw new Error(`${name} is not installed in the repository`);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mlclients-consumer-'));
  packed = await packAll(await mkdtemp(join(work, 'tarballs-')));
  project = join(work, 'app');
  const modules = join(project, 'node_modules');
  await mkdir(join(modules, '@mlclients'), { recursive: true });
  const thirdParty = new Map<string, string>();
  for (const pkg of packed) {
    const unpacked = await mkdtemp(join(work, 'unpack-'));
    await run('tar', ['-xzf', pkg.tarball, '-C', unpacked]);
    const target = join(modules, pkg.name);
    await rename(join(unpacked, 'package'), target);
    const manifest = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8')) as Manifest;
    for (const dep of Object.keys(manifest.dependencies ?? {})) {
      if (!dep.startsWith('@mlclients/')) thirdParty.set(dep, installedPath(dep, pkg.dir));
    }
  }
  // Only what the packages declare as dependencies: optional peers (msw, the AWS SDK) stay absent.
  for (const [name, path] of thirdParty) {
    await mkdir(dirname(join(modules, name)), { recursive: true });
    await symlink(path, join(modules, name), 'dir');
  }
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'app', private: true }));
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('published packages', () => {
  it('carry no @mlclients/source condition, no source maps, no sources, tests or fixtures; a CHANGELOG', async () => {
    expect(packed.map((p) => p.name)).toEqual(
      expect.arrayContaining(['@mlclients/datapackage', '@mlclients/hub-client', '@mlclients/package-core']),
    );
    for (const pkg of packed) {
      const manifest = readFileSync(join(project, 'node_modules', pkg.name, 'package.json'), 'utf8');
      expect(manifest, pkg.name).not.toContain('@mlclients/source');
      expect(
        pkg.files.filter((f) => f.endsWith('.map') || f.endsWith('.tsbuildinfo') || f.includes('.test.')),
      ).toEqual([]);
      expect(pkg.files, pkg.name).toContain('LICENSE');
      expect(pkg.files, pkg.name).toContain('CHANGELOG.md');
      // Only the build, the bin shims and the four top-level documents: no src/, test/, fixtures or examples.
      const unexpected = pkg.files.filter(
        (f) =>
          !/^(dist|bin)\//.test(f) && !['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE'].includes(f),
      );
      expect(unexpected, pkg.name).toEqual([]);
      expect(
        pkg.files.filter((f) => /(^|\/)(test|tests|__tests__|fixtures?)\//.test(f)),
        pkg.name,
      ).toEqual([]);
    }
    // package.json is restored after packing (postpack).
    const repoManifest = readFileSync(join(REPO_ROOT, 'packages/hub-client/package.json'), 'utf8');
    expect(repoManifest).toContain('@mlclients/source');
  });

  it('the AWS SDK (an optional peer of ./storage) is not reachable from the consumer project', async () => {
    const scopes = await readdir(join(project, 'node_modules'));
    // datapackage depends on @aws-sdk/crc64-nvme, a standalone checksum; no SDK client may come with it.
    const awsPackages = scopes.includes('@aws-sdk')
      ? await readdir(join(project, 'node_modules/@aws-sdk'))
      : [];
    expect(awsPackages.filter((name) => name !== 'crc64-nvme')).toEqual([]);
    await expect(
      run(process.execPath, ['-e', "require.resolve('@aws-sdk/client-s3')"], { cwd: project }),
    ).rejects.toThrow(/Cannot find module '@aws-sdk\/client-s3'/);
  });

  it('a CommonJS file can require() hub-client and package-core', async () => {
    const file = join(project, 'use-hub.cjs');
    await writeFile(
      file,
      [
        "const hub = require('@mlclients/hub-client');",
        "const core = require('@mlclients/package-core');",
        'console.log(JSON.stringify({ HubClient: typeof hub.HubClient, ApiError: typeof core.ApiError,',
        '  same: hub.ApiError === core.ApiError }));',
      ].join('\n'),
    );
    const { stdout } = await run(process.execPath, [file], { cwd: project });
    expect(JSON.parse(stdout)).toEqual({ HubClient: 'function', ApiError: 'function', same: true });
  });

  /** tsc's complaints about `lines` compiled in a fresh folder of the project, or '' when it type-checks. */
  async function typeCheck(name: string, lines: string[], options: Record<string, unknown>): Promise<string> {
    const dir = join(project, name);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'main.ts'), lines.join('\n'));
    const compilerOptions = { strict: true, skipLibCheck: false, noEmit: true, target: 'ES2022', ...options };
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['main.ts'] }));
    // Written as an ES module for NodeNext (a package.json with "type": "module" beside it).
    await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    return run(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')], { cwd: dir }).then(
      () => '',
      (error: { stdout?: string; message: string }) => error.stdout || error.message,
    );
  }

  for (const resolution of ['nodenext', 'bundler'] as const) {
    it(`TypeScript (${resolution}, skipLibCheck: false, no @types/node, no @aws-sdk) type-checks against hub-client`, async () => {
      const program = [
        "import * as hub from '@mlclients/hub-client';",
        "import * as core from '@mlclients/package-core';",
        "import * as json from '@mlclients/package-core/json';",
        'export const names: string[] = [...Object.keys(hub), ...Object.keys(core), ...Object.keys(json)];',
        'export type Client = InstanceType<typeof hub.HubClient>;',
        'export const isApiError = (e: unknown): e is core.ApiError => e instanceof hub.ApiError;',
      ];
      const resolutionOptions =
        resolution === 'nodenext'
          ? { module: 'NodeNext', moduleResolution: 'NodeNext' }
          : { module: 'ESNext', moduleResolution: 'Bundler' };
      // A browser app: DOM types, no Node types.
      const options = { ...resolutionOptions, lib: ['ES2023', 'DOM', 'DOM.Iterable'], types: [] };
      expect(await typeCheck(`ts-${resolution}`, program, options)).toBe('');
    });
  }

  it('TypeScript (skipLibCheck: false, Node types, no @aws-sdk) type-checks against datapackage and ./storage', async () => {
    await mkdir(join(project, 'node_modules/@types'), { recursive: true });
    await symlink(installedPath('@types/node', REPO_ROOT), join(project, 'node_modules/@types/node'), 'dir');
    const program = [
      "import { Package, PackageBuilder } from '@mlclients/datapackage';",
      "import { openBlobStore, type S3BlobStoreOptions } from '@mlclients/package-core/storage';",
      "export const store = await openBlobStore('memory://consumer');",
      "export const options: S3BlobStoreOptions = { bucket: 'b' };",
      'export const classes = [Package, PackageBuilder];',
    ];
    const options = { module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2023'], types: ['node'] };
    expect(await typeCheck('ts-node-datapackage', program, options)).toBe('');
  });
});

describe('the datapkg bin in the repository', () => {
  it('is linked at install time and runs the built CLI', async () => {
    const { stdout } = await run(join(REPO_ROOT, 'node_modules/.bin/datapkg'), ['--help'], {
      cwd: REPO_ROOT,
    });
    expect(stdout).toMatch(/Usage: datapkg/);
    expect(stdout).toMatch(/install/);
  });
});
