/**
 * `nu items`: list a dataset's items (page by page), show one with its ground truth, and append items from a JSON
 * or NDJSON file with a progress bar. Items are checked before anything is sent; a bad one is named by its line.
 */
import { MissingParamError } from '@mlclients/package-core';
import type { Command } from 'commander';
import { checkItems, type DatasetItemInput } from '../../lib/items.js';
import { wholeNumber } from '../arguments.js';
import type { CliContext } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import { issueAt, problemList, type RecordsFile, readRecords, requireObjects } from '../input-files.js';
import { renderMachineReadable } from '../output.js';
import { waitForJob } from './jobs.js';

/** The Python `DatasetItem` names, with the wire names accepted too (`image_url`, `pointcloud_url`). */
function toItemInput(record: Record<string, unknown>): DatasetItemInput {
  const { image_url, pointcloud_url, ...rest } = record;
  const item = { ...rest } as Record<string, unknown>;
  if (item.image_location === undefined && image_url !== undefined) item.image_location = image_url;
  if (item.pointcloud_location === undefined && pointcloud_url !== undefined)
    item.pointcloud_location = pointcloud_url;
  return item as unknown as DatasetItemInput;
}

/** Read and check the items of a file; every problem names its line. */
async function readItems(
  path: string,
  remoteOnly: boolean,
): Promise<{ file: RecordsFile; items: DatasetItemInput[] }> {
  const file: RecordsFile = await readRecords(path);
  const items = requireObjects(file).map(toItemInput);
  if (items.length === 0) throw new UsageError(`${path}: no items`);
  try {
    await checkItems(items, { remoteOnly });
  } catch (error) {
    if (error instanceof MissingParamError)
      throw new UsageError(problemList(error.issues.map((i) => issueAt(file, i.path, i.message))));
    throw error;
  }
  return { file, items };
}

/** Two spaces before every line (an element of a pretty-printed array). */
function indent(text: string): string {
  return text.replace(/^/gm, '  ');
}

