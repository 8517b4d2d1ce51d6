/** The `datapkg` command tree (commander). */
import { applyCliConventions } from '@mlclients/package-core/cli';
import { Command } from 'commander';
import { registerDeletePackage } from './commands/delete-package.js';
import { registerDeleteVersion } from './commands/delete-version.js';
import { registerDraft } from './commands/draft.js';
import { registerExplore } from './commands/explore.js';
import { registerFetch } from './commands/fetch.js';
import type { GlobalOptions } from './commands/global-options.js';
import { registerHash } from './commands/hash.js';
import { registerInstall } from './commands/install.js';
import { registerPublish } from './commands/publish.js';
import { registerRollback } from './commands/rollback.js';
import { registerStatus } from './commands/status.js';

export function createProgram(): Command {
  const program = new Command('datapkg')
    .description('quilt3-compatible data packages: install, verify, build and push versioned datasets')
    .option('--json', 'machine-readable output')
    .option('-q, --quiet', 'no progress bars')
    .showHelpAfterError()
    .enablePositionalOptions(false);
  const globals = () => program.opts<GlobalOptions>();
  registerInstall(program, globals);
  registerStatus(program, globals);
  registerHash(program, globals);
  registerExplore(program, globals);
  registerDraft(program, globals);
  registerPublish(program, globals);
  registerFetch(program, globals);
  registerRollback(program, globals);
  registerDeletePackage(program, globals);
  registerDeleteVersion(program, globals);
  // Last, once every command exists: --version, global options in every help, `datapkg completion <shell>`.
  return applyCliConventions(program, { packageJson: new URL('../../package.json', import.meta.url) });
}
