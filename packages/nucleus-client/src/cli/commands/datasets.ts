/**
 * `nu datasets`: list (the default), info, create, delete. As the Python CLI: the table `id | Name | url`,
 * `-m` for tab-separated rows, and the typed `DELETE` confirmation (`--yes` skips it).
 */
import type { Command } from 'commander';
import { ask } from '../confirm.js';
import type { CliContext } from '../context.js';
import { CliError, UsageError } from '../errors.js';

export function registerDatasets(program: Command, ctx: CliContext): void {
  const datasets = program.command('datasets').description('datasets: list (default), info, create, delete');

  datasets
    .command('list', { isDefault: true })
    .description('list the datasets the key can see: id | Name | url')
    .option('-m, --machine-readable', 'tab-separated rows, no table')
    .action(async (o: { machineReadable?: boolean }) => {
      const list = await ctx.waiting('Finding your datasets', () => ctx.client().datasets.list());
      const rows = list.map((d) => ({ ...d, url: ctx.dashboard(d.id) }));
      ctx.listing(
        rows,
        ['id', 'Name', 'url'],
        rows.map((d) => [d.id, d.name, d.url]),
        o.machineReadable,
      );
    });

  datasets
    .command('info')
    .description('a dataset: name, item count, slices, model runs, tags')
    .argument('<dataset-id>', 'dataset id (ds_...)')
    .action(async (id: string) => {
      const info = await ctx.waiting(`Reading ${id}`, () => ctx.client().datasets.get(id));
      ctx.print({ ...info, url: ctx.dashboard(info.dataset_id) }, () =>
        [
          `id:         ${info.dataset_id}`,
          `name:       ${info.name}`,
          `items:      ${info.length}`,
          `slices:     ${info.slice_ids.length ? info.slice_ids.join(', ') : '-'}`,
          `model runs: ${info.model_run_ids.length ? info.model_run_ids.join(', ') : '-'}`,
          `tags:       ${info.tags?.length ? info.tags.join(', ') : '-'}`,
          `url:        ${ctx.dashboard(info.dataset_id)}`,
          '',
        ].join('\n'),
      );
    });

  datasets
    .command('create')
    .description('create a dataset and print its id')
    .argument('<name>', 'dataset name')
    .option('--scene', 'a scene dataset (LiDAR or video)')
    .option('--privacy-mode', 'privacy mode: items are not copied to Scale')
    .action(async (name: string, o: { scene?: boolean; privacyMode?: boolean }) => {
      if (!name.trim()) throw new UsageError('<name>: expected a non-empty name');
      const created = await ctx.waiting(`Creating ${name}`, () =>
        ctx.client().datasets.create({
          name,
          is_scene: o.scene === true,
          use_privacy_mode: o.privacyMode === true,
        }),
      );
      ctx.print(created, () => `${created.dataset_id}\n`);
    });

  datasets
    .command('delete')
    .description("delete a dataset, after typing 'DELETE' to confirm (or --yes)")
    .argument('[dataset-id]', 'dataset id (ds_...)')
    .option('--id <dataset-id>', 'dataset id, as the Python CLI takes it')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--no-confirm-deletion', 'same as --yes (the Python CLI spelling)')
    .action(
      async (positional: string | undefined, o: { id?: string; yes?: boolean; confirmDeletion: boolean }) => {
        let id = positional ?? o.id;
        if (positional && o.id && positional !== o.id)
          throw new UsageError(`two dataset ids given: ${positional} and --id ${o.id}`);
        if (!id) {
          if (!ctx.io.stdin.isTTY) throw new UsageError('no dataset id: nu datasets delete <dataset-id>');
          id = await ask(ctx.io, 'Dataset id: ');
          if (!id) throw new UsageError('no dataset id given');
        }
        const skip = o.yes === true || o.confirmDeletion === false;
        if (!skip) {
          const typed = await ask(ctx.io, `Type 'DELETE' to delete dataset: ${id}\n> `);
          if (typed !== 'DELETE')
            throw new CliError(`Refusing to delete ${id}. Received '${typed}' instead of 'DELETE'`);
        }
        const client = ctx.client();
        await ctx.waiting(`Deleting ${id}`, () => client.datasets.delete(id));
        ctx.print({ deleted: id }, () => `Deleted ${id}\n`);
      },
    );
}
