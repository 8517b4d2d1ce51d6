/**
 * The built `nu` (bin/nu.js -> the esbuild bundle) run as a child process against the Nucleus fake over HTTP
 * (tools/mock-server, as `npm run mock -- nucleus` serves it, on 127.0.0.1): output as tables, tab-separated rows
 * and JSON, exit codes, bad input refused before anything is sent, and the API key in no output at all.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MockServer, startMockServer } from '@mlclients/mock-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NucleusClient } from '../../src/index.js';
import { type BuiltNu, buildNu, PACKAGE_ROOT } from './helpers/built-nu.js';
import { type NuResult, type RunOptions, runNu } from './helpers/run-nu.js';

const KEY = 'nu-cli-test-key-7d41e9b2';
const SEED = {
  datasets: [
    {
      id: 'ds_seeded0001',
      name: 'seeded cars',
      items: [{ reference_id: 'seed-1', image_url: 's3://bucket/seed-1.jpg', metadata: { split: 'train' } }],
    },
  ],
  models: [{ id: 'prj_seeded0001', name: 'detector', ref_id: 'det-1' }],
  _tokens: [KEY],
};

let nu: BuiltNu;
let server: MockServer;
let endpoint: string;
let work: string;
const outputs: NuResult[] = [];

beforeAll(async () => {
  [nu, server, work] = await Promise.all([
    buildNu(),
    startMockServer('nucleus', { host: '127.0.0.1', port: 0, conformance: 'error', seed: SEED }),
    mkdtemp(join(tmpdir(), 'nu-cli-')),
  ]);
  endpoint = `${server.url}/v1/nucleus`;
}, 120_000);

afterAll(async () => {
  await Promise.all([nu?.remove(), server?.close(), work && rm(work, { recursive: true, force: true })]);
});

beforeEach(() => server.fake.reset());

/** `nu` with the key and endpoint in the environment (as a user sets them). */
async function run(args: readonly string[], options: RunOptions = {}): Promise<NuResult> {
  const result = await runNu(nu.bin, args, {
    ...options,
    env: { NUCLEUS_API_KEY: KEY, NUCLEUS_ENDPOINT: endpoint, ...options.env },
  });
  outputs.push(result);
  expect(result.stdout + result.stderr, 'the key is never printed').not.toContain(KEY);
  return result;
}

const operationsSent = () => server.fake.journal.map((e) => e.operationId);
const client = () => new NucleusClient({ apiKey: KEY, endpoint, maxRetries: 0 });

