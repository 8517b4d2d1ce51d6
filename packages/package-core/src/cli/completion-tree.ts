import type { RootCommand, Command as TabCommand } from '@bomb.sh/tab';
import type { Command, Help, Option } from 'commander';

/**
 * Describe a commander program to `@bomb.sh/tab`'s completion engine: every visible command path (`projects list`),
 * its options, the options of its ancestors (global options complete after a subcommand too, as commander accepts
 * them there) and the choices of options and arguments.
 *
 * tab ships a commander adapter, but it registers into one module-wide tree and does not repeat the global options
 * under subcommands; building a fresh tree per request keeps two programs in one process apart.
 */
export function buildCompletionTree(program: Command, root: RootCommand): RootCommand {
  const help = program.createHelp();
  const visit = (command: Command, node: TabCommand, path: string, inherited: readonly Option[]): void => {
    const own = help.visibleOptions(command);
    for (const option of [...own, ...inherited]) addOption(node, option);
    for (const argument of command.registeredArguments) {
      node.argument(argument.name(), offer(argument.argChoices), argument.variadic);
    }
    const forChildren = [...inherited, ...globalOptionsOf(command, help)];
    for (const sub of help.visibleCommands(command)) {
      const subPath = path ? `${path} ${sub.name()}` : sub.name();
      visit(sub, root.command(subPath, sub.description()), subPath, forChildren);
    }
  };
  visit(program, root, '', []);
  return root;
}

/** The options a command passes down to its subcommands: its own visible ones except help. */
function globalOptionsOf(command: Command, help: Help): Option[] {
  return help.visibleOptions(command).filter((option) => option.long !== '--help');
}

function addOption(node: TabCommand, option: Option): void {
  const name = option.long?.replace(/^--/, '');
  if (!name || node.options.has(name)) return;
  const short = option.short?.replace(/^-/, '');
  const takesValue = option.required || option.optional;
  // tab treats an option without a handler as a flag; one that takes a value needs a handler, even one that offers
  // nothing, or the value would be completed as a command.
  if (takesValue) node.option(name, option.description, offer(option.argChoices) ?? (() => {}), short);
  else node.option(name, option.description, short);
}

/** A tab handler offering these choices, or none when there are no choices. */
function offer(choices: readonly string[] | undefined) {
  if (!choices?.length) return undefined;
  return (complete: (value: string, description: string) => void) => {
    for (const choice of choices) complete(choice, '');
  };
}
