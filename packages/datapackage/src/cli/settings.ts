/** Option parsing shared by commands: registry resolution, JSON metadata arguments, the working folder's draft. */
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { JsonValue } from '@mlclients/package-core/json';
import { parseJson } from '@mlclients/package-core/json';
import { writeFileAtomic } from '@mlclients/package-core/storage';
import { Option } from 'commander';
import { PackageUsageError } from '../errors.js';
import { STATE_DIR } from '../local-tree.js';
import { Manifest } from '../manifest.js';
import { readManifest, writeManifest } from '../manifest-format.js';
import { PackageBuilder } from '../package-builder.js';
import { PackageRegistry } from '../registry.js';

/** `--registry <url>`, worded the same on every command that takes it (read it with `openRegistry`). */
export function registryOption(): Option {
  return new Option('--registry <url>', 'registry: path, file://, s3://bucket[/prefix]');
}

/** `--dir <dir>`: the working folder of the draft commands, the current folder by default. */
export function dirOption(): Option {
  return new Option('--dir <dir>', 'working folder').default('.');
}

/** The `--registry` value, else `MLC_DATAPKG_REGISTRY`, else quilt3's local registry (PackageRegistry.open decides). */
export async function openRegistry(option: string | undefined): Promise<PackageRegistry> {
  return PackageRegistry.open(option);
}

/**
 * A JSON option value, parsed like quilt3 parses `--meta` (Python json): `1.0` stays a float and big ints stay exact,
 * where JSON.parse would turn them into `1` and a rounded number, and so change the package's top hash.
 */
export function parseJsonArgument(text: string, what: string): JsonValue {
  try {
    return parseJson(text);
  } catch (error) {
    throw new PackageUsageError(`${what} is not valid JSON: ${(error as Error).message}`);
  }
}

const DRAFT_FILE = 'draft.jsonl';

export function draftPath(dir: string): string {
  return join(resolve(dir), STATE_DIR, DRAFT_FILE);
}

/** The working folder's draft manifest (created by `init`), as a builder. */
export async function loadDraft(dir: string): Promise<PackageBuilder> {
  let text: Buffer;
  try {
    text = await readFile(draftPath(dir));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new PackageUsageError(`no draft package in ${resolve(dir)}: run 'datapkg init' there first`);
    }
    throw error;
  }
  return PackageBuilder.fromManifest(readManifest(text));
}

export async function saveDraft(dir: string, builder: PackageBuilder | Manifest): Promise<void> {
  const path = draftPath(dir);
  await mkdir(join(resolve(dir), STATE_DIR), { recursive: true });
  await writeFileAtomic(path, writeManifest(builder instanceof Manifest ? builder : builder.manifest()));
}
