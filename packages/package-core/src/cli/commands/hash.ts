/**
 * `datapkg hash DIR`: the top hash the folder's package has now (the installed package's header and metadata,
 * or a fresh `quilt3 push --dir` header, over the files as they are), and `datapkg hash --manifest FILE`: the top
 * hash of a manifest file. Only the hash goes to stdout.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createContext, withFileHasher } from '../../datapackage/context.js';
import type { HashProgress } from '../../datapackage/hashing/file-hasher.js';
import { CHUNKED_SHA256 } from '../../datapackage/hashing/object-hash.js';
import { readInstallRecord } from '../../datapackage/install-record.js';
import type { JsonValue } from '../../datapackage/json/json-value.js';
import { listLocalFiles } from '../../datapackage/local-tree.js';
import { Manifest, makeHashValue, readObjectHash } from '../../datapackage/manifest.js';
import { readManifest } from '../../datapackage/manifest-format.js';
import { localPhysicalKey } from '../../datapackage/physical-key.js';
import { computeTopHash } from '../../datapackage/top-hash.js';
import { printJson, printLine, progressBar } from '../output.js';
import type { GlobalOptions } from './global-options.js';

export async function hashDirectory(
  dir: string,
  onProgress?: (progress: HashProgress) => void,
): Promise<string> {
  const root = resolve(dir);
  const installed = await readInstallRecord(root);
  const base =
    installed?.manifest ??
    new Manifest(
      new Map<string, JsonValue>([
        ['version', 'v0'],
        ['user_meta', null],
        ['message', null],
      ]),
    );
  const manifest = new Manifest(base.header);
  for (const [directory, meta] of base.directoryMeta) manifest.directoryMeta.set(directory, meta);
  const files = await listLocalFiles(root, { useQuiltignore: !installed });
  await withFileHasher(createContext(), async (hasher) => {
    const byType = new Map<string, typeof files>();
    for (const file of files) {
      const type = readObjectHash(base.get(file.logicalKey)?.hash ?? null)?.type ?? CHUNKED_SHA256;
      byType.set(type, [...(byType.get(type) ?? []), file]);
    }
    for (const [type, group] of byType) {
      const results = await hasher.hashFiles(
        group.map((f) => f.path),
        type,
        onProgress,
      );
      for (const file of group) {
        const result = results.get(file.path);
        if (!result) continue;
        const previous = base.get(file.logicalKey);
        manifest.set({
          logicalKey: file.logicalKey,
          physicalKey: previous?.physicalKey ?? localPhysicalKey(file.path),
          size: result.size,
          hash: makeHashValue({ type, value: result.value }),
          meta: previous?.meta ?? new Map(),
        });
      }
    }
  });
  return computeTopHash(manifest);
}

export function registerHash(program: Command, globals: () => GlobalOptions): void {
  program
    .command('hash')
    .description("print a folder's package top hash, or a manifest file's (--manifest)")
    .argument('[dir]', 'folder', '.')
    .option('--manifest <file>', 'hash this manifest file instead')
    .action(async (dir: string, options: { manifest?: string }) => {
      let topHash: string;
      if (options.manifest) {
        topHash = computeTopHash(readManifest(await readFile(options.manifest)));
      } else {
        const bar = progressBar('hash', globals());
        topHash = await hashDirectory(dir, bar.update).finally(bar.stop);
      }
      if (globals().json) printJson({ topHash });
      else printLine(topHash);
    });
}
