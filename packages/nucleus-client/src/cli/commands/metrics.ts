/**
 * `nu metrics <metric>`: compute a metric locally, with the same numbers as the Python client's `nucleus.metrics`,
 * over a dataset's ground truth and a model's (or model run's) predictions fetched with the client, or over two
 * payload files. A progress bar counts the items; the result prints as a table or `--json`.
 *
 * An item with nothing left on one side after filtering is where upstream raises `EverythingFilteredError`; over a
 * whole dataset that would end the run at the first item without predictions, so such items are skipped and
 * counted (`--strict` fails on them instead, as upstream does). With `--quirks fixed` they score weight 0 instead.
 */
import type { Command } from 'commander';
import { CategorizationF1, CategorizationResult } from '../../metrics/categorization-metrics.js';
import { EverythingFilteredError } from '../../metrics/errors.js';
import { evaluate, type ItemPair } from '../../metrics/evaluate.js';
import { F1_METHODS, type F1Method } from '../../metrics/f1-score.js';
import type { FilterInput } from '../../metrics/filters.js';
import type { Metric } from '../../metrics/metric.js';
import type { QuirksMode } from '../../metrics/quirks.js';
import { oneOf, unitInterval, wholeNumber } from '../arguments.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { filePairs, remotePairs } from '../item-pairs.js';
import { chooseMetric, METRICS } from '../metric-choice.js';

interface MetricsCommandOptions {
  dataset?: string;
  model?: string;
  modelRun?: string;
  annotations?: string;
  predictions?: string;
  iouThreshold?: number;
  confidenceThreshold?: number;
  enforceLabelMatch?: boolean;
  label?: string;
  f1Method?: F1Method;
  quirks?: QuirksMode;
  annotationFilters?: FilterInput;
  predictionFilters?: FilterInput;
  strict?: boolean;
  limit?: number;
  concurrency: number;
}

function filtersArgument(flag: string) {
  return (value: string): FilterInput => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      throw new UsageError(`${flag}: not JSON (${(error as Error).message})`);
    }
    if (!Array.isArray(parsed))
      throw new UsageError(
        `${flag}: expected a JSON list of filters, e.g. [["label", "==", "car", false, "field"]]`,
      );
    return parsed as FilterInput;
  };
}

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

export function registerMetrics(program: Command, ctx: CliContext): void {
  program
    .command('metrics')
    .description(
      'compute a metric locally (as nucleus.metrics does) over a dataset and a model, or over two payload files',
    )
    .argument('<metric>', `one of: ${Object.keys(METRICS).join(', ')} (or a class name, e.g. PolygonIOU)`)
    .option('--dataset <dataset-id>', 'ground truth of this dataset (with --model or --model-run)')
    .option('--model <model-id>', "the model's predictions on the dataset")
    .option('--model-run <model-run-id>', "the model run's predictions")
    .option('--annotations <file>', 'ground truth payloads: JSON array or NDJSON, each with reference_id')
    .option('--predictions <file>', 'prediction payloads, same format')
    .option('--iou-threshold <x>', 'IoU at or above which a pair matches (0..1)', unitInterval)
    .option('--confidence-threshold <x>', 'drop predictions below this confidence (0..1)', unitInterval)
    .option('--enforce-label-match', 'match only same-label pairs')
    .option('--no-enforce-label-match', 'match across labels')
    .option('--label <label>', 'the label (poly_ap / bbox_ap)')
    .option('--f1-method <method>', `cat_f1 averaging: ${F1_METHODS.join(', ')}`, oneOf(F1_METHODS))
    .option(
      '--annotation-filters <json>',
      'filters on the ground truth (wire form)',
      filtersArgument('--annotation-filters'),
    )
    .option(
      '--prediction-filters <json>',
      'filters on the predictions (wire form)',
      filtersArgument('--prediction-filters'),
    )
    .option(
      '--quirks <mode>',
      "faithful (upstream's numbers, default) or fixed (its bugs corrected)",
      oneOf(['faithful', 'fixed'] as const),
    )
    .option('--strict', 'fail on an item with nothing left on one side (upstream EverythingFilteredError)')
    .option('--limit <n>', 'only the first n items of the dataset', wholeNumber(1))
    .option('--concurrency <n>', 'items fetched at once', wholeNumber(1, 64), 8)
    .action(async (name: string, o: MetricsCommandOptions) => {
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

      const bar = ctx.progress(metricName);
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
    });
}
