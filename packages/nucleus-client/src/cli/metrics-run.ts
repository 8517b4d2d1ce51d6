/**
 * What `nu metrics` does once its options are parsed (loaded on demand: the metric code stays out of every other
 * command's start-up). See commands/metrics.ts for the behaviour.
 */
import { CategorizationF1, CategorizationResult } from '../metrics/categorization-metrics.js';
import { EverythingFilteredError } from '../metrics/errors.js';
import { evaluate, type ItemPair } from '../metrics/evaluate.js';
import type { Metric } from '../metrics/metric.js';
import type { MetricsCommandOptions } from './commands/metrics.js';
import type { CliContext } from './context.js';
import { UsageError } from './errors.js';
import { filePairs, remotePairs } from './item-pairs.js';
import { pngMaskLoader } from './mask-loader.js';
import { chooseMetric } from './metric-choice.js';

/** The metric wrapped so that an item with an empty side is skipped and counted instead of ending the run. */
function skippingEmpty<R, C>(metric: Metric<R, C>, skipped: { count: number }): Metric<R, C> {
  const wrapped = Object.create(metric) as Metric<R, C>;
  const empty = () =>
    (metric instanceof CategorizationF1
      ? new CategorizationResult([], [], metric.f1Method)
      : { value: 0, weight: 0 }) as unknown as C;
  wrapped.call = (annotations, predictions) => {
    try {
      const result = metric.call(annotations, predictions);
      if (result instanceof Promise)
        return result.catch((error: unknown) => {
          if (!(error instanceof EverythingFilteredError)) throw error;
          skipped.count++;
          return empty();
        }) as C;
      return result;
    } catch (error) {
      if (!(error instanceof EverythingFilteredError)) throw error;
      skipped.count++;
      return empty();
    }
  };
  return wrapped;
}

export async function runMetrics(ctx: CliContext, name: string, o: MetricsCommandOptions): Promise<void> {
  const fromFiles = o.annotations !== undefined || o.predictions !== undefined;
  const fromNucleus = o.dataset !== undefined || o.model !== undefined || o.modelRun !== undefined;
  if (fromFiles === fromNucleus)
    throw new UsageError(
      'say where the items come from: --dataset with --model (or --model-run), or --annotations with --predictions',
    );
  if (fromFiles && (!o.annotations || !o.predictions))
    throw new UsageError('--annotations and --predictions go together');
  if (fromNucleus && !o.dataset) throw new UsageError('--dataset: required with --model/--model-run');
  if (fromNucleus && (o.model === undefined) === (o.modelRun === undefined))
    throw new UsageError('pass one of --model and --model-run');

  const {
    name: metricName,
    className,
    metric,
  } = chooseMetric(name, {
    ...o,
    onWarning: (message) => ctx.note(`warning: ${message}`),
    loader: pngMaskLoader,
  });
  const skipped = { count: 0 };
  const used = o.strict ? metric : skippingEmpty(metric, skipped);

  let pairs: AsyncIterable<ItemPair> | Iterable<ItemPair>;
  let total: number;
  if (fromFiles) {
    const read = await filePairs(o.annotations!, o.predictions!);
    pairs = read.pairs;
    total = read.total;
  } else {
    const client = ctx.client();
    const size = await ctx.waiting(`Counting the items of ${o.dataset}`, () =>
      client.datasets.size(o.dataset!),
    );
    total = o.limit !== undefined ? Math.min(o.limit, size.count) : size.count;
    pairs = remotePairs(client, {
      datasetId: o.dataset!,
      ...(o.model ? { modelId: o.model } : {}),
      ...(o.modelRun ? { modelRunId: o.modelRun } : {}),
      concurrency: o.concurrency,
      ...(o.limit !== undefined ? { limit: o.limit } : {}),
    });
  }

  const bar = await ctx.progress(metricName);
  let result: Awaited<ReturnType<typeof evaluate>>;
  try {
    bar.update(0, total);
    result = await evaluate(used, pairs, {
      onItem: (_r, i) => bar.update(i + 1, Math.max(total, i + 1)),
    });
  } finally {
    bar.stop();
  }
  const report = {
    metric: metricName,
    class: className,
    value: result.value,
    weight: result.weight,
    items: result.items,
    skipped: skipped.count,
    quirks: metric.quirks,
  };
  ctx.listing(
    report,
    ['metric', 'value', 'weight', 'items', 'skipped', 'quirks'],
    [
      [
        `${metricName} (${className})`,
        Number.isNaN(result.value) ? 'NaN' : result.value.toFixed(6),
        result.weight,
        result.items,
        skipped.count,
        metric.quirks,
      ],
    ],
  );
}
