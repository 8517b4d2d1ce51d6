/** `datapkg rollback NAME HASH`: quilt3's `Package.rollback`, pointing `latest` at an earlier version. */
import type { Command } from 'commander';
import { Package } from '../../package.js';
import { printJson, printLine } from '../output.js';
import { openRegistry, registryOption } from '../settings.js';
import type { GlobalOptions } from './global-options.js';

export function registerRollback(program: Command, globals: () => GlobalOptions): void {
  program
    .command('rollback')
    .description("point a package's latest version at an existing version (nothing is deleted)")
    .argument('<name>', 'user/package')
    .argument('<hash>', 'top hash or a unique prefix (6+ hex digits)')
    .addOption(registryOption())
    .action(async (name: string, hash: string, options: { registry?: string }) => {
      const registry = await openRegistry(options.registry);
      const topHash = await Package.rollback(name, hash, { registry });
      if (globals().json) printJson({ name, latest: topHash, registry: registry.url });
      else printLine(`${name} latest is now ${topHash}`);
    });
}
