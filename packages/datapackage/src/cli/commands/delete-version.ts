/**
 * `datapkg delete-version NAME HASH`: quilt3's `delete_package(name, top_hash=)`, the pointers to one version; `latest`
 * moves to the newest remaining version when it was that one.
 */
import type { Command } from 'commander';
import { Package } from '../../package.js';
import { printJson, printLine } from '../output.js';
import { openRegistry, registryOption } from '../settings.js';
import type { GlobalOptions } from './global-options.js';

export function registerDeleteVersion(program: Command, globals: () => GlobalOptions): void {
  program
    .command('delete-version')
    .description('remove one version of a package (its timestamp, tag and latest pointers)')
    .argument('<name>', 'user/package')
    .argument('<hash>', 'top hash or a unique prefix (6+ hex digits)')
    .addOption(registryOption())
    .action(async (name: string, hash: string, options: { registry?: string }) => {
      const registry = await openRegistry(options.registry);
      const result = await Package.deletePackageVersion(name, hash, { registry });
      if (globals().json) {
        printJson({ name, ...result, registry: registry.url });
        return;
      }
      printLine(`Deleted ${name}@${result.topHash} (${result.deleted.join(', ')})`);
      if (result.latest) printLine(`${name} latest is now ${result.latest}`);
    });
}
