/**
 * `@mlclients/package-core/cli` (Node only): the conventions every mlclients command line shares, for commander
 * programs. `--version` from package.json, global options in every subcommand's help, shell completions.
 *
 * @packageDocumentation
 */

export { addCompletionCommands, type CompletionShell, completionShells } from './completion.js';
export { applyCliConventions, type CliConventionsOptions } from './conventions.js';
export { showGlobalOptionsInEveryHelp } from './global-options-help.js';
export { readPackageVersion } from './package-version.js';
