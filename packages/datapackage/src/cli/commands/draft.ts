/**
 * Building a package step by step in a working folder: `init`, `add`, `set`, `set-meta`, `delete`,
 * `build-manifest`. The draft manifest lives in `<dir>/.datapkg/draft.jsonl` between commands.
 */
import { access, stat } from 'node:fs/promises';
import { basename, resolve, sep } from 'node:path';
import { relativeInside, writeFileAtomic } from '@mlclients/package-core/storage';
import type { Command } from 'commander';
import { PackageUsageError } from '../../errors.js';
import { writeManifest } from '../../manifest-format.js';
import { PackageBuilder } from '../../package-builder.js';
import { printJson, printLine, progressBar } from '../output.js';
import { dirOption, draftPath, loadDraft, parseJsonArgument, saveDraft } from '../settings.js';
import type { GlobalOptions } from './global-options.js';

export function registerDraft(program: Command, globals: () => GlobalOptions): void {
  program
    .command('init')
    .description('start a draft package in a working folder')
    .addOption(dirOption())
    .option('--meta <json>', 'package metadata (JSON)')
    .option('--force', 'replace an existing draft')
    .action(async (options: { dir: string; meta?: string; force?: boolean }) => {
      const exists = await access(draftPath(options.dir)).then(
        () => true,
        () => false,
      );
      if (exists && !options.force) {
        throw new PackageUsageError(
          `${resolve(options.dir)} already has a draft package (use --force to start over)`,
        );
      }
      const builder = new PackageBuilder();
      if (options.meta !== undefined) builder.setMeta('', parseJsonArgument(options.meta, '--meta'));
      await saveDraft(options.dir, builder);
      printLine(`Initialized an empty draft package in ${resolve(options.dir)}`);
    });

  program
    .command('add')
    .description(
      'add a file or a folder (honouring .quiltignore) to the draft; "add ." adds the working folder',
    )
    .argument('<path>', 'file or folder')
    .option('--as <key>', 'logical key (default: the path relative to the working folder)')
    .option('--meta <json>', 'metadata (JSON) for the file or folder')
    .addOption(dirOption())
    .action(async (path: string, options: { as?: string; meta?: string; dir: string }) => {
      const builder = await loadDraft(options.dir);
      const absolute = resolve(path);
      const inside = relativeInside(resolve(options.dir), absolute);
      // Outside the working folder ('..' or '../…'; a name like '..data' is inside): its own name.
      const key = options.as ?? (inside === undefined ? basename(absolute) : inside.split(sep).join('/'));
      const meta = options.meta === undefined ? undefined : parseJsonArgument(options.meta, '--meta');
      if ((await stat(absolute)).isDirectory()) {
        // Adding a folder again must not wipe metadata set earlier (e.g. by `init --meta`).
        await builder.setDir(key, absolute, meta === undefined ? { keepExistingMeta: true } : { meta });
      } else {
        builder.set(key, absolute, meta);
      }
      await saveDraft(options.dir, builder);
      printLine(`Added ${key === '' ? '.' : key}: the draft has ${builder.keys().length} file(s)`);
    });

  program
    .command('set')
    .description('add or replace one entry of the draft')
    .argument('<key>', 'logical key')
    .argument('<source>', 'local file or URL (s3://, https://)')
    .option('--meta <json>', 'entry metadata (JSON)')
    .addOption(dirOption())
    .action(async (key: string, source: string, options: { meta?: string; dir: string }) => {
      const builder = await loadDraft(options.dir);
      builder.set(
        key,
        source.includes('://') ? source : resolve(source),
        options.meta === undefined ? undefined : parseJsonArgument(options.meta, '--meta'),
      );
      await saveDraft(options.dir, builder);
      printLine(`Set ${key}`);
    });

  program
    .command('set-meta')
    .description("set the metadata of an entry, a directory, or the package ('.')")
    .argument('<key>', "logical key, directory, or '.' for the package")
    .argument('<json>', 'metadata (JSON)')
    .addOption(dirOption())
    .action(async (key: string, json: string, options: { dir: string }) => {
      const builder = await loadDraft(options.dir);
      builder.setMeta(key, parseJsonArgument(json, 'metadata'));
      await saveDraft(options.dir, builder);
      printLine(`Set metadata of ${key}`);
    });

  program
    .command('delete')
    .description('remove an entry or a directory from the draft')
    .argument('<key>', 'logical key or directory')
    .addOption(dirOption())
    .action(async (key: string, options: { dir: string }) => {
      const builder = await loadDraft(options.dir);
      builder.delete(key);
      await saveDraft(options.dir, builder);
      printLine(`Deleted ${key}`);
    });

  program
    .command('build-manifest')
    .description('hash the draft (worker threads, stat cache) and print its top hash')
    .option('--message <text>', 'commit message')
    .option('--out <file>', 'also write the manifest to this file')
    .addOption(dirOption())
    .action(async (options: { message?: string; out?: string; dir: string }) => {
      const builder = await loadDraft(options.dir);
      const bar = progressBar('hash', globals());
      const topHash = await builder
        .build({ message: options.message ?? null, onProgress: bar.update })
        .finally(bar.stop);
      await saveDraft(options.dir, builder);
      if (options.out) await writeFileAtomic(options.out, writeManifest(builder.manifest()));
      if (globals().json) printJson({ topHash, files: builder.keys().length });
      else printLine(topHash);
    });
}
