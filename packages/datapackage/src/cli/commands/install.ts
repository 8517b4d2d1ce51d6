/** `datapkg install NAME[:tag|@hash] --registry R --dest DIR [--path KEY] [--force-match]` */
import type { Command } from 'commander';
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
        prestartHashWorkers(); // they start while the manifest is read and verified, then stage the objects
        prestartFileSystemSync(); // spawned while this process is small: the commit's flushes fork it, not us
        const registry = await openRegistry(options.registry);
        const bar = progressBar('download', globals());
        const { package: browsed, result } = await Package.browseAndInstall(spec, options.dest, {
          registry,
          ...(options.path === undefined ? {} : { path: options.path }),
          ...(options.forceMatch ? { forceMatch: true } : {}),
          onProgress: bar.update,
          onLockWait: (holder) => {
            if (globals().quiet || globals().json) return;
            const who = holder ? ` (process ${holder.pid} on ${holder.host})` : '';
            process.stderr.write(
              `datapkg: waiting for another install into ${options.dest} to finish${who}\n`,
            );
          },
        }).finally(bar.stop);
        const pkg = options.path === undefined ? browsed : browsed.subPackage(options.path);
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
