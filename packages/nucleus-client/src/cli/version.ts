/** The package's version for `nu --version`, read from its package.json wherever the CLI was bundled to. */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = '@mlclients/nucleus-client';

export function packageVersion(from: string = import.meta.url): string {
  let dir = new URL('.', from);
  for (let i = 0; i < 8; i++) {
    const file = new URL('package.json', dir);
    if (existsSync(fileURLToPath(file))) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === PACKAGE_NAME && pkg.version) return pkg.version;
    }
    const parent = new URL('..', dir);
    if (parent.href === dir.href) break;
    dir = parent;
  }
  return 'unknown';
}
