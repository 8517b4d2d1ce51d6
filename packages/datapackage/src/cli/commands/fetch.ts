/** `datapkg fetch SPEC [PATH] --dest DIR`: quilt3's `fetch`, a plain verified copy of a package (or one file/folder). */
import type { Command } from 'commander';
import { Package } from '../../package.js';
import { formatBytes, printJson, printLine, progressBar } from '../output.js';
import { openRegistry, registryOption } from '../settings.js';
import type { GlobalOptions } from './global-options.js';

export function registerFetch(program: Command, globals: () => GlobalOptions): void {
  program
    .command('fetch')
    .description(
      'copy the files of a package (or of one folder or file in it) into a folder; no install record, nothing removed',
    )
    .argument('<spec>', 'user/package[:tag|@hash]')
    .argument('[path]', 'file or folder inside the package (default: all of it)')
    .addOption(registryOption())
    .option('--dest <dir>', 'destination folder', '.')
    .action(async (spec: string, path: string | undefined, options: { registry?: string; dest: string }) => {
      const pkg = await Package.browse(spec, { registry: await openRegistry(options.registry) });
      const bar = progressBar('download', globals());
      const fetched = await pkg
        .fetch(options.dest, { onProgress: bar.update, ...(path === undefined ? {} : { path }) })
        .finally(bar.stop);
      const keys = fetched.keys();
      const bytes = fetched.manifest().totalBytes();
      if (globals().json)
        printJson({ name: pkg.name, topHash: pkg.topHash, dest: options.dest, files: keys });
      else
        printLine(
          `Fetched ${keys.length} file(s) (${formatBytes(bytes)}) of ${pkg.name} into ${options.dest}`,
        );
    });
}
