/** The datapkg CLI end to end: the quick-start workflow, messages, exit codes and --json. */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expected, fixturePath } from '../fixtures.js';
import { tempDir, writeTree } from '../helpers.js';
import { type OpenRegistry, registryTargets } from '../targets.js';
import { runCli } from './run-cli.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  work = await tempDir('dp-cli-');
  env = { MLC_DATAPKG_CACHE_DIR: join(work.path, 'cache') };
});
afterAll(async () => {
  await work.cleanup();
});

describe('hash --manifest', () => {
  it('prints only the top hash of a fixture manifest', async () => {
    const result = await runCli(
      ['hash', '--manifest', fixturePath('quilt3/top_hash_test_manifest.jsonl')],
      env,
    );
    expect(result.stdout).toBe('3426a3f721e41a1d83174c691432a39ff13720426267fc799dccf3583153e850\n');
    expect(result.code).toBe(0);
  });

  it('names the file and line of a broken manifest and exits 1', async () => {
    const broken = join(work.path, 'broken.jsonl');
    await writeFile(broken, '{"version": "v0"}\n{"logical_key": 1}\n');
    const result = await runCli(['hash', '--manifest', broken], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/manifest line 2: 'logical_key' must be a string/);
  });
});

describe('JSON metadata arguments', () => {
  it('keep floats and big ints as written (quilt3 parses --meta with Python json)', async () => {
    const ws = join(work.path, 'meta-ws');
    expect((await runCli(['init', '--dir', ws], env)).code).toBe(0);
    const set = await runCli(
      ['set-meta', '.', '{"ratio": 1.0, "id": 12345678901234567890}', '--dir', ws],
      env,
    );
    expect(set.code, set.stderr).toBe(0);
    const header = (await readFile(join(ws, '.datapkg', 'draft.jsonl'), 'utf8')).split('\n')[0];
    expect(header).toContain('"user_meta": {"ratio": 1.0, "id": 12345678901234567890}');
  });
});

describe('add', () => {
  it('keys a path inside the working folder by its relative path (..data/ is inside) and one outside by its name', async () => {
    const ws = join(work.path, 'add-ws');
    await writeTree(join(work.path, 'add-outside'), { 'far.txt': 'far away' });
    await writeTree(ws, { '..data/x.txt': 'dotted folder', 'sub/y.txt': 'plain' });
    expect((await runCli(['init', '--dir', ws], env)).code).toBe(0);
    for (const path of [
      join(ws, '..data', 'x.txt'),
      join(ws, 'sub', 'y.txt'),
      join(work.path, 'add-outside', 'far.txt'),
    ]) {
      const added = await runCli(['add', path, '--dir', ws], env);
      expect(added.code, added.stderr).toBe(0);
    }
    const draft = await readFile(join(ws, '.datapkg', 'draft.jsonl'), 'utf8');
    const keys = draft
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => JSON.parse(line).logical_key);
    expect(keys.sort()).toEqual(['..data/x.txt', 'far.txt', 'sub/y.txt']);
  });
});

describe('hash DIR', () => {
  it('equals the quilt3 `push --dir` top hash of the folder (header with user_meta null, message null)', async () => {
    const dir = join(work.path, 'nested-copy');
    await writeTree(dir, {
      'one.txt': await readFile(fixturePath('data/nested/one.txt')),
      'sub/two.txt': await readFile(fixturePath('data/nested/sub/two.txt')),
      'sub/three.txt': await readFile(fixturePath('data/nested/sub/three.txt')),
    });
    const vector = (name: string) =>
      expected.object_hash_vectors.find((v) => v.content === `file data/nested/${name}`)?.[
        'sha2-256-chunked'
      ];
    const part = (key: string, file: string) =>
      `{"hash":{"type":"sha2-256-chunked","value":"${vector(file)}"},"logical_key":"${key}","meta":{},"size":1}`;
    // Tree order: one.txt, sub/three.txt, sub/two.txt.
    const canonical =
      '{"message":null,"user_meta":null,"version":"v0"}' +
      part('one.txt', 'one.txt') +
      part('sub/three.txt', 'sub/three.txt') +
      part('sub/two.txt', 'sub/two.txt');
    const result = await runCli(['hash', dir], env);
    expect(result.stdout).toBe(`${createHash('sha256').update(canonical).digest('hex')}\n`);
  });
});

describe('draft commands', () => {
  it('adding the working folder keeps the package metadata given to init', async () => {
    const ws = join(work.path, 'draft-meta');
    await writeTree(ws, { 'a.txt': 'a' });
    expect((await runCli(['init', '--dir', ws, '--meta', '{"team": "vision"}'], env)).code).toBe(0);
    expect((await runCli(['add', ws, '--dir', ws], env)).code).toBe(0);
    const out = join(work.path, 'draft-meta.jsonl');
    expect((await runCli(['build-manifest', '--dir', ws, '--out', out], env)).code).toBe(0);
    expect((await readFile(out, 'utf8')).split('\n')[0]).toBe(
      '{"version": "v0", "user_meta": {"team": "vision"}, "message": null}',
    );
    const again = await runCli(['init', '--dir', ws], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already has a draft package \(use --force to start over\)/);
  }, 120_000);
});

