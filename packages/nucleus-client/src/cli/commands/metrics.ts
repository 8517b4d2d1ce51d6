/**
 * `nu metrics <metric>`: compute a metric locally, with the same numbers as the Python client's `nucleus.metrics`,
 * over a dataset's ground truth and a model's (or model run's) predictions fetched with the client, or over two
 * payload files. A progress bar counts the items; the result prints as a table or `--json`.
 *
 * An item with nothing left on one side after filtering is where upstream raises `EverythingFilteredError`; over a
 * whole dataset that would end the run at the first item without predictions, so such items are skipped and
 * counted (`--strict` fails on them instead, as upstream does). With `--quirks fixed` they score weight 0 instead.
 */
import { type Command, Option } from 'commander';
import { F1_METHODS } from '../../metrics/f1-score.js';
import type { FilterInput } from '../../metrics/filters.js';
import { unitInterval, wholeNumber } from '../arguments.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import type { MetricChoiceOptions } from '../metric-choice.js';
import { METRIC_NAMES } from '../metric-names.js';

/** The metric's own options (as `metric-choice.ts` takes them) plus where the data comes from. */
export interface MetricsCommandOptions extends Omit<MetricChoiceOptions, 'onWarning' | 'loader'> {
  dataset?: string;
  model?: string;
  modelRun?: string;
  annotations?: string;
  predictions?: string;
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

export function registerMetrics(program: Command, ctx: CliContext): void {
  program
    .command('metrics')
    .description(
      'compute a metric locally (as nucleus.metrics does) over a dataset and a model, or over two payload files',
    )
    .argument('<metric>', `one of: ${METRIC_NAMES.join(', ')} (or a class name, e.g. PolygonIOU)`)
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
    .addOption(new Option('--f1-method <method>', 'cat_f1 averaging (sklearn average)').choices(F1_METHODS))
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
    .addOption(
      new Option(
        '--quirks <mode>',
        "faithful: upstream's numbers (default); fixed: its bugs corrected",
      ).choices(['faithful', 'fixed']),
    )
    .option('--strict', 'fail on an item with nothing left on one side (upstream EverythingFilteredError)')
    .option('--limit <n>', 'only the first n items of the dataset', wholeNumber(1))
    .option('--concurrency <n>', 'items fetched at once', wholeNumber(1, 64), 8)
    .action(async (name: string, o: MetricsCommandOptions) => {
      const { runMetrics } = await import('../metrics-run.js');
      await runMetrics(ctx, name, o);
    });
}
