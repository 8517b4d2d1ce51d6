/**
 * The root export is browser-safe: bundled by esbuild for the browser (no `node` condition), nothing it reaches
 * imports a `node:` module or the AWS SDK, and `#platform` resolves to the stub. On Node the same import gives the
 * `node:http` GET-with-body transport. (Bundle size and import time are measured by `npm run bench`.)
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { defaultGetWithBody, nodeHttpTransport, unsupportedGetWithBody } from '../../src/index.js';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');

async function bundleInputs(entry: string, platform: 'browser' | 'node'): Promise<string[]> {
  const result = await build({
    entryPoints: [join(packageRoot, entry)],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform,
    conditions: ['@mlclients/source'],
    // On Node, built-ins stay imports; listing them here lets the test see which ones the graph reaches.
    external: platform === 'node' ? ['node:*'] : [],
    logLevel: 'silent',
  });
  const meta = result.metafile as Metafile;
  return [
    ...Object.keys(meta.inputs),
    ...Object.values(meta.outputs).flatMap((o) => o.imports.map((i) => i.path)),
  ];
}

describe('@mlclients/package-core root export', () => {
  it('bundles for the browser with no node: import, no AWS SDK and the browser #platform', async () => {
    const inputs = await bundleInputs('src/index.ts', 'browser');
    expect(inputs.filter((path) => path.startsWith('node:') || path.includes('@aws-sdk'))).toEqual([]);
    expect(inputs.some((path) => path.endsWith('internal/platform/browser.ts'))).toBe(true);
    expect(inputs.some((path) => path.endsWith('internal/platform/node.ts'))).toBe(false);
  });

  it('on Node, the same graph reaches node:http through #platform only', async () => {
    const inputs = await bundleInputs('src/index.ts', 'node');
    expect(inputs.some((path) => path.endsWith('internal/platform/node.ts'))).toBe(true);
    expect(inputs.filter((path) => path.startsWith('node:')).sort()).toEqual([
      'node:http',
      'node:https',
      'node:zlib',
    ]);
    expect(defaultGetWithBody()).toBe(nodeHttpTransport);
    expect(defaultGetWithBody()).not.toBe(unsupportedGetWithBody);
  });
});
