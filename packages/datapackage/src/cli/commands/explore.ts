/** Read-only commands: `ls`, `cat`, `diff`, `list-packages`. */
import type { Command } from 'commander';
import { PackageUsageError } from '../../errors.js';
import { Package } from '../../package.js';
import { shortenTopHash } from '../../top-hash.js';
import { formatBytes, printJson, printLine, printTable } from '../output.js';
import { openRegistry, registryOption } from '../settings.js';
import type { GlobalOptions } from './global-options.js';

export function registerExplore(program: Command, globals: () => GlobalOptions): void {
  program
    .command('ls')
    .description('list the entries of a package directory (nothing is downloaded)')
    .argument('<spec>', 'user/package[:tag|@hash]')
    .argument('[prefix]', 'directory inside the package', '')
    .addOption(registryOption())
    .action(async (spec: string, prefix: string, options: { registry?: string }) => {
      const pkg = await Package.browse(spec, { registry: await openRegistry(options.registry) });
      const items = pkg.ls(prefix);
      if (globals().json) {
        printJson(
          items.map((item) =>
            item.isFile()
              ? { key: item.logicalKey, type: 'file', size: item.size, hash: item.hash, meta: item.meta }
              : { key: `${item.logicalKey}/`, type: 'directory', meta: item.meta },
          ),
        );
        return;
      }
      printTable(
        ['key', 'size', 'hash'],
        items.map((item) =>
          item.isFile()
            ? [
                item.logicalKey,
                formatBytes(item.size),
                `${item.hash?.type ?? ''} ${item.hash?.value.slice(0, 12) ?? ''}…`,
              ]
            : [`${item.logicalKey}/`, '', ''],
        ),
      );
    });

  program
    .command('cat')
    .description("write one entry's bytes (verified) to stdout")
    .argument('<spec>', 'user/package[:tag|@hash]')
    .argument('<key>', 'logical key')
    .addOption(registryOption())
    .action(async (spec: string, key: string, options: { registry?: string }) => {
      const pkg = await Package.browse(spec, { registry: await openRegistry(options.registry) });
      const stream = await pkg.entry(key).stream();
      await new Promise<void>((resolve, reject) => {
        stream.on('error', reject).on('end', resolve).pipe(process.stdout, { end: false });
      });
    });

  program
    .command('diff')
    .description('keys added, modified and deleted between two versions')
    .argument('<from>', 'user/package[:tag|@hash]')
    .argument('<to>', 'user/package[:tag|@hash]')
    .addOption(registryOption())
    .action(async (from: string, to: string, options: { registry?: string }) => {
      const registry = await openRegistry(options.registry);
      const [a, b] = await Promise.all([
        Package.browse(from, { registry }),
        Package.browse(to, { registry }),
      ]);
      const diff = a.diff(b);
      if (globals().json) {
        printJson(diff);
        return;
      }
      for (const key of diff.added) printLine(`+ ${key}`);
      for (const key of diff.modified) printLine(`~ ${key}`);
      for (const key of diff.deleted) printLine(`- ${key}`);
      if (diff.added.length + diff.modified.length + diff.deleted.length === 0) printLine('No differences');
    });

  program
    .command('list-packages')
    .description('the packages of a registry with their latest hash and number of versions')
    .addOption(registryOption())
    .action(async (options: { registry?: string }) => {
      const registry = await openRegistry(options.registry);
      const names = await registry.listPackages();
      const rows = [];
      for (const name of names) {
        const versions = await registry.listVersions(name);
        const latest = versions.find((v) => v.pointer === 'latest')?.topHash ?? '';
        const tags = versions
          .filter((v) => v.pointer !== 'latest' && !/^\d+$/.test(v.pointer))
          .map((v) => v.pointer);
        const timestamps = versions.filter((v) => /^\d+$/.test(v.pointer));
        rows.push({ name, latest, versions: timestamps.length, tags });
      }
      if (globals().json) {
        printJson(rows);
        return;
      }
      if (rows.length === 0) throw new PackageUsageError(`no packages in ${registry.url}`);
      const all = rows.map((r) => r.latest).filter(Boolean);
      printTable(
        ['package', 'latest', 'versions', 'tags'],
        rows.map((r) => [
          r.name,
          r.latest ? shortenTopHash(r.latest, all) : '',
          r.versions,
          r.tags.join(', '),
        ]),
      );
    });
}
