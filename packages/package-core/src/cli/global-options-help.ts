import type { Command } from 'commander';

/**
 * Show the options of every ancestor under "Global Options:" in the `--help` of every subcommand, so that
 * `datapkg install --help` tells about `--json` and `-q` too. Commander copies help settings to a subcommand only when
 * the subcommand is created, so this walks the finished tree: call it after every command is registered.
 */
export function showGlobalOptionsInEveryHelp(program: Command): Command {
  const visit = (command: Command): void => {
    command.configureHelp({ ...command.configureHelp(), showGlobalOptions: true });
    for (const sub of command.commands) visit(sub);
  };
  visit(program);
  return program;
}
