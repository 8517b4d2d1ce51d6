/** `datapkg delete-package NAME`: quilt3's `delete_package(name)`, every pointer of the name (manifests and data stay). */
import type { Command } from 'commander';
import { Package } from '../../package.js';
import { printJson, printLine } from '../output.js';
import { openRegistry, registryOption } from '../settings.js';
import type { GlobalOptions } from './global-options.js';

export function registerDeletePackage(program: Command, globals: () => GlobalOptions): void {
  program
    .command('delete-package')
    .description(
      'remove a package name and all its version pointers from a registry (manifests and data stay)',
    )
    .argument('<name>', 'user/package')
    .addOption(registryOption())
    .action(async (name: string, options: { registry?: string }) => {
      const registry = await openRegistry(options.registry);
      const pointers = await Package.deletePackage(name, { registry });
      if (globals().json) printJson({ name, deleted: pointers, registry: registry.url });
      else printLine(`Deleted ${name} from ${registry.url} (${pointers.length} pointer(s))`);
    });
}
