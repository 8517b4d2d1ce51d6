/** The `sc` CLI against the SC fake (in process). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createProgram } from '../../src/cli/program.js';
import { ScClient } from '../../src/index.js';
import { fakeClient } from '../helpers/fake-client.js';

const FIXTURES = resolve(fileURLToPath(import.meta.url), '../../fixtures/coco-blocks');

function cli() {
  const { fake, fetch } = fakeClient();
  const out: string[] = [];
  const err: string[] = [];
  const run = (...args: string[]) =>
    createProgram({
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      interactive: false,
      client: (o) => new ScClient({ ...o, fetch, maxRetries: 0 }),
    })
      .exitOverride()
      .parseAsync(['node', 'sc', '--host', 'https://sc.test', '--username', 'admin', ...args]);
  return { fake, out, err, run };
}

describe('sc CLI', () => {
  it('create-from-coco, projects list --json, download, upload --name', async () => {
    process.env.SC_PASSWORD = 'admin-password';
    const { out, run } = cli();
    await run(
      'create-from-coco',
      '--name',
      'blocks',
      '--type',
      'detection',
      '--images',
      join(FIXTURES, 'images/NONE'),
      '--annotations',
      join(FIXTURES, 'annotations/instances_NONE.json'),
      '--upload',
      '4',
    );
    expect(out.pop()).toMatch(/^created project "blocks" \([0-9a-f]{24}\)\n$/);
    await run('--json', 'projects', 'list');
    expect(JSON.parse(out.pop() as string).map((p: { name: string }) => p.name)).toEqual(['blocks']);
    const dir = await mkdtemp(join(tmpdir(), 'sc-cli-'));
    try {
      await run('download', 'blocks', dir);
      expect(out.pop()).toMatch(
        /^downloaded 4 media \(0 already there\), 4 annotations into .*; top hash [0-9a-f]{64}\n$/,
      );
      await run('upload', dir, '--name', 'copy');
      expect(out.pop()).toMatch(/^project "copy" \([0-9a-f]{24}\): uploaded 4 media/);
      await run('projects', 'list');
      expect(out.pop()).toContain('copy');
    } finally {
      await rm(dir, { recursive: true, force: true });
      delete process.env.SC_PASSWORD;
    }
  });

  it('a wrong password is one clear error without the password', async () => {
    const { run } = cli();
    const e = (await run('--password', 'wrong-Secret-1', 'login').catch((x: unknown) => x)) as Error;
    expect(e.message).toMatch(/authentication failed for user "admin"/);
    expect(e.message).not.toContain('wrong-Secret-1');
  });

  it('--version', async () => {
    const { out, run } = cli();
    await run('--version').catch(() => undefined);
    expect(out.join('')).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
