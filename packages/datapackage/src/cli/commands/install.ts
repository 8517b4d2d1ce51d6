/** `datapkg install NAME[:tag|@hash] --registry R --dest DIR [--path KEY] [--force-match]` */
import type { Command } from 'commander';
import type { SyncResult } from '../../directory-sync.js';
import { prestartFileSystemSync } from '../../durable-batch.js';
import { prestartHashWorkers } from '../../hashing/worker-pool.js';
import { Package } from '../../package.js';
import { formatBytes, printJson, printLine, progressBar } from '../output.js';
import { openRegistry, registryOption } from '../settings.js';
import type { GlobalOptions } from './global-options.js';

export function registerInstall(program: Command, globals: () => GlobalOptions): void {
  program
    .command('install')
    .description('install a package version into a folder (only missing or changed files are transferred)')
    .argument('<spec>', 'user/package, user/package:tag (or :<unix-seconds>), or user/package@<hash prefix>')
    .addOption(registryOption())
    .option('--dest <dir>', 'destination folder', '.')
    .option('--path <key>', 'install only this file or folder of the package (as quilt3 install --path)')
    .option('--force-match', 'also delete every file the package does not have')
    .action(
      async (
        spec: string,
        options: { registry?: string; dest: string; forceMatch?: boolean; path?: string },
      ) => {
        prestartHashWorkers(); // they start while the manifest is read and verified, and stage the objects
        prestartFileSystemSync(); // spawned while this process is small: the commit's flushes fork it, not us
        const registry = await openRegistry(options.registry);
        const bar = progressBar('download', globals());
        let browsed: Package;
        let pkg: Package;
        let result: SyncResult;
        if (options.path === undefined) {
          // One step: into an empty folder, objects are staged while the manifest is read and verified.
          ({ package: browsed, result } = await Package.browseAndInstall(spec, options.dest, {
            registry,
            ...(options.forceMatch ? { forceMatch: true } : {}),
            onProgress: bar.update,
          }).finally(bar.stop));
          pkg = browsed;
        } else {
          browsed = await Package.browse(spec, { registry });
          pkg = browsed.subPackage(options.path);
          const sync = options.forceMatch ? pkg.forceMatch.bind(pkg) : pkg.install.bind(pkg);
          result = await sync(options.dest, { onProgress: bar.update }).finally(bar.stop);
        }
        if (globals().json) {
          printJson({
            name: pkg.name,
            topHash: browsed.topHash,
            ...(options.path === undefined ? {} : { path: options.path }),
            dest: options.dest,
            transferred: result.transferred,
            removed: result.removed,
            bytesTransferred: result.bytesTransferred,
          });
          return;
        }
        printLine(
          `Installed ${pkg.name}@${browsed.topHash.slice(0, 12)}${options.path === undefined ? '' : ` (${options.path})`} into ${options.dest}: ${result.transferred.length} file(s) transferred (${formatBytes(result.bytesTransferred)}), ${result.removed.length} removed, ${pkg.keys().length - result.transferred.length} unchanged`,
        );
      },
    );
}
