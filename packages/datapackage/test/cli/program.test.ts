import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMAND_MODULES, createProgram } from '../../src/cli/program.js';

/** The commands besides the ones applyCliConventions adds (`completion`, and the hidden `complete` it calls). */
const names = (program: Command) =>
  program.commands.map((c) => c.name()).filter((name) => name !== 'completion' && name !== 'complete');

describe('datapkg program: command modules load lazily', () => {
  it('lists, for every command module, exactly the commands it defines', async () => {
    for (const module of COMMAND_MODULES) {
      const program = new Command('datapkg');
      (await module.load())(program, () => ({}));
      expect(names(program)).toEqual(module.commands);
    }
  });

  it('a command word loads only its own module; help and unknown words load every command', async () => {
    expect(names(await createProgram(['--json', 'hash', 'some/dir']))).toEqual(['hash']);
    expect(names(await createProgram(['push', 'me/pkg', '--dir', 'x']))).toEqual([
      'push-data',
      'push-manifest',
      'push',
    ]);
    const every = COMMAND_MODULES.flatMap((m) => m.commands);
    expect(names(await createProgram(['--help']))).toEqual(every);
    expect(names(await createProgram(['no-such-command']))).toEqual(every);
    expect(names(await createProgram([]))).toEqual(every);
    expect(names(await createProgram(['--version']))).toEqual([]);
  });
});
