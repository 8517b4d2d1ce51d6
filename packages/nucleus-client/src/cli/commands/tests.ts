/**
 * `nu tests`: scenario tests (Validate). `list` (the default) prints `id | Name | slice_id | url`; `describe` prints
 * a test's details, its slice (name, size, link) and its criteria (`bbox_iou >= 0.5`), and with `--all` every
 * test's. A part the server refuses becomes an `Error` branch, as in the Python CLI, instead of ending the command.
 */
import type { Command } from 'commander';
import type { NucleusClient } from '../../client.js';
import type { CliContext } from '../context.js';
import { CliError, describeError, UsageError } from '../errors.js';
import { renderTree, type TreeNode } from '../tree.js';

const COMPARISON: Readonly<Record<string, string>> = {
  greater_than: '>',
  greater_than_equal_to: '>=',
  less_than: '<',
  less_than_equal_to: '<=',
};

interface TestSummary {
  id: string;
  name: string;
  slice_id: string;
}

interface TestDescription {
  id: string;
  name: string;
  url: string;
  slice?: { id: string; name: string; dataset_id: string; len: number; url: string };
  criteria?: string[];
  errors: string[];
}

async function describeTest(
  ctx: CliContext,
  client: NucleusClient,
  test: TestSummary,
  evalFunctionNames: () => Promise<Map<string, string>>,
): Promise<TestDescription> {
  const d: TestDescription = { id: test.id, name: test.name, url: ctx.dashboard(test.id), errors: [] };
  try {
    const [info, members] = await Promise.all([
      client.slices.get(test.slice_id),
      client.slices.members(test.slice_id),
    ]);
    const items = (members as { items?: unknown[] }).items ?? [];
    d.slice = {
      id: test.slice_id,
      name: info.name,
      dataset_id: info.dataset_id,
      len: items.length,
      url: ctx.dashboard(`${info.dataset_id}/${test.slice_id}`),
    };
  } catch (error) {
    d.errors.push(`slice ${test.slice_id}: ${describeError(error, ctx.endpoint)}`);
  }
  try {
    const [{ scenario_test_metrics: metrics }, names] = await Promise.all([
      client.scenarioTests.metrics(test.id),
      evalFunctionNames(),
    ]);
    d.criteria = metrics.map((m) => {
      const name = names.get(m.eval_function_id) ?? m.eval_function_id;
      const op = m.threshold_comparison
        ? (COMPARISON[m.threshold_comparison] ?? m.threshold_comparison)
        : '>=';
      return m.threshold === null || m.threshold === undefined
        ? `${name} (no threshold)`
        : `${name} ${op} ${m.threshold}`;
    });
  } catch (error) {
    d.errors.push(`criteria: ${describeError(error, ctx.endpoint)}`);
  }
  return d;
}

function treeOf(d: TestDescription, label: string): TreeNode {
  const children: TreeNode[] = [
    {
      label: 'Details',
      children: [{ label: `id: '${d.id}'` }, { label: `name: '${d.name}'` }, { label: `url: ${d.url}` }],
    },
  ];
  if (d.slice)
    children.push({
      label: 'Slice',
      children: [
        { label: `id: '${d.slice.id}'` },
        { label: `name: '${d.slice.name}'` },
        { label: `len: ${d.slice.len}` },
        { label: `url: ${d.slice.url}` },
      ],
    });
  if (d.criteria)
    children.push({
      label: 'Criteria',
      children: d.criteria.length ? d.criteria.map((c) => ({ label: c })) : [{ label: '(none)' }],
    });
  if (d.errors.length) children.push({ label: 'Error', children: d.errors.map((e) => ({ label: e })) });
  return { label, children };
}

export function registerTests(program: Command, ctx: CliContext): void {
  const tests = program.command('tests').description('scenario tests (Validate): list (default), describe');

  tests
    .command('list', { isDefault: true })
    .description('list your scenario tests: id | Name | slice_id | url')
    .option('-m, --machine-readable', 'tab-separated rows, no table')
    .action(async (o: { machineReadable?: boolean }) => {
      const list = await ctx.waiting('Finding your scenario tests', () => ctx.client().scenarioTests.list());
      const rows = list.map((t) => ({ ...t, url: ctx.dashboard(t.id) }));
      ctx.listing(
        rows,
        ['id', 'Name', 'slice_id', 'url'],
        rows.map((t) => [t.id, t.name, t.slice_id, t.url]),
        o.machineReadable,
      );
    });

  tests
    .command('describe')
    .description("a scenario test's details, slice and criteria (or every test's with --all)")
    .argument('[test-id]', 'scenario test id')
    .option('-a, --all', 'describe every scenario test')
    .action(async (testId: string | undefined, o: { all?: boolean }) => {
      if (!testId && !o.all) throw new UsageError('pass a scenario test id, or --all');
      if (testId && o.all) throw new UsageError('pass a scenario test id or --all, not both');
      const client = ctx.client();
      const descriptions = await ctx.waiting('Fetching scenario test information', async () => {
        const list = await client.scenarioTests.list();
        const chosen = o.all ? list : list.filter((t) => t.id === testId);
        if (!chosen.length) throw new CliError(`no scenario test ${testId}`);
        let names: Promise<Map<string, string>> | undefined;
        const evalFunctionNames = () => {
          names ??= client.evalFunctions
            .list()
            .then(({ eval_functions }) => new Map(eval_functions.map((f) => [f.id, f.name])));
          return names;
        };
        const out: TestDescription[] = [];
        for (const t of chosen) out.push(await describeTest(ctx, client, t, evalFunctionNames));
        return out;
      });
      ctx.print(o.all ? descriptions : descriptions[0], () =>
        o.all
          ? renderTree({
              label: 'All Scenario Tests',
              children: descriptions.map((d, i) => treeOf(d, `${i}: Scenario Test`)),
            })
          : renderTree(treeOf(descriptions[0]!, 'Scenario Test')),
      );
    });
}
