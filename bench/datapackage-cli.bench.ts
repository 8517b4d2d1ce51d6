/**
 * The `datapkg` CLI on 10,000 small files (200 B to 4 KiB, as issue 11 measures it) against the system tools on the
 * same folder, all measured in this run (best of 3, page cache warm, fresh registry/destination/cache every run):
 * - `datapkg push` to a local registry and `datapkg install` from it: target <= 3x `cp -r` of the folder;
 * - `datapkg hash` of the folder (no stat cache): target <= 3x `sha256sum` of every file (`find | xargs sha256sum`).
 * The CLI runs as users run it: the built bin (`npm run bench` builds first), or from source with tsx when there is
 * no build (or with BENCH_DATAPKG_FROM_SOURCE=1). Temp files live under os.tmpdir() and are always removed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const FILES = 10_000;
const RUNS = 3;
const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = resolve(here, '../packages/datapackage');
const built = join(packageRoot, 'dist/cli/main.js');

/** The argv that starts the CLI: the build when there is one, else the sources through tsx. */
function cliCommand(): { argv: string[]; how: string } {
  // BENCH_DATAPKG_BIN: a copy of the built CLI elsewhere (a dist/ other builds do not replace mid-run).
  const bin = process.env.BENCH_DATAPKG_BIN;
  if (bin) return { argv: [process.execPath, resolve(bin)], how: `built bin (${bin})` };
  if (existsSync(built) && !process.env.BENCH_DATAPKG_FROM_SOURCE)
    return { argv: [process.execPath, built], how: 'built bin (dist/cli/main.js)' };
  return {
    argv: [
      process.execPath,
      '--conditions=@mlclients/source',
      '--import',
      'tsx',
      join(packageRoot, 'src/cli/main.ts'),
    ],
    how: 'sources through tsx (no build found)',
  };
}

function run(argv: string[], env: NodeJS.ProcessEnv = {}): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(argv[0] as string, argv.slice(1), {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) {
    throw new Error(`${argv.slice(-4).join(' ')} failed (${result.status}): ${result.stderr.slice(-2000)}`);
  }
  return seconds;
}

/** Best of RUNS; `prepare` runs untimed before each run (fresh destination, registry, cache). */
async function best(
  prepare: (i: number) => Promise<string[]>,
  env: (i: number) => NodeJS.ProcessEnv = () => ({}),
) {
  let fastest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < RUNS; i++) fastest = Math.min(fastest, run(await prepare(i), env(i)));
  return fastest;
}

/** 10,000 files of 200 B to 4 KiB with distinct content, 100 folders. Returns the total size. */
async function writeTree(root: string): Promise<number> {
  let total = 0;
  for (let d = 0; d < 100; d++) await mkdir(join(root, `d${d}`), { recursive: true });
  for (let i = 0; i < FILES; i++) {
    const size = 200 + ((i * 7919) % (4096 - 200 + 1));
    const data = Buffer.alloc(size, `file ${i} of the bench tree\n`);
    await writeFile(join(root, `d${i % 100}`, `f${i}.txt`), data);
    total += size;
  }
  return total;
}

function verdict(ratio: number, target: number): string {
  return `${ratio.toFixed(2)}x (target <= ${target}x) ${ratio <= target ? 'OK' : 'ABOVE TARGET'}`;
}

export default async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'bench-datapkg-cli-'));
  try {
    const src = join(work, 'src');
    const total = await writeTree(src);
    const cli = cliCommand();
    console.log(`${FILES} files, ${(total / 1e6).toFixed(1)} MB; datapkg = ${cli.how}; best of ${RUNS}`);
    const scratch = (name: string, i: number) => join(work, `${name}-${i}`);
    const cache = (name: string) => (i: number) => ({
      MLC_DATAPKG_CACHE_DIR: scratch(`${name}-cache`, i),
      MLC_DATAPKG_STATE_DIR: scratch(`${name}-state`, i), // install records, removed with the rest
    });
    const clean = async (...paths: string[]) => {
      for (const path of paths) await rm(path, { recursive: true, force: true });
    };
    run(['cp', '-r', src, scratch('warm', 0)]); // page cache warm for everyone

    const cp = await best(async (i) => {
      await clean(scratch('cp', i));
      return ['cp', '-r', src, scratch('cp', i)];
    });
    const sha = await best(async () => [
      'bash',
      '-c',
      'find "$1" -type f -print0 | xargs -0 sha256sum >/dev/null',
      'sha256sum-all',
      src,
    ]);
    console.log(`cp -r:                         ${cp.toFixed(2)} s  [baseline]`);
    console.log(`sha256sum of every file:       ${sha.toFixed(2)} s  [baseline]`);

    const hash = await best(async () => [...cli.argv, 'hash', src], cache('hash'));
    console.log(`datapkg hash:                  ${hash.toFixed(2)} s  ${verdict(hash / sha, 3)} sha256sum`);

    const registry = (i: number) => pathToFileURL(scratch('registry', i)).href;
    const push = await best(async (i) => {
      await clean(scratch('registry', i));
      return [...cli.argv, 'push', 'bench/small', '--dir', src, '--registry', registry(i)];
    }, cache('push'));
    console.log(`datapkg push (local registry): ${push.toFixed(2)} s  ${verdict(push / cp, 3)} cp -r`);

    const install = await best(async (i) => {
      await clean(scratch('dest', i), scratch('install-cache', i));
      return [...cli.argv, 'install', 'bench/small', '--registry', registry(0), '--dest', scratch('dest', i)];
    }, cache('install'));
    console.log(`datapkg install (local):       ${install.toFixed(2)} s  ${verdict(install / cp, 3)} cp -r`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
