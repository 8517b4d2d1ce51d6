import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The `version` of a package.json, read at run time so that `--version` always tells the version that is installed
 * (a version baked in at build time goes stale when a changeset bumps the package without a rebuild).
 *
 * @param packageJson - the file, e.g. `new URL('../../package.json', import.meta.url)` from `src/cli/program.ts`
 *   (the same relative path holds from the built `dist/cli/main.js`)
 */
export function readPackageVersion(packageJson: URL): string {
  const file = fileURLToPath(packageJson);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: cannot read the package version (${(error as Error).message})`);
  }
  const version = (parsed as { version?: unknown } | null)?.version;
  if (typeof version !== 'string' || version === '') {
    throw new Error(`${file}: version: expected a non-empty string`);
  }
  return version;
}
