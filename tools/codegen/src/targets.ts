/** Which spec generates into which folder: every openapi/<svc>.yaml, plus package-core's own test spec. */

import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';

export interface Target {
  /** Short name used on the command line (`npm run generate -- hub`). */
  name: string;
  /** Spec path relative to the repo root. */
  spec: string;
  /** Output folder relative to the repo root. */
  out: string;
  /** How generated files import package-core. @default '@mlclients/package-core' */
  coreImport?: string;
}

const EXTRA_TARGETS: Target[] = [
  {
    name: 'package-core-test',
    spec: 'packages/package-core/test/spec/test-api.yaml',
    out: 'packages/package-core/test/generated',
    // package-core's own tests import its sources directly.
    coreImport: '../../src/index.js',
  },
];

export async function discoverTargets(repoRoot: string): Promise<Target[]> {
  const specs = (await readdir(path.join(repoRoot, 'openapi'))).filter((f) => f.endsWith('.yaml')).sort();
  const services = specs.map((file) => {
    const name = file.replace(/\.yaml$/, '');
    return { name, spec: `openapi/${file}`, out: `packages/${name}-client/src/generated` };
  });
  const extras = EXTRA_TARGETS.filter((t) => existsSync(path.join(repoRoot, t.spec)));
  return [...services, ...extras];
}
