import { format } from 'node:util';
import type { Command } from 'commander';
import { buildCompletionTree } from './completion-tree.js';

/** The shells whose completion script `<cli> completion <shell>` prints. */
export const completionShells = ['bash', 'zsh', 'fish', 'powershell'] as const;
/** One of the shells completions are printed for. */
export type CompletionShell = (typeof completionShells)[number];

const INSTALL_HELP = (name: string) => `
Load the completions in the current shell:
  bash:       source <(${name} completion bash)
  zsh:        source <(${name} completion zsh)
  fish:       ${name} completion fish | source
  powershell: ${name} completion powershell | Out-String | Invoke-Expression
or save the script where your shell reads completions, e.g.
  ${name} completion bash > ~/.local/share/bash-completion/completions/${name}
  ${name} completion fish > ~/.config/fish/completions/${name}.fish
The script asks \`${name} complete -- <words>\` for the candidates, so \`${name}\` must be on PATH.
Commands, options and the values of options with choices complete; file paths are left to the shell's defaults.`;

/**
 * Add `completion <shell>` (prints the completion script of bash, zsh, fish or powershell, from `@bomb.sh/tab`) and
 * the hidden `complete -- <words>` that the script calls on every TAB. Both load tab only when they run, so the
 * completion support costs a CLI's other commands nothing at start-up. The candidates come from the program itself
 * (commands, options, choices), read when the request comes, so they never drift from the CLI.
 */
export function addCompletionCommands(program: Command): Command {
  const name = program.name();
  const completion = program
    .createCommand('completion')
    .description('print the shell completion script (bash, zsh, fish or powershell)')
    .addArgument(program.createArgument('<shell>', 'the shell').choices(completionShells))
    .addHelpText('after', INSTALL_HELP(name))
    .action(async (shell: CompletionShell) => {
      const { script } = await import('@bomb.sh/tab');
      write(program, () => script(shell, name, name));
    });
  const complete = program
    .createCommand('complete')
    .description('print the completion candidates of a command line (called by the completion script)')
    .usage('-- [words...]')
    .argument('[words...]', 'the words after the program name; the last one is being completed')
    .allowUnknownOption()
    .action(async (words: string[]) => {
      const { RootCommand } = await import('@bomb.sh/tab');
      const tree = buildCompletionTree(program, new RootCommand());
      write(program, () => tree.parse([...words]));
    });
  // As `program.command()` would: the program's output, exit and help settings apply to these two as well.
  completion.copyInheritedSettings(program);
  complete.copyInheritedSettings(program);
  program.addCommand(completion);
  program.addCommand(complete, { hidden: true });
  return program;
}

/**
 * tab prints with `console.log`; route its lines through the program's configured output instead, so that a CLI that
 * redirects its output (a test, an embedding program) gets these lines too.
 */
function write(program: Command, print: () => void): void {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => {
    lines.push(format(...args));
  };
  try {
    print();
  } finally {
    console.log = original;
  }
  const out = program.configureOutput().writeOut ?? ((text: string) => process.stdout.write(text));
  out(lines.map((line) => `${line}\n`).join(''));
}
