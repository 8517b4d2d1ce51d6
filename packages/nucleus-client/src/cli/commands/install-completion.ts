/**
 * `nu install-completion`: install the shell completion of `nu` as the Python CLI does (fact sheet §8): the script
 * (the output of `nu completion <shell>`) written to `~/.config/nu-cli-completions.{bash,zsh}` and sourced from the
 * rc file, which is first backed up to `<rc>.bak`; for fish, written to `~/.config/fish/completions/nu.fish`, which
 * fish loads by itself. Running it again rewrites the script and leaves the rc file alone. `--print` shows the
 * script instead of writing anything.
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { type Command, Option } from 'commander';
import type { CliContext } from '../context.js';
import { CliError } from '../errors.js';

export const INSTALLABLE_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type InstallableShell = (typeof INSTALLABLE_SHELLS)[number];

export interface CompletionTarget {
  /** Where the script goes. */
  script: string;
  /** The rc file that sources it (none for fish, which autoloads its completions folder). */
  rc?: string;
}

export function completionTarget(shell: InstallableShell, home: string): CompletionTarget {
  if (shell === 'fish') return { script: join(home, '.config/fish/completions/nu.fish') };
  return {
    script: join(home, `.config/nu-cli-completions.${shell}`),
    rc: join(home, shell === 'zsh' ? '.zshrc' : '.bashrc'),
  };
}

function detectShell(env: Readonly<Record<string, string | undefined>>): InstallableShell {
  const name = basename(env.SHELL ?? '');
  if ((INSTALLABLE_SHELLS as readonly string[]).includes(name)) return name as InstallableShell;
  throw new CliError(
    `cannot tell your shell (SHELL=${env.SHELL ?? ''}): pass --shell ${INSTALLABLE_SHELLS.join('|')}`,
  );
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export function registerInstallCompletion(
  program: Command,
  ctx: CliContext,
  completionScript: (shell: InstallableShell) => Promise<string>,
): void {
  program
    .command('install-completion')
    .description('install shell completion for nu (bash, zsh or fish), or --print the script')
    .addOption(new Option('--shell <shell>', 'the shell (default: from $SHELL)').choices(INSTALLABLE_SHELLS))
    .option('--print', 'print the script instead of installing it')
    .action(async (o: { shell?: InstallableShell; print?: boolean }) => {
      const shell = o.shell ?? detectShell(ctx.io.env);
      const script = await completionScript(shell);
      if (o.print) {
        ctx.out(script);
        return;
      }
      const target = completionTarget(shell, ctx.io.homeDir ?? homedir());
      await mkdir(dirname(target.script), { recursive: true });
      await writeFile(target.script, script);
      const done: Record<string, unknown> = { shell, script: target.script };
      if (target.rc) {
        const line = `. ${target.script}`;
        const rc = await readIfExists(target.rc);
        if (rc?.split('\n').some((l) => l.trim() === line)) {
          done.rc = target.rc;
          done.rcChanged = false;
        } else {
          if (rc !== undefined) {
            await copyFile(target.rc, `${target.rc}.bak`);
            done.backup = `${target.rc}.bak`;
          }
          const separator = rc === undefined || rc.endsWith('\n') || rc === '' ? '' : '\n';
          await writeFile(target.rc, `${rc ?? ''}${separator}\n# Shell completion for nu\n${line}\n`);
          done.rc = target.rc;
          done.rcChanged = true;
        }
      }
      ctx.print(done, () => {
        const lines = [`Completion script written to ${target.script}`];
        if (done.backup) lines.push(`Backed up ${target.rc} to ${done.backup}`);
        if (done.rcChanged) lines.push(`Added '. ${target.script}' to ${target.rc}`);
        if (target.rc) lines.push(`Open a new shell or run: source ${target.rc}`);
        else lines.push('fish loads it in every new shell');
        return `${lines.join('\n')}\n`;
      });
    });
}