async function file(name: string, lines: readonly unknown[]): Promise<string> {
  const path = join(work, name);
  await writeFile(path, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n'));
  return path;
}

// Every case starts several node processes; on a loaded 2-core machine that takes seconds each.
describe('nu (built binary)', { timeout: 180_000 }, () => {
  it('--version prints the package version', async () => {
    const pkg = JSON.parse(await readFile(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = await run(['--version']);
    expect(r).toMatchObject({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('without a command prints the help (exit 0); a subcommand help lists the global options', async () => {
    const root = await run([]);
    expect(root.code).toBe(0);
    expect(root.stdout).toContain('Nucleus CLI (nu)');
    const help = await run(['items', 'append', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(
      /Global Options:[\s\S]*--api-key[\s\S]*--endpoint[\s\S]*--json[\s\S]*--quiet/,
    );
  });

  it('datasets list: the table id | Name | url, -m rows, --json (stdout only, nothing on stderr)', async () => {
    const table = await run(['datasets', 'list']);
    expect(table.code).toBe(0);
    expect(table.stderr).toBe('');
    expect(table.stdout).toMatch(/│ id\s+│ Name\s+│ url\s+│/);
    expect(table.stdout).toContain(
      '│ ds_seeded0001 │ seeded cars │ https://dashboard.scale.com/nucleus/ds_seeded0001 │',
    );

    const rows = await run(['datasets', '-m'], { env: { NUCLEUS_DASHBOARD: 'https://dash.example/n/' } });
    expect(rows.stdout).toBe('ds_seeded0001\tseeded cars\thttps://dash.example/n/ds_seeded0001\n');

    const json = await run(['--json', 'datasets']);
    expect(JSON.parse(json.stdout)).toEqual([
      {
        id: 'ds_seeded0001',
        name: 'seeded cars',
        is_public: false,
        url: 'https://dashboard.scale.com/nucleus/ds_seeded0001',
      },
    ]);
  });

  it("datasets delete: typed 'DELETE' deletes; anything else refuses (exit 1) and sends no DELETE", async () => {
    const refused = await run(['datasets', 'delete', 'ds_seeded0001'], { input: 'delete\n' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("Type 'DELETE' to delete dataset: ds_seeded0001");
    expect(refused.stderr).toContain(
      "nu: Refusing to delete ds_seeded0001. Received 'delete' instead of 'DELETE'",
    );
    expect(operationsSent()).not.toContain('deleteDataset');

    const empty = await run(['datasets', 'delete', '--id', 'ds_seeded0001']);
    expect(empty.code).toBe(1);
    expect(operationsSent()).not.toContain('deleteDataset');

    const deleted = await run(['datasets', 'delete', 'ds_seeded0001'], { input: 'DELETE\n' });
    expect(deleted).toMatchObject({ code: 0, stdout: 'Deleted ds_seeded0001\n' });
    expect(await client().datasets.list()).toEqual([]);
  });

  it('datasets create, then delete --yes without a prompt; a missing dataset is the server 404 (exit 1)', async () => {
    const created = await run(['datasets', 'create', 'boats', '--json']);
    const { dataset_id } = JSON.parse(created.stdout) as { dataset_id: string };
    expect(dataset_id).toMatch(/^ds_/);
    const r = await run(['datasets', 'delete', dataset_id, '--yes']);
    expect(r).toMatchObject({ code: 0, stdout: `Deleted ${dataset_id}\n` });
    expect(r.stderr).not.toContain('DELETE');
    const missing = await run(['datasets', 'info', dataset_id]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^nu: the server answered 404: .+\n$/);
  });

  it('items append from NDJSON: every item stored once, counts printed, no progress bar off a terminal', async () => {
    const items = Array.from({ length: 45 }, (_, i) => ({
      reference_id: `img-${i}`,
      image_url: `s3://bucket/img-${i}.jpg`,
      metadata: { i },
    }));
    const path = await file('items.ndjson', items);
    const r = await run(['items', 'append', 'ds_seeded0001', path]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe('45 new, 0 updated, 0 ignored (dataset ds_seeded0001)\n');
    expect(operationsSent().filter((o) => o === 'appendDatasetItems')).toHaveLength(3); // 20 + 20 + 5

    const again = await run(['--json', 'items', 'append', 'ds_seeded0001', path, '--batch-size', '29']);
    expect(JSON.parse(again.stdout)).toMatchObject({ new_items: 0, ignored_items: 45, errors: [] });

    const listed = await run(['--json', 'items', 'list', 'ds_seeded0001', '--page-size', '7']);
    const refs = (JSON.parse(listed.stdout) as Array<{ reference_id: string }>).map((i) => i.reference_id);
    expect(refs).toEqual(['seed-1', ...items.map((i) => i.reference_id)]);
  });

  it('items append refuses bad records naming file and line, exit 2, and sends nothing', async () => {
    const path = await file('bad.ndjson', [
      { reference_id: 'ok-1', image_url: 's3://b/1.jpg' },
      '',
      { image_url: 's3://b/2.jpg' },
      { reference_id: 'ok-4', image_url: 's3://b/4.jpg', width: -3 },
    ]);
    const r = await run(['items', 'append', 'ds_seeded0001', path]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${path} line 3: reference_id: required`);
    expect(r.stderr).toContain(`${path} line 4: width: expected a positive integer`);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace

    const dup = await file(
      'dup.json',
      `[{"reference_id":"a","image_url":"s3://x"},{"reference_id":"a","image_url":"s3://y"}]`.split('\n'),
    );
    const d = await run(['items', 'append', 'ds_seeded0001', dup]);
    expect(d.code).toBe(2);
    expect(d.stderr).toContain(`${dup} [1]: reference_id: duplicate of ${dup} [0]`);

    const broken = await file('broken.ndjson', ['{"reference_id":"a","image_url":"s3://x"}', '{oops']);
    const b = await run(['items', 'append', 'ds_seeded0001', broken]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(new RegExp(`${broken} line 2: not valid JSON`));

    const tooBig = await run(['items', 'append', 'ds_seeded0001', path, '--batch-size', '30']);
    expect(tooBig.code).toBe(2);
    expect(tooBig.stderr).toContain("option '--batch-size <n>' argument '30' is invalid");
    expect(operationsSent()).toEqual([]);
  });

  it('items append --async, then jobs list and jobs wait until Completed', async () => {
    const path = await file('async.json', [
      JSON.stringify([
        { reference_id: 'a-1', image_url: 's3://b/a1.jpg' },
        { reference_id: 'a-2', image_url: 's3://b/a2.jpg' },
      ]),
    ]);
    const started = await run(['--json', 'items', 'append', 'ds_seeded0001', path, '--async']);
    expect(started.code).toBe(0);
    const job = JSON.parse(started.stdout) as { job_id: string; job_last_known_status: string };
    expect(job).toMatchObject({ job_id: expect.stringMatching(/^job_/), job_last_known_status: 'Queued' });

    const list = await run(['jobs']);
    expect(list.stdout).toMatch(/│ id\s+│ status\s+│ type\s+│ created at\s+│/);
    expect(list.stdout).toContain(job.job_id);

    const waited = await run(['jobs', 'wait', job.job_id, '--interval', '0.05']);
    expect(waited).toMatchObject({ code: 0, stdout: `${job.job_id}: Completed\n`, stderr: '' });
    expect((await client().datasets.size('ds_seeded0001')).count).toBe(3);

    const unfinished = await run(['--json', 'jobs', 'list']);
    expect(JSON.parse(unfinished.stdout)).toEqual([]); // completed jobs only with --all
    const all = await run(['--json', 'jobs', 'list', '--all']);
    expect(JSON.parse(all.stdout)).toMatchObject([
      { job_id: job.job_id, job_last_known_status: 'Completed' },
    ]);
  });

  it('jobs wait on a job that fails: its errors on stderr and exit 1', async () => {
    const job = await client().datasets.annotateAsync('ds_seeded0001', [
      { type: 'box', reference_id: 'not-there', label: 'car', geometry: { x: 1, y: 2, width: 3, height: 4 } },
    ]);
    const r = await run(['jobs', 'wait', job.id, '--interval', '0.05']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Encountered errors during running (1):');
    expect(r.stderr).toMatch(new RegExp(`nu: job ${job.id} ended with status Errored_User: .*not-there`));
  });

  it('models list: id | name | url', async () => {
    const r = await run(['models']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '│ prj_seeded0001 │ detector │ https://dashboard.scale.com/nucleus/prj_seeded0001 │',
    );
  });

  it('slices list: id | name | dataset_name | url ({dataset}/{slice})', async () => {
    const { slice_id } = await client().slices.create('ds_seeded0001', {
      name: 'train',
      reference_ids: ['seed-1'],
    });
    const r = await run(['--json', 'slices']);
    expect(JSON.parse(r.stdout)).toMatchObject([
      {
        id: slice_id,
        name: 'train',
        dataset_name: 'seeded cars',
        url: `https://dashboard.scale.com/nucleus/ds_seeded0001/${slice_id}`,
      },
    ]);
  });

  it('metrics over a dataset and a model equal the same metric over the same payloads in files', async () => {
    const nuc = client();
    const box = (ref: string, x: number, extra: object = {}) => ({
      type: 'box' as const,
      reference_id: ref,
      label: 'car',
      geometry: { x, y: 0, width: 10, height: 10 },
      ...extra,
    });
    await nuc.datasets.append('ds_seeded0001', [{ reference_id: 'seed-2', image_location: 's3://b/2.jpg' }]);
    const truth = [box('seed-1', 0, { annotation_id: 'a1' }), box('seed-2', 0, { annotation_id: 'a2' })];
    const predicted = [
      box('seed-1', 0, { annotation_id: 'p1', confidence: 0.9 }),
      box('seed-2', 5, { annotation_id: 'p2', confidence: 0.8 }),
    ];
    await nuc.datasets.annotate('ds_seeded0001', truth);
    await nuc.predictions.uploadBatched(
      { dataset_id: 'ds_seeded0001', model_id: 'prj_seeded0001' },
      predicted,
    );

    const remote = await run([
      '--json',
      'metrics',
      'bbox_iou',
      '--dataset',
      'ds_seeded0001',
      '--model',
      'prj_seeded0001',
    ]);
    expect(remote.code, remote.stderr).toBe(0);
    const fromNucleus = JSON.parse(remote.stdout);
    // IoU 1 on seed-1, 50/150 on seed-2 (a box shifted by half its width): mean (1 + 1/3) / 2.
    expect(fromNucleus).toMatchObject({
      metric: 'bbox_iou',
      class: 'PolygonIOU',
      weight: 2,
      items: 2,
      skipped: 0,
    });
    expect(fromNucleus.value).toBeCloseTo(2 / 3, 12);

    const local = await run([
      '--json',
      'metrics',
      'PolygonIOU',
      '--annotations',
      await file('truth.ndjson', truth),
      '--predictions',
      await file('predicted.ndjson', predicted),
    ]);
    expect(JSON.parse(local.stdout)).toEqual({ ...fromNucleus, metric: 'bbox_iou' });

    const table = await run([
      'metrics',
      'bbox_precision',
      '--dataset',
      'ds_seeded0001',
      '--model',
      'prj_seeded0001',
    ]);
    expect(table.code).toBe(0);
    expect(table.stderr).toBe('');
    expect(table.stdout).toMatch(/│ metric\s+│ value\s+│ weight\s+│ items\s+│ skipped\s+│ quirks\s+│/);
    expect(table.stdout).toContain(
      '│ bbox_precision (PolygonPrecision) │ 0.500000 │ 2      │ 2     │ 0       │ faithful │',
    );
  });

  it('metrics refuses bad payload files naming the line, and options that do not apply (exit 2)', async () => {
    const truth = await file('t.ndjson', [
      { type: 'box', reference_id: 'r1', label: 'car', geometry: { x: 0, y: 0, width: 1, height: 1 } },
      { type: 'box', label: 'car', geometry: { x: 0, y: 0, width: 1, height: 1 } },
      { type: 'polygon', reference_id: 'r1', label: 'car', geometry: { vertices: 'no' } },
    ]);
    const r = await run(['metrics', 'bbox_iou', '--annotations', truth, '--predictions', truth]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${truth} line 2: reference_id: required`);
    expect(r.stderr).toMatch(new RegExp(`${truth} line 3: geometry\\.vertices`));

    const label = await run([
      'metrics',
      'bbox_iou',
      '--label',
      'car',
      '--annotations',
      truth,
      '--predictions',
      truth,
    ]);
    expect(label).toMatchObject({
      code: 2,
      stderr: 'nu: --label: does not apply to bbox_iou (PolygonIOU)\n',
    });
    const threshold = await run([
      'metrics',
      'bbox_iou',
      '--iou-threshold',
      '1.5',
      '--dataset',
      'ds_seeded0001',
      '--model',
      'x',
    ]);
    expect(threshold.code).toBe(2);
    expect(threshold.stderr).toContain("option '--iou-threshold <x>' argument '1.5' is invalid");
    expect(operationsSent()).toEqual([]);
  });

  describe('one clear line for what goes wrong', () => {
    it('no key, both keys, a refused key: exit 1, no stack trace, no key printed', async () => {
      const none = await run(['datasets'], { env: { NUCLEUS_API_KEY: undefined } });
      expect(none).toMatchObject({
        code: 1,
        stdout: '',
        stderr: 'nu: no API key: set NUCLEUS_API_KEY or NUCLEUS_LIMITED_ACCESS_KEY, or pass --api-key\n',
      });
      const both = await run(['datasets'], { env: { NUCLEUS_LIMITED_ACCESS_KEY: 'limited-key-1234' } });
      expect(both).toMatchObject({
        code: 1,
        stderr: 'nu: both NUCLEUS_API_KEY and NUCLEUS_LIMITED_ACCESS_KEY are set: unset one of them\n',
      });
      const wrong = await run(['--debug', 'datasets', '--api-key', 'wrong-key-98765']);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(/^nu: the server answered 401: Invalid API key \(check NUCLEUS_API_KEY/);
      expect(wrong.stderr).not.toContain('wrong-key-98765');
      expect(operationsSent()).toEqual(['listDatasets']);
    });

    it('an unreachable server: one line naming it; the stack only with --debug', async () => {
      const port = await new Promise<number>((resolve) => {
        const s = createServer().listen(0, '127.0.0.1', () => {
          const p = (s.address() as { port: number }).port;
          s.close(() => resolve(p));
        });
      });
      const closed = `http://127.0.0.1:${port}/v1/nucleus`;
      const r = await run(['--max-retries', '0', 'datasets'], { env: { NUCLEUS_ENDPOINT: closed } });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^nu: cannot reach ${closed}: .*ECONNREFUSED.*\\n$`));
      const debug = await run(['--max-retries', '0', '--debug', '--endpoint', closed, 'datasets']);
      expect(debug.code).toBe(1);
      expect(debug.stderr).toMatch(/\n\s+at /);
    });

    it('usage errors exit 2: unknown command, unknown option, a bad endpoint', async () => {
      const cmd = await run(['dataset']);
      expect(cmd.code).toBe(2);
      expect(cmd.stderr).toContain("nu: unknown command 'dataset'");
      const opt = await run(['jobs', 'list', '--everything']);
      expect(opt.code).toBe(2);
      expect(opt.stderr).toContain("nu: unknown option '--everything'");
      const url = await run(['datasets'], { env: { NUCLEUS_ENDPOINT: 'api.scale.com' } });
      expect(url).toMatchObject({
        code: 2,
        stderr: 'nu: NUCLEUS_ENDPOINT: expected an http(s) URL, got "api.scale.com"\n',
      });
      expect(operationsSent()).toEqual([]);
    });
  });

  it('a reader that goes away early (| head -1) ends nu quietly', async () => {
    const many = Array.from({ length: 600 }, (_, i) => ({
      reference_id: `r-${i}`,
      image_location: `s3://b/${i}`,
    }));
    await client().datasets.append('ds_seeded0001', many);
    const child = spawn(
      process.execPath,
      [nu.bin, 'items', 'list', 'ds_seeded0001', '-m', '--page-size', '5'],
      {
        env: { ...process.env, NUCLEUS_API_KEY: KEY, NUCLEUS_ENDPOINT: endpoint },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('the key appeared in none of the outputs', () => {
    expect(outputs.length).toBeGreaterThan(0);
    for (const r of outputs) expect(r.stdout + r.stderr).not.toContain(KEY);
  });
});
