/**
 * `nu`, the Nucleus CLI (commander). The program is built per run with its IO so that tests run it in process;
 * `runCli` parses, runs and turns any failure into one line on stderr and an exit code (see errors.ts).
 */
import { applyCliConventions } from '@mlclients/package-core/cli';
import { Command, CommanderError, Option } from 'commander';
import { positiveNumber, wholeNumber } from './arguments.js';
import { registerDatasets } from './commands/datasets.js';
import { type InstallableShell, registerInstallCompletion } from './commands/install-completion.js';
import { registerItems } from './commands/items.js';
import { registerJobs } from './commands/jobs.js';
import { registerMetrics } from './commands/metrics.js';
import { registerModels } from './commands/models.js';
import { registerReference } from './commands/reference.js';
import { registerSlices } from './commands/slices.js';
import { registerTests } from './commands/tests.js';
import { CliContext } from './context.js';
import { describeError, EXIT_OK, EXIT_USAGE, exitCodeOf } from './errors.js';
import { type CliIo, processIo } from './io.js';

const ENVIRONMENT_HELP = `
Environment:
  NUCLEUS_API_KEY             API key (or NUCLEUS_LIMITED_ACCESS_KEY; not both)
  NUCLEUS_ENDPOINT            API base URL (default https://api.scale.com/v1/nucleus)
  NUCLEUS_DASHBOARD           dashboard base for the url columns (default https://dashboard.scale.com/nucleus/)
  NUCLEUS_DASH_PARAMS         query string appended to dashboard links

Exit codes: 0 done; 1 failed (server error, unreachable server, job error, missing key, refused deletion);
2 bad usage or bad input (nothing was sent).`;

/** The program with every command; `ctx` is what the commands share. */
export function createProgram(io: CliIo): { program: Command; ctx: CliContext } {
  const program = new Command('nu');
  const ctx = new CliContext(io, program);
  program
    .description('Nucleus CLI (nu): datasets, items, jobs, models, slices, scenario tests and local metrics')
    .addOption(new Option('--api-key <key>', 'API key (env NUCLEUS_API_KEY; prefer the environment)'))
    .addOption(
      new Option('--limited-access-key <key>', 'limited-access key (env NUCLEUS_LIMITED_ACCESS_KEY)'),
    )
    .addOption(new Option('--endpoint <url>', 'API base URL (env NUCLEUS_ENDPOINT)'))
    .addOption(new Option('--base-url <url>', 'same as --endpoint').hideHelp().argParser((v) => v))
    .option('--json', 'print JSON instead of tables and sentences')
    .option('-q, --quiet', 'no spinners, progress bars or notes')
    .option('--timeout <seconds>', 'seconds per request attempt (default 120)', positiveNumber)
    .option('--max-retries <n>', 'retries of a failed request (default 3)', wholeNumber(0, 10))
    .option('--debug', 'print stack traces of errors')
    .addHelpText('after', ENVIRONMENT_HELP)
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .configureOutput({
      writeOut: (t) => ctx.out(t),
      writeErr: (t) => ctx.err(t),
      outputError: (t, write) => write(t.replace(/^error: /, 'nu: ')),
    })
    .exitOverride();
  // --base-url is an alias of --endpoint.
  program.on('option:base-url', (value: string) => program.setOptionValue('endpoint', value));

  registerDatasets(program, ctx);
  registerItems(program, ctx);
  registerJobs(program, ctx);
  registerModels(program, ctx);
  registerSlices(program, ctx);
  registerTests(program, ctx);
  registerMetrics(program, ctx);
  registerReference(program, ctx);
  registerInstallCompletion(program, ctx, (shell) => completionScript(io, shell));
  // --version from package.json, global options in every help, `completion <shell>` and its hidden `complete`.
  applyCliConventions(program, { packageJson: new URL('../../package.json', import.meta.url) });
  return { program, ctx };
}

/** What `nu completion <shell>` prints, for install-completion to write. */
async function completionScript(io: CliIo, shell: InstallableShell): Promise<string> {
  const chunks: string[] = [];
  const capture = { write: (text: string) => chunks.push(text) };
  const { program } = createProgram({ ...io, stdout: capture, stderr: capture });
  await program.parseAsync(['completion', shell], { from: 'user' });
  return chunks.join('');
}

/** Run `nu` with `args` (without node and the script); resolves to the exit code. */
export async function runCli(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  const { program, ctx } = createProgram(io);
  if (args.length === 0) {
    program.outputHelp();
    return EXIT_OK;
  }
  try {
    await program.parseAsync([...args], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version end by "exiting" 0; anything else commander refuses is a usage error, already printed.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    ctx.err(`nu: ${describeError(error, safeEndpoint(ctx))}\n`);
    if (ctx.globals.debug && error instanceof Error && error.stack) ctx.err(`${error.stack}\n`);
    return exitCodeOf(error);
  }
}

function safeEndpoint(ctx: CliContext): string | undefined {
  try {
    return ctx.endpoint;
  } catch {
    return undefined;
  }
}