// The registries' suites run at the same time (mostly waiting on children and the S3 server); each one's tests in order.
describe.concurrent.each(registryTargets())('CLI workflow on the $name registry', (target) => {
  let reg: OpenRegistry;
  // A cache folder per registry, so the suites running side by side share no object cache or push records.
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    reg = await target.open();
    env = { MLC_DATAPKG_CACHE_DIR: join(work.path, `${target.name}-cache`) };
  });
  afterAll(async () => {
    await reg.cleanup();
  });

  it.sequential('init, add, set-meta, build-manifest, push-data, push-manifest, install, status, hash, ls, cat, diff, list-packages', async () => {
    const ws = join(work.path, `${target.name}-ws`);
    await writeTree(ws, { 'README.md': '# data\n', 'data/a.csv': 'x,y\n1,2\n', 'data/b.csv': 'x,y\n3,4\n' });
    const cli = (...args: string[]) => runCli(args, env);
    expect((await cli('init', '--dir', ws)).code).toBe(0);
    expect((await cli('add', join(ws, 'README.md'), '--dir', ws, '--meta', '{"kind": "doc"}')).code).toBe(0);
    expect((await cli('add', join(ws, 'data'), '--dir', ws)).code).toBe(0);
    expect((await cli('set-meta', '.', '{"owner": "me"}', '--dir', ws)).code).toBe(0);
    const built = await cli(
      'build-manifest',
      '--dir',
      ws,
      '--message',
      'v1',
      '--out',
      join(work.path, `${target.name}-m.jsonl`),
    );
    expect(built.code).toBe(0);
    const topHash = built.stdout.trim();
    expect(topHash).toMatch(/^[0-9a-f]{64}$/);
    expect((await cli('hash', '--manifest', join(work.path, `${target.name}-m.jsonl`))).stdout.trim()).toBe(
      topHash,
    );

    const pushData = await cli(
      '--json',
      'push-data',
      '--dir',
      ws,
      '--registry',
      reg.url,
      '--prefix',
      'me/data',
    );
    expect(JSON.parse(pushData.stdout).uploaded).toHaveLength(3);
    const again = await cli('--json', 'push-data', '--dir', ws, '--registry', reg.url, '--prefix', 'me/data');
    expect(JSON.parse(again.stdout).uploaded).toHaveLength(0);
    const pushed = await cli('push-manifest', 'me/data', '-t', 'v1', '--dir', ws, '--registry', reg.url);
    expect(pushed.stdout).toContain(topHash);

    const dest = join(work.path, `${target.name}-dest`);
    const install = await cli('install', 'me/data:v1', '--registry', reg.url, '--dest', dest);
    expect(install.code).toBe(0);
    expect(install.stdout).toMatch(/3 file\(s\) transferred/);
    const status = await cli('status', dest);
    expect(status.stdout).toBe('Data matches manifest\n');
    expect(status.code).toBe(0);
    expect((await cli('hash', dest)).stdout.trim()).toBe(topHash);

    await writeFile(join(dest, 'data/a.csv'), 'changed\n');
    await writeFile(join(dest, 'extra.txt'), 'extra');
    const dirty = await cli('status', dest);
    expect(dirty.code).toBe(1);
    expect(dirty.stdout).toBe('changed: data/a.csv\nextra:   extra.txt\n');
    const verify = await cli(
      '--json',
      'verify',
      'me/data',
      '--registry',
      reg.url,
      '--dir',
      dest,
      '--extra-files-ok',
    );
    expect(JSON.parse(verify.stdout)).toMatchObject({ changed: ['data/a.csv'], missing: [], matches: false });

    const ls = await cli('--json', 'ls', 'me/data', '--registry', reg.url);
    expect(JSON.parse(ls.stdout).map((i: { key: string }) => i.key)).toEqual(['README.md', 'data/']);
    const table = await cli('ls', 'me/data', 'data', '--registry', reg.url);
    expect(table.stdout).toContain('data/a.csv');
    expect(
      (await cli('cat', `me/data@${topHash.slice(0, 8)}`, 'data/b.csv', '--registry', reg.url)).stdout,
    ).toBe('x,y\n3,4\n');

    // A second version through the one-call push, then diff and list-packages.
    await writeFile(join(ws, 'data/c.csv'), 'new\n');
    const push = await cli(
      '--json',
      'push',
      'me/data',
      '--dir',
      ws,
      '--registry',
      reg.url,
      '--message',
      'v2',
    );
    expect(push.code, push.stderr).toBe(0);
    const v2 = JSON.parse(push.stdout).topHash as string;
    const diff = await cli('diff', 'me/data:v1', `me/data@${v2}`, '--registry', reg.url);
    expect(diff.stdout).toBe('+ data/c.csv\n~ README.md\n');
    const list = await cli('--json', 'list-packages', '--registry', reg.url);
    expect(JSON.parse(list.stdout)).toEqual([
      { name: 'me/data', latest: v2, versions: expect.any(Number), tags: ['v1'] },
    ]);
    expect(await readFile(join(ws, 'data/c.csv'), 'utf8')).toBe('new\n');
  }, 300_000);

  it.sequential('refuses bad input with a clear message before writing anything', async () => {
    const dest = join(work.path, `${target.name}-never`);
    const badName = await runCli(['install', 'not-a-name', '--registry', reg.url, '--dest', dest], env);
    expect(badName.code).toBe(1);
    expect(badName.stderr).toMatch(/invalid package name "not-a-name"/);
    const missing = await runCli(['install', 'me/nothing', '--registry', reg.url, '--dest', dest], env);
    expect(missing.stderr).toMatch(/no package me\/nothing in /);
    const ambiguous = await runCli(['install', 'me/data@xyz', '--registry', reg.url, '--dest', dest], env);
    expect(ambiguous.stderr).toMatch(/'@' must be followed by 6 to 64 lowercase hex digits/);
    await expect(readFile(join(dest, 'x'))).rejects.toThrow();
  }, 120_000);
});
