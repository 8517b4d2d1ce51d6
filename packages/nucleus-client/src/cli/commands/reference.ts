/** `nu reference`: where the Nucleus documentation is (the Python CLI opens it in a browser; this prints it). */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { DOCS_URL } from '../dashboard.js';

export function registerReference(program: Command, ctx: CliContext): void {
  program
    .command('reference')
    .description('print the address of the Nucleus documentation')
    .action(() => {
      ctx.print({ url: DOCS_URL }, () => `${DOCS_URL}\n`);
    });
}
