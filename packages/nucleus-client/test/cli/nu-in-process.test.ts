/**
 * `nu` in process (cheaper than a child per case): scenario tests and model metrics over the fake plus a Validate
 * stand-in, every subcommand's help, tables fitted to the terminal, progress only on a terminal, local metrics
 * edge cases, install-completion's files.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { encode } from 'fast-png';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createProgram } from '../../src/cli/program.js';
import { NucleusClient } from '../../src/index.js';
import { SegmentationIOU, SegmentationMAP } from '../../src/metrics/index.js';
import { createNucleusFake } from '../../src/mocks/index.js';
import { type MemoryIoOptions, runInProcess } from './helpers/memory-io.js';
import { type ValidateData, withValidate } from './helpers/validate-stand-in.js';

const KEY = 'in-process-key-3c9e1f';
const ENDPOINT = 'http://nucleus.test/v1/nucleus';
const fake = createNucleusFake({
  apiKeys: [KEY],
  conformance: 'error',
  seed: {
    datasets: [
      {
        id: 'ds_cars0001',
        name: 'cars',
        items: ['a', 'b', 'c'].map((r) => ({ reference_id: r, image_url: `s3://bucket/${r}.jpg` })),
      },
    ],
    models: [{ id: 'prj_det0001', name: 'detector', ref_id: 'det' }],
  },
});
const data: ValidateData = {
  tests: [],
  metrics: {},
  evalFunctions: [
    { id: 'ef_iou', name: 'bbox_iou' },
    { id: 'ef_rec', name: 'bbox_recall' },
  ],
  metricJobs: [],
};
const fetch = withValidate(data, (request) => fake.handle(request));
const client = new NucleusClient({ apiKey: KEY, endpoint: ENDPOINT, fetch, maxRetries: 0 });
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'nu-in-process-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));
beforeEach(() => {
  fake.reset();
  Object.assign(data, { tests: [], metrics: {}, metricJobs: [] });
});

const operationsOf = (id: string) => fake.journal.filter((e) => e.operationId === id).length;

const nu = (args: readonly string[], o: Partial<MemoryIoOptions> = {}) =>
  runInProcess(args, {
    fetch,
    ...o,
    env: { NUCLEUS_API_KEY: KEY, NUCLEUS_ENDPOINT: ENDPOINT, ...o.env },
  });

describe('help', () => {
  it('every command lists the global options in its --help, and the root names the exit codes', () => {
    const { program } = createProgram({
      stdout: { write: () => true },
      stderr: { write: () => true },
      stdin: process.stdin,
      env: {},
    });
    const all: Command[] = [];
    const walk = (c: Command) => {
      for (const sub of c.commands) {
        all.push(sub);
        walk(sub);
      }
    };
    walk(program);
    const visible = all.filter((c) => c.name() !== 'complete');
    expect(visible.map((c) => c.name())).toEqual(
      expect.arrayContaining([
        'datasets',
        'delete',
        'append',
        'wait',
        'calculate-metrics',
        'describe',
        'metrics',
      ]),
    );
    for (const command of visible) {
      const help = command.helpInformation();
      expect(help, command.name()).toMatch(
        /Global Options:[\s\S]*--api-key <key>[\s\S]*--endpoint <url>[\s\S]*--json[\s\S]*-q, --quiet/,
      );
    }
    expect(program.helpInformation()).toBeTruthy();
  });
});

describe('tests (scenario tests)', () => {
  beforeEach(async () => {
    const { slice_id } = await client.slices.create('ds_cars0001', {
      name: 'night',
      reference_ids: ['a', 'b'],
    });
    data.tests = [
      { id: 'st_night', name: 'night cars', slice_id },
      { id: 'st_gone', name: 'orphan', slice_id: 'slc_missing' },
    ];
    data.metrics = {
      st_night: [
        { eval_function_id: 'ef_iou', threshold: 0.5, threshold_comparison: 'greater_than_equal_to' },
        { eval_function_id: 'ef_rec', threshold: 0.9, threshold_comparison: 'less_than' },
      ],
    };
  });

  it('list: id | Name | slice_id | url', async () => {
    const r = await nu(['tests', '-m']);
    expect(r.code).toBe(0);
    const [slice] = await client.slices.list();
    expect(r.stdout).toBe(
      `st_night\tnight cars\t${slice!.id}\thttps://dashboard.scale.com/nucleus/st_night\n` +
        'st_gone\torphan\tslc_missing\thttps://dashboard.scale.com/nucleus/st_gone\n',
    );
  });

  it('describe: details, slice and criteria as a tree', async () => {
    const [slice] = await client.slices.list();
    const r = await nu(['tests', 'describe', 'st_night']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(
      [
        'Scenario Test',
        '├── Details',
        "│   ├── id: 'st_night'",
        "│   ├── name: 'night cars'",
        '│   └── url: https://dashboard.scale.com/nucleus/st_night',
        '├── Slice',
        `│   ├── id: '${slice!.id}'`,
        "│   ├── name: 'night'",
        '│   ├── len: 2',
        `│   └── url: https://dashboard.scale.com/nucleus/ds_cars0001/${slice!.id}`,
        '└── Criteria',
        '    ├── bbox_iou >= 0.5',
        '    └── bbox_recall < 0.9',
        '',
      ].join('\n'),
    );
  });

  it('describe --all: a part the server refuses becomes an Error branch, the rest still prints', async () => {
    const r = await nu(['--json', 'tests', 'describe', '--all']);
    expect(r.code).toBe(0);
    const [night, orphan] = JSON.parse(r.stdout);
    expect(night).toMatchObject({
      id: 'st_night',
      criteria: ['bbox_iou >= 0.5', 'bbox_recall < 0.9'],
      errors: [],
    });
    expect(orphan).toMatchObject({ id: 'st_gone', criteria: [] });
    expect(orphan.errors).toEqual([expect.stringMatching(/^slice slc_missing: the server answered 404/)]);
    const tree = await nu(['tests', 'describe', '-a']);
    expect(tree.stdout).toMatch(/^All Scenario Tests\n├── 0: Scenario Test\n/);
    expect(tree.stdout).toMatch(
      /└── 1: Scenario Test\n[\s\S]*└── Error\n\s+└── slice slc_missing: the server answered 404/,
    );
  });

  it('describe without an id or --all is a usage error; an unknown id exits 1', async () => {
    expect(await nu(['tests', 'describe'])).toMatchObject({
      code: 2,
      stderr: 'nu: pass a scenario test id, or --all\n',
    });
    expect(await nu(['tests', 'describe', 'st_nope'])).toMatchObject({
      code: 1,
      stderr: 'nu: no scenario test st_nope\n',
    });
  });
});

describe('models calculate-metrics', () => {
  it('waits for every job and prints Done with their statuses', async () => {
    data.metricJobs = [
      { id: 'job_m1', ends: 'Completed' },
      { id: 'job_m2', ends: 'Completed' },
    ];
    const r = await nu(['models', 'calculate-metrics', 'prj_det0001', '--interval', '0.001']);
    expect(r).toMatchObject({
      code: 0,
      stdout: 'Done\n  job_m1: Completed\n  job_m2: Completed\n',
      stderr: '',
    });
  });

  it('a failed job: "Encountered errors during running", its errors, exit 1', async () => {
    data.metricJobs = [
      { id: 'job_ok', ends: 'Completed' },
      { id: 'job_bad', ends: 'Errored_Server' },
    ];
    const r = await nu(['models', 'calculate-metrics', 'prj_det0001', '--interval', '0.001']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^Encountered errors during running\n {2}job job_bad ended with status Errored_Server/,
    );
    expect(r.stderr).toContain('metric computation failed: slice is empty');
    expect(r.stderr).toMatch(/nu: 1 of 2 metric jobs failed\n$/);
  });

  it('--no-wait prints the started jobs; no model id off a terminal is a usage error', async () => {
    data.metricJobs = [{ id: 'job_m1', ends: 'Completed' }];
    expect(await nu(['models', 'calculate-metrics', 'prj_det0001', '--no-wait'])).toMatchObject({
      code: 0,
      stdout: 'started job job_m1\n',
    });
    expect(await nu(['models', 'calculate-metrics'])).toMatchObject({
      code: 2,
      stderr: 'nu: no model id: nu models calculate-metrics <model-id> (no terminal to pick one from)\n',
    });
  });
});

describe('output on a terminal', () => {
  it('a table fits the terminal width, wrapping long cells', async () => {
    await client.datasets.create({
      name: 'a dataset with a rather long name for a narrow terminal',
      is_scene: false,
      use_privacy_mode: false,
    });
    const wide = await nu(['datasets']);
    expect(
      Math.max(
        ...wide.stdout
          .trimEnd()
          .split('\n')
          .map((l) => l.length),
      ),
    ).toBeGreaterThan(60);
    const narrow = await nu(['datasets'], { columns: 60 });
    const lines = narrow.stdout.trimEnd().split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(60);
    expect(narrow.stdout.replace(/[\s│]/g, '')).toContain('ds_cars0001');
  });

  it('a progress bar on a terminal stderr; nothing with -q, --json, or off a terminal', async () => {
    const path = join(work, 'items.ndjson');
    await writeFile(
      path,
      Array.from({ length: 25 }, (_, i) =>
        JSON.stringify({ reference_id: `n-${i}`, image_url: `s3://b/${i}` }),
      ).join('\n'),
    );
    const tty = await nu(['items', 'append', 'ds_cars0001', path, '--update'], { stderrTTY: true });
    expect(tty.code).toBe(0);
    expect(tty.stderr).toMatch(/Appending \[.*\] 100% \| 25\/25/);
    for (const args of [['-q'], ['--json'], []]) {
      const r = await nu([...args, 'items', 'append', 'ds_cars0001', path, '--update'], {
        stderrTTY: args.length > 0,
      });
      expect(r.code).toBe(0);
      expect(r.stderr, args.join(' ')).toBe('');
    }
  });
});

describe('items list', () => {
  it('--json streams one valid JSON array (empty too); -m one row per item; --limit stops early', async () => {
    const all = JSON.parse((await nu(['--json', 'items', 'list', 'ds_cars0001', '--page-size', '2'])).stdout);
    expect(all.map((i: { reference_id: string }) => i.reference_id)).toEqual(['a', 'b', 'c']);
    const { dataset_id } = await client.datasets.create({
      name: 'empty',
      is_scene: false,
      use_privacy_mode: false,
    });
    expect((await nu(['--json', 'items', 'list', dataset_id])).stdout).toBe('[]\n');
    const rows = await nu(['items', 'list', 'ds_cars0001', '-m', '--limit', '2']);
    expect(rows.stdout).toMatch(/^a\tdi_\w+\ts3:\/\/bucket\/a\.jpg\t\nb\tdi_\w+\ts3:\/\/bucket\/b\.jpg\t\n$/);
    expect(operationsOf('listDatasetItems')).toBeGreaterThan(0);
  });
});

describe('metrics over files', () => {
  const box = (ref: string, x: number, label = 'car') => ({
    type: 'box',
    reference_id: ref,
    label,
    geometry: { x, y: 0, width: 10, height: 10 },
  });
  const files = async (truth: unknown[], predicted: unknown[]) => {
    const a = join(work, 'a.json');
    const p = join(work, 'p.json');
    await writeFile(a, JSON.stringify(truth));
    await writeFile(p, JSON.stringify(predicted));
    return ['--annotations', a, '--predictions', p];
  };

  it('an item without predictions is skipped and counted; --strict fails as upstream; fixed scores weight 0', async () => {
    const args = await files([box('r1', 0), box('r2', 0)], [box('r1', 0)]);
    const skipped = JSON.parse((await nu(['--json', 'metrics', 'bbox_recall', ...args])).stdout);
    expect(skipped).toMatchObject({ items: 2, skipped: 1, quirks: 'faithful' });
    // Recall's weight is #annotations + eps, as upstream's.
    expect(skipped.value).toBeCloseTo(1, 12);
    expect(skipped.weight).toBeCloseTo(1, 12);

    const strict = await nu(['metrics', 'bbox_recall', '--strict', ...args]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toBe('nu: metrics: Predictions: All items filtered out by:\n');

    const fixed = JSON.parse(
      (await nu(['--json', 'metrics', 'bbox_recall', '--quirks', 'fixed', ...args])).stdout,
    );
    expect(fixed).toMatchObject({ items: 2, skipped: 0, quirks: 'fixed' });
    expect(fixed.value).toBeCloseTo(0.5, 12); // r2's annotation counts as missed
  });

  it('poly_map, label filters and the options of each metric', async () => {
    const args = await files([box('r1', 0), box('r1', 40, 'bus')], [box('r1', 0), box('r1', 45, 'bus')]);
    const map = JSON.parse((await nu(['--json', 'metrics', 'poly_map', ...args])).stdout);
    // car matches (IoU 1); the bus pair's IoU is 50/150 < 0.5: AP(car) 1, AP(bus) 0, mean over 2 labels.
    expect(map).toMatchObject({ class: 'PolygonMAP', value: 0.5, weight: 2, items: 1 });

    const carsOnly = JSON.parse(
      (
        await nu([
          '--json',
          'metrics',
          'bbox_precision',
          '--annotation-filters',
          '[["label", "==", "car", false, "field"]]',
          '--prediction-filters',
          '[["label", "==", "car", false, "field"]]',
          ...args,
        ])
      ).stdout,
    );
    expect(carsOnly).toMatchObject({ value: 1, weight: 1 });

    expect(await nu(['metrics', 'poly_ap', ...args])).toMatchObject({
      code: 2,
      stderr: 'nu: --label: required by the average precision of one label\n',
    });
    expect(await nu(['metrics', 'f1', ...args])).toMatchObject({ code: 2 });
    expect((await nu(['metrics', 'f1', ...args])).stderr).toMatch(
      /^nu: unknown metric "f1" \(one of: bbox_iou, /,
    );
    expect(await nu(['metrics', 'cat_f1', '--iou-threshold', '0.3', ...args])).toMatchObject({
      code: 2,
      stderr: 'nu: --iou-threshold: does not apply to cat_f1 (CategorizationF1)\n',
    });
    expect(await nu(['metrics', 'bbox_iou', '--annotations', 'x.json'])).toMatchObject({
      code: 2,
      stderr: 'nu: --annotations and --predictions go together\n',
    });
  });
});

describe('metrics over segmentation masks (PNG files)', () => {
  // 4x4 masks: column 0-1 background (index 0), 2-3 car (index 1); the prediction takes one more column for car.
  const truth = Uint8Array.from({ length: 16 }, (_, i) => (i % 4 >= 2 ? 1 : 0));
  const predicted = Uint8Array.from({ length: 16 }, (_, i) => (i % 4 >= 1 ? 1 : 0));
  const segments = [
    { label: 'background', index: 0 },
    { label: 'car', index: 1 },
  ];
  const masks = async (channels: 1 | 3) => {
    const write = async (name: string, pixels: Uint8Array) => {
      const data = channels === 1 ? pixels : Uint8Array.from(Array.from(pixels).flatMap((v) => [v, v, v]));
      const path = join(work, `${name}-${channels}.png`);
      await writeFile(path, encode({ width: 4, height: 4, data, channels, depth: 8 }));
      return path;
    };
    const a = join(work, `seg-a-${channels}.json`);
    const p = join(work, `seg-p-${channels}.json`);
    await writeFile(
      a,
      JSON.stringify([{ reference_id: 'm1', mask_url: await write('truth', truth), annotations: segments }]),
    );
    await writeFile(
      p,
      JSON.stringify([
        { reference_id: 'm1', mask_url: await write('pred', predicted), annotations: segments },
      ]),
    );
    return ['--annotations', a, '--predictions', p];
  };

  it('seg_iou and seg_map read the PNGs (grey or RGB alike) and equal the library on the same pixels', async () => {
    const inMemory = {
      fetch: (url: string) => ({ width: 4, height: 4, data: url.includes('truth') ? truth : predicted }),
    };
    for (const [name, metric] of [
      ['seg_iou', new SegmentationIOU({ loader: inMemory })],
      ['seg_map', new SegmentationMAP({ loader: inMemory })],
    ] as const) {
      const expected = await metric.call(
        [{ reference_id: 'm1', mask_url: 'truth', annotations: segments }],
        [{ reference_id: 'm1', mask_url: 'pred', annotations: segments }],
      );
      for (const channels of [1, 3] as const) {
        const r = await nu(['--json', 'metrics', name, ...(await masks(channels))]);
        expect(r.code, r.stderr).toBe(0);
        expect(JSON.parse(r.stdout)).toMatchObject({
          value: expected.value,
          weight: expected.weight,
          items: 1,
        });
      }
    }
    // background IoU 4/8, car IoU 8/12: their mean.
    const iou = JSON.parse((await nu(['--json', 'metrics', 'seg_iou', ...(await masks(1))])).stdout);
    expect(iou.value).toBeCloseTo((4 / 8 + 8 / 12) / 2, 12);
  });

  it('a missing mask file or an s3:// mask is one line, exit 1', async () => {
    const a = join(work, 'seg-missing.json');
    await writeFile(
      a,
      JSON.stringify([{ reference_id: 'm1', mask_url: join(work, 'nope.png'), annotations: segments }]),
    );
    expect(await nu(['metrics', 'seg_iou', '--annotations', a, '--predictions', a])).toMatchObject({
      code: 1,
      stderr: `nu: mask ${join(work, 'nope.png')}: no such file\n`,
    });
    const s3 = join(work, 'seg-s3.json');
    await writeFile(
      s3,
      JSON.stringify([{ reference_id: 'm1', mask_url: 's3://bucket/m.png', annotations: segments }]),
    );
    const r = await nu(['metrics', 'seg_recall', '--annotations', s3, '--predictions', s3]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^nu: mask s3:\/\/bucket\/m\.png: nu reads masks from local files and http\(s\) URLs/,
    );
  });
});

describe('install-completion', () => {
  it('bash: script in ~/.config, the rc backed up and sourcing it once however often it runs', async () => {
    const home = await mkdtemp(join(work, 'home-'));
    await writeFile(join(home, '.bashrc'), 'export EDITOR=vi');
    const first = await nu(['install-completion', '--shell', 'bash'], { homeDir: home });
    expect(first.code).toBe(0);
    const script = await readFile(join(home, '.config/nu-cli-completions.bash'), 'utf8');
    expect(script).toBe((await nu(['completion', 'bash'])).stdout);
    expect(await readFile(join(home, '.bashrc.bak'), 'utf8')).toBe('export EDITOR=vi');
    const rc = `export EDITOR=vi\n\n# Shell completion for nu\n. ${join(home, '.config/nu-cli-completions.bash')}\n`;
    expect(await readFile(join(home, '.bashrc'), 'utf8')).toBe(rc);
    await nu(['install-completion'], { homeDir: home, env: { SHELL: '/bin/bash' } });
    expect(await readFile(join(home, '.bashrc'), 'utf8')).toBe(rc);
  });

  it('zsh and fish from $SHELL; --print writes nothing; an unknown shell exits 1', async () => {
    const home = await mkdtemp(join(work, 'home-'));
    expect((await nu(['install-completion'], { homeDir: home, env: { SHELL: '/usr/bin/zsh' } })).code).toBe(
      0,
    );
    expect(await readFile(join(home, '.config/nu-cli-completions.zsh'), 'utf8')).toContain('#compdef nu');
    expect(await readFile(join(home, '.zshrc'), 'utf8')).toContain(
      `. ${join(home, '.config/nu-cli-completions.zsh')}`,
    );
    const fish = await nu(['--json', 'install-completion'], {
      homeDir: home,
      env: { SHELL: '/usr/bin/fish' },
    });
    expect(JSON.parse(fish.stdout)).toEqual({
      shell: 'fish',
      script: join(home, '.config/fish/completions/nu.fish'),
    });

    const printHome = await mkdtemp(join(work, 'home-'));
    const printed = await nu(['install-completion', '--shell', 'fish', '--print'], { homeDir: printHome });
    expect(printed.stdout).toBe((await nu(['completion', 'fish'])).stdout);
    await expect(readFile(join(printHome, '.config/fish/completions/nu.fish'))).rejects.toThrow();

    expect(
      await nu(['install-completion'], { homeDir: printHome, env: { SHELL: '/bin/tcsh' } }),
    ).toMatchObject({
      code: 1,
      stderr: 'nu: cannot tell your shell (SHELL=/bin/tcsh): pass --shell bash|zsh|fish\n',
    });
  });
});
