/**
 * The registries every registry/use-case test runs against: a local directory always, and a real S3-compatible
 * server when `MLC_S3_ENDPOINT`, `MLC_S3_BUCKET`, `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` are set
 * (tools/s3-local provides them), plus a versioned bucket when `MLC_S3_VERSIONED_BUCKET` is also set (objects are
 * then pinned by versionId). Each `open()` gives a fresh, empty registry (a temp folder, or a unique prefix in the
 * bucket) and a cleanup function.
 *
 * Locally: `bash tools/s3-local/start.sh && set -a && . /tmp/mlc-s3-local/env && set +a`, then run the tests.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pLimit from 'p-limit';
import { PackageRegistry } from '../src/registry.js';

export interface OpenRegistry {
  /** The URL to give the API or the CLI (`file:///…` or `s3://bucket/prefix`). */
  url: string;
  registry: PackageRegistry;
  cleanup(): Promise<void>;
}

export interface RegistryTarget {
  name: 'local' | 's3' | 's3-versioned';
  open(): Promise<OpenRegistry>;
}

export function s3TestEnvironment(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(
    env.MLC_S3_ENDPOINT && env.MLC_S3_BUCKET && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY,
  );
}

export function registryTargets(env: NodeJS.ProcessEnv = process.env): RegistryTarget[] {
  const targets: RegistryTarget[] = [
    {
      name: 'local',
      async open() {
        const dir = await mkdtemp(join(tmpdir(), 'dp-registry-'));
        const url = pathToFileURL(dir).href;
        return {
          url,
          registry: await PackageRegistry.open(url),
          cleanup: () => rm(dir, { recursive: true, force: true }),
        };
      },
    },
  ];
  const s3Target = (name: 's3' | 's3-versioned', bucket: string): RegistryTarget => ({
    name,
    async open() {
      const url = `s3://${bucket}/dp-test-${randomBytes(6).toString('hex')}`;
      const registry = await PackageRegistry.open(url);
      return {
        url,
        registry,
        async cleanup() {
          const keys: string[] = [];
          for await (const info of registry.store.list('')) keys.push(info.key);
          // A few deletes in flight at a time: one after the other was a good part of the S3 tests' time.
          const limit = pLimit(8);
          await Promise.all(keys.map((key) => limit(() => registry.store.delete(key))));
        },
      };
    },
  });
  if (s3TestEnvironment(env)) {
    targets.push(s3Target('s3', env.MLC_S3_BUCKET as string));
    if (env.MLC_S3_VERSIONED_BUCKET) targets.push(s3Target('s3-versioned', env.MLC_S3_VERSIONED_BUCKET));
  }
  return targets;
}
