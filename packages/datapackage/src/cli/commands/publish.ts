/** `push-data`, `push-manifest` (draft in the working folder) and `push` (a whole folder in one call). */
import type { Command } from 'commander';
import { PackageBuilder } from '../../package-builder.js';
import { formatBytes, printJson, printLine, progressBar } from '../output.js';
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

export function registerPublish(program: Command, globals: () => GlobalOptions): void {
  program
    .command('push-data')
    .description("upload the draft's data to <registry>/<prefix>, skipping objects already there")
    .requiredOption('--prefix <prefix>', "key prefix in the registry, e.g. 'team/dataset'")
    .addOption(registryOption())
    .addOption(dirOption())
    .action(async (options: { prefix: string; registry?: string; dir: string }) => {
      const builder = await loadDraft(options.dir);
      const registry = await openRegistry(options.registry);
      const bar = progressBar('upload', globals());
      const result = await builder
        .pushData(registry, { prefix: options.prefix, onProgress: bar.update })
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
    .addOption(dirOption())
    .action(
      async (
        name: string,
        options: {
          tag?: string[];
          message?: string;
          registry?: string;
          allowLocalFiles?: boolean;
          dir: string;
        },
      ) => {
        const builder = await loadDraft(options.dir);
        const registry = await openRegistry(options.registry);
        const pkg = await builder.pushManifest(registry, name, {
          ...(options.tag ? { tags: options.tag } : {}),
          ...(options.message !== undefined ? { message: options.message } : {}),
          ...(options.allowLocalFiles ? { allowLocalFiles: true } : {}),
        });
        await saveDraft(options.dir, builder);
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
    .action(
      async (
        name: string,
        options: {
          dir: string;
          registry?: string;
          prefix?: string;
          tag?: string[];
          message?: string;
          meta?: string;
        },
      ) => {
        const registry = await openRegistry(options.registry);
        const builder = new PackageBuilder();
        const meta = options.meta === undefined ? undefined : parseJsonArgument(options.meta, '--meta');
        // Like `quilt3 push --dir`: set_dir('.', dir, meta) — the package meta is null when none is given.
        await builder.setDir('.', options.dir, meta === undefined ? {} : { meta });
        const hashBar = progressBar('hash', globals());
        await builder.hashMissing(hashBar.update).finally(hashBar.stop);
        const bar = progressBar('upload', globals());
        const pkg = await builder
          .push(registry, name, {
            ...(options.prefix ? { prefix: options.prefix } : {}),
            ...(options.tag ? { tags: options.tag } : {}),
            message: options.message ?? null,
            onProgress: bar.update,
          })
          .finally(bar.stop);
        if (globals().json)
          printJson({ name, topHash: pkg.topHash, registry: registry.url, files: pkg.keys().length });
        else printLine(`Pushed ${name}@${pkg.topHash} to ${registry.url} (${pkg.keys().length} files)`);
      },
    );
}
