/**
 * The `datapkg` CLI on 10,000 small files (200 B to 4 KiB, as issue 11 measures it) against the system tools on the
 * same folder, all measured in this run (page cache warm, fresh registry/destination/cache every run):
 * - `datapkg push` to a local registry and `datapkg install` from it: target <= 3x `cp -r` of the folder;
 * - `datapkg hash` of the folder (no stat cache): target <= 3x `sha256sum` of every file (`find | xargs sha256sum`).
 * Rounds interleave baseline and contenders (cp, sha256sum, hash, push, install, then again), and each ratio is the
 * median of the per-round ratios: creating files on ext4 slows down for minutes after many were deleted or created,
 * so a baseline timed minutes apart from its contender (as "best of 3 each, one after the other" did) measured the
 * file system's mood, not datapkg. Nothing is deleted until the end, for the same reason.
 * The CLI runs as users run it: the built bin (`npm run bench` builds first), or from source with tsx when there is
 * no build (or with BENCH_DATAPKG_FROM_SOURCE=1). Temp files live under os.tmpdir() and are always removed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from './median.js';

const FILES = 10_000;
const ROUNDS = 5;
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

const seconds = (xs: readonly number[]) => `${median(xs).toFixed(2)} s (best ${Math.min(...xs).toFixed(2)})`;

export default async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'bench-datapkg-cli-'));
  try {
    const src = join(work, 'src');
    const total = await writeTree(src);
    const cli = cliCommand();
    console.log(
      `${FILES} files, ${(total / 1e6).toFixed(1)} MB; datapkg = ${cli.how}; ${ROUNDS} interleaved rounds`,
    );
    // Every run gets fresh folders (destination, registry, cache, install state); all are removed at the end.
    const scratch = (name: string, i: number) => join(work, `${name}-${i}`);
    const env = (name: string, i: number): NodeJS.ProcessEnv => ({
      MLC_DATAPKG_CACHE_DIR: scratch(`${name}-cache`, i),
      MLC_DATAPKG_STATE_DIR: scratch(`${name}-state`, i),
    });
    run(['cp', '-r', src, scratch('warm', 0)]); // page cache warm for everyone
    const registry = (i: number) => pathToFileURL(scratch('registry', i)).href;
    const times = {
      cp: [] as number[],
      sha: [] as number[],
      hash: [] as number[],
      push: [] as number[],
      install: [] as number[],
    };
    for (let i = 0; i < ROUNDS; i++) {
      times.cp.push(run(['cp', '-r', src, scratch('cp', i)]));
      times.sha.push(
        run([
          'bash',
          '-c',
          'find "$1" -type f -print0 | xargs -0 sha256sum >/dev/null',
          'sha256sum-all',
          src,
        ]),
      );
      times.hash.push(run([...cli.argv, 'hash', src], env('hash', i)));
      times.push.push(
        run([...cli.argv, 'push', 'bench/small', '--dir', src, '--registry', registry(i)], env('push', i)),
      );
      times.install.push(
        run(
          [...cli.argv, 'install', 'bench/small', '--registry', registry(0), '--dest', scratch('dest', i)],
          env('install', i),
        ),
      );
    }
    const ratio = (xs: number[], base: number[]) => median(xs.map((x, i) => x / (base[i] as number)));
    console.log(`cp -r:                         ${seconds(times.cp)}  [baseline]`);
    console.log(`sha256sum of every file:       ${seconds(times.sha)}  [baseline]`);
    console.log(
      `datapkg hash:                  ${seconds(times.hash)}  ${verdict(ratio(times.hash, times.sha), 3)} sha256sum`,
    );
    console.log(
      `datapkg push (local registry): ${seconds(times.push)}  ${verdict(ratio(times.push, times.cp), 3)} cp -r`,
    );
    console.log(
      `datapkg install (local):       ${seconds(times.install)}  ${verdict(ratio(times.install, times.cp), 3)} cp -r`,
    );
    console.log('(times: median of the rounds; ratios: median of the per-round ratios)');
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
