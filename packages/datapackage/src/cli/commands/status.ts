/**
 * `datapkg status DIR` (against the package installed there) and `datapkg verify [SPEC] --dir DIR` (against any
 * package). Both print "Data matches manifest" and exit 0, or list the differences and exit 1.
 */
import type { Command } from 'commander';
import { PackageUsageError } from '../../errors.js';
import { Package } from '../../package.js';
import { printJson, printLine, progressBar } from '../output.js';
import { openRegistry, registryOption } from '../settings.js';
import type { GlobalOptions } from './global-options.js';

/** Hashes `dir` against `pkg` (with a progress bar) and prints the result; exit code 1 when it does not match. */
async function verifyAndReport(
  pkg: Package,
  dir: string,
  extraFilesOk: boolean | undefined,
  globals: GlobalOptions,
): Promise<void> {
  const bar = progressBar('hash', globals);
  const result = await pkg
    .verify(dir, { extraFilesOk: extraFilesOk ?? false, onProgress: bar.update })
    .finally(bar.stop);
  if (globals.json) {
    printJson({ name: pkg.name, topHash: pkg.topHash, ...result });
  } else if (result.matches) {
    printLine('Data matches manifest');
  } else {
    for (const key of result.missing) printLine(`missing: ${key}`);
    for (const key of result.changed) printLine(`changed: ${key}`);
    for (const key of result.extra) printLine(`extra:   ${key}`);
  }
  if (!result.matches) process.exitCode = 1;
}

export function registerStatus(program: Command, globals: () => GlobalOptions): void {
  program
    .command('status')
    .description('check that a folder still matches the package installed into it')
    .argument('[dir]', 'installed folder', '.')
    .option('--extra-files-ok', 'do not count files the package does not have')
    .option(
      '--quilt3-registry <path>',
      "where quilt3 recorded a folder it installed (default: quilt3's local registry)",
    )
    .action(async (dir: string, options: { extraFilesOk?: boolean; quilt3Registry?: string }) => {
      const pkg = await Package.fromInstalled(
        dir,
        options.quilt3Registry === undefined ? {} : { quilt3Registry: options.quilt3Registry },
      );
      if (!pkg)
        throw new PackageUsageError(
          `${dir} has no installed package (datapkg has no install record for it, and no version in quilt3's local registry has these files): use 'datapkg install' or 'datapkg verify'`,
        );
      await verifyAndReport(pkg, dir, options.extraFilesOk, globals());
    });

  program
    .command('verify')
    .description('list missing, changed and extra files of a folder against a package version')
    .argument('[spec]', 'user/package[:tag|@hash]; default: the package installed in --dir')
    .addOption(registryOption())
    .option('--dir <dir>', 'folder to check', '.')
    .option('--extra-files-ok', 'do not count files the package does not have')
    .action(
      async (
        spec: string | undefined,
        options: { registry?: string; dir: string; extraFilesOk?: boolean },
      ) => {
        const pkg = spec
          ? await Package.browse(spec, { registry: await openRegistry(options.registry) })
          : await Package.fromInstalled(options.dir);
        if (!pkg) throw new PackageUsageError(`give a package spec: ${options.dir} has no installed package`);
        await verifyAndReport(pkg, options.dir, options.extraFilesOk, globals());
      },
    );
}
