/** `nu slices [list]`: every slice of the key, `id | name | dataset_name | url` (the url is `{dataset}/{slice}`). */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';

export function registerSlices(program: Command, ctx: CliContext): void {
  const slices = program.command('slices').description('slices: list (default)');

  slices
    .command('list', { isDefault: true })
    .description('list your slices: id | name | dataset_name | url')
    .option('-m, --machine-readable', 'tab-separated rows, no table')
    .action(async (o: { machineReadable?: boolean }) => {
      const client = ctx.client();
      const [datasets, list] = await ctx.waiting('Finding your slices', () =>
        Promise.all([client.datasets.list(), client.slices.list()]),
      );
      const names = new Map(datasets.map((d) => [d.id, d.name]));
      const rows = list.map((s) => ({
        ...s,
        dataset_name: names.get(s.dataset_id) ?? null,
        url: ctx.dashboard(`${s.dataset_id}/${s.id}`),
      }));
      ctx.listing(
        rows,
        ['id', 'name', 'dataset_name', 'url'],
        rows.map((s) => [s.id, s.name, s.dataset_name ?? '', s.url]),
        o.machineReadable,
      );
    });
}