export function registerItems(program: Command, ctx: CliContext): void {
  const items = program.command('items').description("a dataset's items: list, get, append");

  items
    .command('list')
    .description("list a dataset's items: reference_id | id | location | metadata")
    .argument('<dataset-id>', 'dataset id (ds_...)')
    .option('--limit <n>', 'at most n items', wholeNumber(1))
    .option('--page-size <n>', 'items per request', wholeNumber(1, 10_000), 100)
    .option('-m, --machine-readable', 'tab-separated rows, no table')
    .action(async (datasetId: string, o: { limit?: number; pageSize: number; machineReadable?: boolean }) => {
      const client = ctx.client();
      const row = (i: Record<string, unknown>) => [
        i.reference_id as string,
        i.id as string,
        (i.original_image_url ?? i.image_url ?? i.pointcloud_url ?? '') as string,
        i.metadata && Object.keys(i.metadata).length ? JSON.stringify(i.metadata) : '',
      ];
      // -m and --json print each page as it arrives (a dataset of any size in bounded memory); a table needs
      // every row first to size its columns.
      const streaming = o.machineReadable || ctx.json;
      const found: Record<string, unknown>[] = [];
      let count = 0;
      const spinner = ctx.spinner(`Reading the items of ${datasetId}`);
      try {
        for await (const raw of client.datasetItems.iterate(datasetId, { pageSize: o.pageSize })) {
          const item = raw as Record<string, unknown>;
          if (ctx.json) ctx.out(`${count === 0 ? '[\n' : ',\n'}${indent(JSON.stringify(item, null, 2))}`);
          else if (o.machineReadable) ctx.out(renderMachineReadable([row(item)]));
          else found.push(item);
          count++;
          spinner.text(`Reading the items of ${datasetId}: ${count}`);
          if (o.limit !== undefined && count >= o.limit) break;
        }
      } finally {
        spinner.stop();
        if (ctx.json) ctx.out(count === 0 ? '[]\n' : '\n]\n');
      }
      if (!streaming) ctx.listing(found, ['reference_id', 'id', 'location', 'metadata'], found.map(row));
    });

  items
    .command('get')
    .description('one item by reference id, with its ground truth counted by type')
    .argument('<dataset-id>', 'dataset id (ds_...)')
    .argument('<reference-id>', "the item's reference id")
    .action(async (datasetId: string, referenceId: string) => {
      const client = ctx.client();
      const found = await ctx.waiting(`Reading ${referenceId}`, () =>
        client.datasetItems.getByReferenceId(referenceId, { dataset_id: datasetId }),
      );
      const { item, annotations } = found as {
        item: Record<string, unknown>;
        annotations?: Record<string, unknown>;
      };
      ctx.print(found, () => {
        const counts = Object.entries(annotations ?? {})
          .map(([type, list]) => [type, Array.isArray(list) ? list.length : list ? 1 : 0] as const)
          .filter(([, n]) => n > 0)
          .map(([type, n]) => `${type} ${n}`);
        return [
          `reference_id: ${String(item.reference_id)}`,
          `id:           ${String(item.id ?? '')}`,
          `location:     ${String(item.original_image_url ?? item.image_url ?? item.pointcloud_url ?? '')}`,
          `metadata:     ${JSON.stringify(item.metadata ?? {})}`,
          `annotations:  ${counts.length ? counts.join(', ') : 'none'}`,
          '',
        ].join('\n');
      });
    });

  items
    .command('append')
    .description(
      'append items from a JSON array or NDJSON file (reference_id, image_location or image_url, metadata...)',
    )
    .argument('<dataset-id>', 'dataset id (ds_...)')
    .argument('<file>', 'items: a JSON array, or one JSON object per line')
    .option('--update', 'overwrite items whose reference_id exists (else they are ignored)')
    .option('--batch-size <n>', 'remote items per request (the server refuses 30)', wholeNumber(1, 29), 20)
    .option('--concurrency <n>', 'requests at once', wholeNumber(1, 64), 8)
    .option('--async', 'upload by the async path (remote URLs only) and start a job')
    .option('--wait', 'with --async: wait for the job to finish')
    .action(
      async (
        datasetId: string,
        path: string,
        o: { update?: boolean; batchSize: number; concurrency: number; async?: boolean; wait?: boolean },
      ) => {
        if (o.wait && !o.async) throw new UsageError('--wait goes with --async');
        const { file, items: list } = await readItems(path, o.async === true);
        const client = ctx.client();
        if (o.async) {
          const job = await ctx.waiting(`Uploading ${list.length} items`, () =>
            client.datasets.appendAsync(datasetId, list, { update: o.update === true }),
          );
          if (!o.wait) {
            ctx.print(job.toJSON(), () => `started job ${job.id} (nu jobs wait ${job.id})\n`);
            return;
          }
          const status = await waitForJob(ctx, job);
          ctx.print(status, () => `job ${job.id}: ${String(status.status)}\n`);
          return;
        }
        const bar = await ctx.progress('Appending');
        let result: Awaited<ReturnType<typeof client.datasets.append>>;
        try {
          result = await client.datasets.append(datasetId, list, {
            update: o.update === true,
            batchSize: o.batchSize,
            concurrency: o.concurrency,
            onProgress: (p) => bar.update(p.done, p.total),
          });
        } finally {
          bar.stop();
        }
        ctx.print(result, () => {
          const failed = result.errors.length ? `, ${result.errors.length} failed` : '';
          return `${result.new_items} new, ${result.updated_items} updated, ${result.ignored_items} ignored${failed} (dataset ${result.dataset_id})\n`;
        });
        if (result.errors.length) {
          if (!ctx.json)
            for (const f of result.errors.slice(0, 10))
              ctx.err(
                `  ${f.index >= 0 ? file.where(f.index) : 'an item'} (${f.reference_id ?? '?'}): ${f.error instanceof Error ? f.error.message : JSON.stringify(f.error)}\n`,
              );
          throw new CliError(`${result.errors.length} of ${list.length} items were not appended`);
        }
      },
    );
}
