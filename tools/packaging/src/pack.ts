/**
 * `npm pack` of every published workspace package (packages/*, not private), as npm publish would build them:
 * prepack strips the repository-only `@mlclients/source` condition, postpack restores it. Packages must be built
 * first (`npm run build`): the tarballs ship dist/. (tools/packaging lists every published package as a
 * devDependency, so that nx builds them all before this project's tests.)
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

export interface PublishedPackage {
  name: string;
  /** The package's folder in the repository. */
  dir: string;
}

export interface PackedPackage extends PublishedPackage {
  /** Absolute path of the .tgz. */
  tarball: string;
  /** Paths inside the tarball (without the leading `package/`). */
  files: string[];
}

export function publishedPackages(): PublishedPackage[] {
  const root = join(REPO_ROOT, 'packages');
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      const dir = join(root, entry.name);
      let manifest: { name: string; private?: boolean };
      try {
        manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      } catch {
        return []; // a folder without a package.json is not a package
      }
      return manifest.private ? [] : [{ name: manifest.name, dir }];
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Packs one package into `destination` (one package at a time: npm pack rewrites its package.json meanwhile). */
export async function pack(pkg: PublishedPackage, destination: string): Promise<PackedPackage> {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: pkg.dir,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, npm_config_loglevel: 'error' },
  });
  // Lifecycle scripts may print before the JSON; it is the last top-level array.
  const json = stdout.slice(stdout.lastIndexOf('\n[') + 1);
  const [result] = JSON.parse(json.trimStart().startsWith('[') ? json : stdout) as {
    filename: string;
    files: { path: string }[];
  }[];
  if (!result) throw new Error(`npm pack printed no result for ${pkg.name}`);
  return { ...pkg, tarball: join(destination, result.filename), files: result.files.map((f) => f.path) };
}

export async function packAll(destination: string): Promise<PackedPackage[]> {
  const packed: PackedPackage[] = [];
  for (const pkg of publishedPackages()) packed.push(await pack(pkg, destination));
  return packed;
}
