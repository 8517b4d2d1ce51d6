/**
 * `datapkg hash DIR`: the top hash the folder's package has now (datapackage/directory-hash.ts), and
 * `datapkg hash --manifest FILE`: the top hash of a manifest file. Only the hash goes to stdout.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { createContext, withFileHasher } from '../../context.js';
import { hashDirectory } from '../../directory-hash.js';
import { readManifest } from '../../manifest-format.js';
import { computeTopHash } from '../../top-hash.js';
import { printJson, printLine, progressBar } from '../output.js';
import type { GlobalOptions } from './global-options.js';

export function registerHash(program: Command, globals: () => GlobalOptions): void {
  program
    .command('hash')
    .description("print a folder's package top hash, or a manifest file's (--manifest)")
    .argument('[dir]', 'folder', '.')
    .option('--manifest <file>', 'hash this manifest file instead')
    .action(async (dir: string, options: { manifest?: string }) => {
      let topHash: string;
      if (options.manifest) {
        topHash = computeTopHash(readManifest(await readFile(options.manifest)));
      } else {
        const bar = progressBar('hash', globals());
        // No bar, no callback: hashing then needs no size of every file up front (one pass per file).
        topHash = await withFileHasher(createContext(), (hasher) =>
          hashDirectory(dir, hasher, bar.active ? bar.update : undefined),
        ).finally(bar.stop);
      }
      if (globals().json) printJson({ topHash });
      else printLine(topHash);
    });
}
