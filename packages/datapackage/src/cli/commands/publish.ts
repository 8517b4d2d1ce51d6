/** `push-data`, `push-manifest` (draft in the working folder) and `push` (a whole folder in one call). */
import type { Command } from 'commander';
import { prestartFileSystemSync } from '../../durable-batch.js';
import { prestartHashWorkers } from '../../hashing/worker-pool.js';
import { type EntrySelector, PackageBuilder } from '../../package-builder.js';
import type { WorkflowChoice } from '../../workflows.js';
import { formatBytes, printJson, printLine, progressBar } from '../output.js';
import { addFolderParents, recordPush } from '../push-parents.js';
import {
  dirOption,
  loadDraft,
  openRegistry,
  parseJsonArgument,
  registryOption,
  saveDraft,
} from '../settings.js';
import type { GlobalOptions } from './global-options.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * `--only GLOB` (repeatable): copy only entries whose logical key matches one of the globs (picomatch syntax).
 * picomatch loads only when globs are given: every other push skips its start-up cost.
 */
async function onlySelector(globs: string[] | undefined): Promise<EntrySelector | undefined> {
  if (!globs || globs.length === 0) return undefined;
  const { default: picomatch } = await import('picomatch');
  const matches = picomatch(globs, { dot: true });
  return (logicalKey) => matches(logicalKey);
}

/** `--workflow ID`; an empty string means no workflow (quilt3's `--workflow ''`); absent means the default. */
function workflowChoice(value: string | undefined): WorkflowChoice {
  return value === undefined ? undefined : value === '' ? null : value;
}

interface ConflictOptions {
  workflow?: string;
  force?: boolean;
  dedupe?: boolean;
}

function manifestOptions(options: ConflictOptions) {
  return {
    ...(options.workflow !== undefined ? { workflow: workflowChoice(options.workflow) } : {}),
    ...(options.force ? { force: true } : {}),
    ...(options.dedupe ? { dedupe: true } : {}),
  };
}

