/**
 * The `datapkg` command tree (commander). Command modules load lazily: a run of `datapkg hash` imports only the
 * module that defines `hash` (and what it uses), not the install, explore or push code, so each command pays only for
 * itself at startup. `--help`, `completion` and unknown commands need every definition, so they load them all.
 */
import { applyCliConventions } from '@mlclients/package-core/cli';
import { Command } from 'commander';
import type { GlobalOptions } from './commands/global-options.js';

type Register = (program: Command, globals: () => GlobalOptions) => void;

/** Each command module, in help order, with the commands it defines (cli.test.ts checks the names stay in sync). */
export const COMMAND_MODULES: readonly { commands: readonly string[]; load: () => Promise<Register> }[] = [
  { commands: ['install'], load: async () => (await import('./commands/install.js')).registerInstall },
  { commands: ['status', 'verify'], load: async () => (await import('./commands/status.js')).registerStatus },
  { commands: ['hash'], load: async () => (await import('./commands/hash.js')).registerHash },
  {
    commands: ['ls', 'cat', 'diff', 'list-packages'],
    load: async () => (await import('./commands/explore.js')).registerExplore,
  },
  {
    commands: ['init', 'add', 'set', 'set-meta', 'delete', 'build-manifest'],
    load: async () => (await import('./commands/draft.js')).registerDraft,
  },
  {
    commands: ['push-data', 'push-manifest', 'push'],
    load: async () => (await import('./commands/publish.js')).registerPublish,
  },
  { commands: ['fetch'], load: async () => (await import('./commands/fetch.js')).registerFetch },
  { commands: ['rollback'], load: async () => (await import('./commands/rollback.js')).registerRollback },
  {
    commands: ['delete-package'],
    load: async () => (await import('./commands/delete-package.js')).registerDeletePackage,
  },
  {
    commands: ['delete-version'],
    load: async () => (await import('./commands/delete-version.js')).registerDeleteVersion,
  },
];

/** Options that may come before the command word; none of them takes a value. */
const GLOBAL_FLAGS = new Set(['--json', '-q', '--quiet']);

/**
 * The modules `argv` (user arguments, without node and the script) needs: the one defining its command word; none for
 * a bare `--version`; all of them otherwise (help, completion, an unknown command, which commander answers with the
 * list of commands).
 */
function modulesFor(argv: readonly string[]): (typeof COMMAND_MODULES)[number][] {
  const word = argv.find((arg) => !GLOBAL_FLAGS.has(arg));
  if (word === '-V' || word === '--version') return [];
  const owner = COMMAND_MODULES.find((m) => word !== undefined && m.commands.includes(word));
  return owner ? [owner] : [...COMMAND_MODULES];
}

/** The program for `argv` (user arguments; default: this process's), with the command modules it needs loaded. */
export async function createProgram(argv: readonly string[] = process.argv.slice(2)): Promise<Command> {
  const program = new Command('datapkg')
    .description('quilt3-compatible data packages: install, verify, build and push versioned datasets')
    .option('--json', 'machine-readable output')
    .option('-q, --quiet', 'no progress bars')
    .showHelpAfterError()
    .enablePositionalOptions(false);
  const globals = () => program.opts<GlobalOptions>();
  const registers = await Promise.all(modulesFor(argv).map((m) => m.load()));
  for (const register of registers) register(program, globals);
  // Last, once every command exists: --version, global options in every help, `datapkg completion <shell>`.
  return applyCliConventions(program, { packageJson: new URL('../../package.json', import.meta.url) });
}
