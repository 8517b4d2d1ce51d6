/**
 * Browser bundle of a small hub-client program (create a client, list, iterate), against a bare openapi-fetch program
 * doing the same calls, both bundled in this run with esbuild `--bundle --platform=browser --minify` and gzipped.
 * The bundle must build with no `node:` import (esbuild fails on one for the browser platform, and the metafile is
 * checked too). Target: <= 45 KB gzip for hub-client. Measures the built packages (dist/), as a user gets them.
 */
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';

const REPO_ROOT = new URL('..', import.meta.url).pathname;
const TARGET_GZIP_BYTES = 45 * 1024;

const HUB_PROGRAM = `
import { HubClient } from '@mlclients/hub-client';
const hub = new HubClient({ baseUrl: 'https://app.auger.ai', projectToken: 'a-token' });
const page = await hub.projects.list({ limit: 10 });
console.log(page);
for await (const project of hub.projects.iterate()) console.log(project);
`;

const OPENAPI_FETCH_PROGRAM = `
import createClient from 'openapi-fetch';
const client = createClient({ baseUrl: 'https://app.auger.ai', headers: { authorization: 'Bearer a-token' } });
const page = await client.GET('/api/v1/projects', { params: { query: { limit: 10 } } });
console.log(page.data);
for (let offset = 0; ; offset += 50) {
  const { data, error } = await client.GET('/api/v1/projects', { params: { query: { offset, limit: 50 } } });
  if (error) throw new Error(JSON.stringify(error));
  const items = data?.data ?? [];
  for (const project of items) console.log(project);
  if (items.length === 0) break;
}
`;

interface BundleSize {
  minified: number;
  gzip: number;
  nodeImports: string[];
  /** Minified output bytes per package (`zod`, `@mlclients/package-core`, ...). */
  byPackage: Map<string, number>;
}

function packageOf(input: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (match?.[1]) return match[1];
  const workspace = /packages\/([^/]+)\//.exec(input);
  return workspace?.[1] ? `@mlclients/${workspace[1]}` : input;
}

async function bundle(contents: string): Promise<BundleSize> {
  const result = await build({
    stdin: { contents, resolveDir: REPO_ROOT, loader: 'ts', sourcefile: 'program.ts' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  const meta = result.metafile as Metafile;
  const byPackage = new Map<string, number>();
  const nodeImports: string[] = [];
  for (const output of Object.values(meta.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
    }
    nodeImports.push(...output.imports.map((i) => i.path).filter((p) => p.startsWith('node:')));
  }
  return { minified: code.byteLength, gzip: gzipSync(code).byteLength, nodeImports, byPackage };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export default async function bundleBench(): Promise<void> {
  const baseline = await bundle(OPENAPI_FETCH_PROGRAM);
  let hub: BundleSize;
  try {
    hub = await bundle(HUB_PROGRAM);
  } catch (error) {
    console.log(`hub-client program: the browser bundle FAILED to build:\n${(error as Error).message}`);
    return;
  }
  console.log('browser bundle (esbuild --bundle --platform=browser --minify), list + iterate program:');
  console.log(
    `  bare openapi-fetch   ${kb(baseline.minified).padStart(9)} min  ${kb(baseline.gzip).padStart(8)} gzip`,
  );
  console.log(
    `  hub-client           ${kb(hub.minified).padStart(9)} min  ${kb(hub.gzip).padStart(8)} gzip  (${(hub.gzip / baseline.gzip).toFixed(1)}x)`,
  );
  const parts = [...hub.byPackage].sort((a, b) => b[1] - a[1]).slice(0, 6);
  console.log(`  hub-client minified bytes by package: ${parts.map(([n, b]) => `${n} ${kb(b)}`).join(', ')}`);
  console.log(
    `  node: imports in the hub-client bundle: ${hub.nodeImports.length === 0 ? 'none' : hub.nodeImports.join(', ')}`,
  );
  console.log(
    `  target: <= ${kb(TARGET_GZIP_BYTES)} gzip and no node: import: ${hub.gzip <= TARGET_GZIP_BYTES && hub.nodeImports.length === 0 ? 'met' : 'NOT met'} (${kb(hub.gzip)})`,
  );
}