export function registerPublish(program: Command, globals: () => GlobalOptions): void {
  program
    .command('push-data')
    .description("upload the draft's data to <registry>/<prefix>, skipping objects already there")
    .requiredOption('--prefix <prefix>', "key prefix in the registry, e.g. 'team/dataset'")
    .addOption(registryOption())
    .option('--only <glob>', 'copy only entries whose logical key matches (repeatable)', collect)
    .addOption(dirOption())
    .action(async (options: { prefix: string; registry?: string; dir: string; only?: string[] }) => {
      const builder = await loadDraft(options.dir);
      const registry = await openRegistry(options.registry);
      const bar = progressBar('upload', globals());
      const selector = await onlySelector(options.only);
      const result = await builder
        .pushData(registry, {
          prefix: options.prefix,
          onProgress: bar.update,
          ...(selector ? { selector } : {}),
        })
        .finally(bar.stop);
      await saveDraft(options.dir, builder);
      if (globals().json) printJson(result);
      else {
        printLine(
          `Pushed data to ${registry.url}/${options.prefix}: ${result.uploaded.length} uploaded (${formatBytes(result.bytesUploaded)}), ${result.skipped.length} already there`,
        );
      }
    });

  program
    .command('push-manifest')
    .description('publish the draft manifest under NAME (manifest, timestamp, tags, then latest)')
    .argument('<name>', 'user/package')
    .option('-t, --tag <tag>', 'tag to point at this version (repeatable)', collect)
    .option('--message <text>', 'commit message')
    .addOption(registryOption())
    .option('--allow-local-files', 'publish even though entries point at local files')
    .option('--workflow <id>', "registry workflow to apply ('' for none; default: the registry's default)")
    .option('--force', "publish even if the registry's latest version moved since this folder's")
    .option('--dedupe', 'publish nothing when the latest version already has this top hash')
    .addOption(dirOption())
    .action(
      async (
        name: string,
        options: ConflictOptions & {
          tag?: string[];
          message?: string;
          registry?: string;
          allowLocalFiles?: boolean;
          dir: string;
        },
      ) => {
        const builder = await loadDraft(options.dir);
        const registry = await openRegistry(options.registry);
        await addFolderParents(builder, options.dir, name);
        const pkg = await builder.pushManifest(registry, name, {
          ...(options.tag ? { tags: options.tag } : {}),
          ...(options.message !== undefined ? { message: options.message } : {}),
          ...(options.allowLocalFiles ? { allowLocalFiles: true } : {}),
          ...manifestOptions(options),
        });
        await saveDraft(options.dir, builder);
        await recordPush(options.dir, name, pkg.topHash);
        if (globals().json)
          printJson({ name, topHash: pkg.topHash, registry: registry.url, tags: options.tag ?? [] });
        else printLine(`Pushed ${name}@${pkg.topHash} to ${registry.url}`);
      },
    );

  program
    .command('push')
    .description('package a folder (honouring .quiltignore) and push data + manifest in one call')
    .argument('<name>', 'user/package')
    .option('--dir <dir>', 'folder to package', '.')
    .addOption(registryOption())
    .option('--prefix <prefix>', 'data key prefix (default: the package name)')
    .option('-t, --tag <tag>', 'tag to point at this version (repeatable)', collect)
    .option('--message <text>', 'commit message')
    .option('--meta <json>', 'package metadata (JSON)')
    .option('--workflow <id>', "registry workflow to apply ('' for none; default: the registry's default)")
    .option('--force', "publish even if the registry's latest version moved since this folder's")
    .option('--dedupe', 'publish nothing when the latest version already has this top hash')
    .option('--only <glob>', 'copy only entries whose logical key matches (repeatable)', collect)
    .option('--allow-local-files', 'publish even though entries not copied (--only) point at local files')
    .action(
      async (
        name: string,
        options: ConflictOptions & {
          dir: string;
          registry?: string;
          prefix?: string;
          tag?: string[];
          message?: string;
          meta?: string;
          only?: string[];
          allowLocalFiles?: boolean;
        },
      ) => {
        // The hashing workers start now, while the registry is opened and the folder listed.
        prestartHashWorkers();
        // Spawned while this process is small: flushing the new objects then forks it, not us (30-40 ms of fork).
        prestartFileSystemSync();
        const meta = options.meta === undefined ? undefined : parseJsonArgument(options.meta, '--meta');
        const builder = new PackageBuilder();
        // The registry and the folder's parents (for the conflict check) are independent: read at once.
        const [registry] = await Promise.all([
          openRegistry(options.registry),
          addFolderParents(builder, options.dir, name),
        ]);
        const hashBar = progressBar('hash', globals());
        const bar = progressBar('upload', globals());
        let hashing = true;
        const selector = await onlySelector(options.only);
        // Without bars (no terminal, --json, --quiet) no progress callbacks: nothing to compute per file.
        const progress = bar.active
          ? {
              onHashProgress: hashBar.update,
              onProgress: (p: Parameters<typeof bar.update>[0]) => {
                if (hashing) {
                  hashing = false;
                  hashBar.stop();
                }
                bar.update(p);
              },
            }
          : {};
        // Like `quilt3 push --dir`: set_dir('.', dir, meta) (the package meta is null when none is given), then push;
        // into a local registry each file is copied (and hashed while copied) as soon as the folder walk finds it.
        const pkg = await builder
          .pushDir(registry, name, options.dir, {
            ...(meta === undefined ? {} : { meta }),
            ...progress,
            ...(options.prefix ? { prefix: options.prefix } : {}),
            ...(options.tag ? { tags: options.tag } : {}),
            message: options.message ?? null,
            ...manifestOptions(options),
            ...(selector ? { selector } : {}),
            ...(options.allowLocalFiles ? { allowLocalFiles: true } : {}),
          })
          .finally(() => {
            hashBar.stop();
            bar.stop();
          });
        await recordPush(options.dir, name, pkg.topHash);
        if (globals().json)
          printJson({ name, topHash: pkg.topHash, registry: registry.url, files: pkg.keys().length });
        else printLine(`Pushed ${name}@${pkg.topHash} to ${registry.url} (${pkg.keys().length} files)`);
      },
    );
}
