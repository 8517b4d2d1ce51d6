import type { Command } from 'commander';
import { addCompletionCommands } from './completion.js';
import { showGlobalOptionsInEveryHelp } from './global-options-help.js';
import { readPackageVersion } from './package-version.js';

/** Options of {@link applyCliConventions}. */
export interface CliConventionsOptions {
  /**
   * The CLI package's package.json, for `--version`: `new URL('../../package.json', import.meta.url)` from
   * `src/cli/program.ts` (the same path holds from the built `dist/cli/`). Ignored when the program already has a
   * version.
   */
  packageJson: URL;
}

/**
 * What every mlclients CLI offers, on a finished commander program (call it after the last command is registered):
 * `-V, --version` from the package's package.json, the global options listed in every subcommand's `--help`, and
 * `completion <shell>` for bash, zsh, fish and powershell.
 *
 * @example
 * ```ts
 * const program = new Command('datapkg').option('--json', 'machine-readable output');
 * program.command('install') // ...
 * applyCliConventions(program, { packageJson: new URL('../../package.json', import.meta.url) });
 * ```
 */
export function applyCliConventions(program: Command, options: CliConventionsOptions): Command {
  if (program.version() === undefined) {
    program.version(readPackageVersion(options.packageJson), '-V, --version', 'print the version');
  }
  addCompletionCommands(program);
  showGlobalOptionsInEveryHelp(program);
  return program;
}
