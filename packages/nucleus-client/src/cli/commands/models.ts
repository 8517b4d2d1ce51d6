/**
 * `nu models`: list (the default; `id | name | url`) and `calculate-metrics`, which starts the Validate metric jobs
 * of a model (picked from a list when no id is given on a terminal), waits for every one with a spinner and exits 1
 * if any ended in error.
 */
import type { Command } from 'commander';
import { JobError } from '../../lib/errors.js';
import { positiveNumber } from '../arguments.js';
import type { CliContext } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import { waitForJob } from './jobs.js';

/** Ask which model on a terminal (the Python CLI's picker). */
async function pickModel(ctx: CliContext): Promise<string> {
  if (!ctx.io.stdin.isTTY || !ctx.io.stderr.isTTY)
    throw new UsageError(
      'no model id: nu models calculate-metrics <model-id> (no terminal to pick one from)',
    );
  const { models } = await ctx.waiting('Finding your models', () => ctx.client().models.list());
  if (!models.length) throw new CliError('no models to choose from');
  const { default: select } = await import('@inquirer/select');
  return select({
    message: 'Model',
    choices: models.map((m) => ({ name: `${m.id}: ${m.name}`, value: m.id })),
  });
}

export function registerModels(program: Command, ctx: CliContext): void {
  const models = program.command('models').description('models: list (default), calculate-metrics');

  models
    .command('list', { isDefault: true })
    .description('list your models: id | name | url')
    .option('-m, --machine-readable', 'tab-separated rows, no table')
    .action(async (o: { machineReadable?: boolean }) => {
      const { models: list } = await ctx.waiting('Finding your models', () => ctx.client().models.list());
      const rows = list.map((m) => ({ ...m, url: ctx.dashboard(m.id) }));
      ctx.listing(
        rows,
        ['id', 'name', 'url'],
        rows.map((m) => [m.id, m.name, m.url]),
        o.machineReadable,
      );
    });

  models
    .command('calculate-metrics')
    .description("compute a model's metrics on every scenario test (Validate) and wait for the jobs")
    .argument('[model-id]', 'model id (prj_...); on a terminal, picked from a list when left out')
    .option('--no-wait', 'print the started jobs and return')
    .option('--interval <seconds>', 'seconds between polls', positiveNumber, 5)
    .action(async (modelId: string | undefined, o: { wait: boolean; interval: number }) => {
      const id = modelId ?? (await pickModel(ctx));
      const client = ctx.client();
      const started = await ctx.waiting(`Starting the metric jobs of ${id}`, () =>
        client.validate.metrics(id, {}),
      );
      if (!o.wait) {
        ctx.print(started, () => `${started.map((j) => `started job ${j.job_id}`).join('\n')}\n`);
        return;
      }
      const results: Array<{ job_id: string; status: string; error?: string }> = [];
      for (const j of started) {
        try {
          const s = await waitForJob(ctx, client.jobs.job(j.job_id), { interval: o.interval });
          results.push({ job_id: j.job_id, status: String(s.status) });
        } catch (error) {
          if (!(error instanceof JobError)) throw error;
          results.push({ job_id: j.job_id, status: error.status, error: error.message });
        }
      }
      const failed = results.filter((r) => r.error);
      ctx.print(results, () =>
        failed.length
          ? `Encountered errors during running\n${failed.map((r) => `  ${r.error}`).join('\n')}\n`
          : `Done\n${results.map((r) => `  ${r.job_id}: ${r.status}`).join('\n')}\n`,
      );
      if (failed.length) throw new CliError(`${failed.length} of ${results.length} metric jobs failed`);
    });
}
