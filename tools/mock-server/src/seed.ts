/**
 * `--seed FILE`: JSON `{ "<resource wire name>": [objects as the API returns them], "_tokens": ["..."] }`.
 * Checked whole before the server starts, so a bad file fails with the field named, not with a half-seeded fake.
 */
import { readFile } from 'node:fs/promises';
import type { Seed } from './registry.js';

/** A seed file that cannot be used; the message names the file and the field. */
export class SeedError extends Error {
  override name = 'SeedError';
}

/** Check a parsed seed against the service's resource names. */
export function parseSeed(input: unknown, resourceNames: readonly string[], where = 'seed'): Seed {
  if (!input || typeof input !== 'object' || Array.isArray(input))
    throw new SeedError(`${where}: expected a JSON object of resource name -> array of objects`);
  const known = new Set(resourceNames);
  const resources: Record<string, Record<string, unknown>[]> = {};
  let tokens: string[] | undefined;
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    if (key === '_tokens') {
      if (!Array.isArray(value) || value.some((t) => typeof t !== 'string' || t === ''))
        throw new SeedError(`${where}: _tokens: expected an array of non-empty strings`);
      tokens = value as string[];
      continue;
    }
    if (!known.has(key))
      throw new SeedError(`${where}: ${key}: unknown resource (known: ${[...known].sort().join(', ')})`);
    if (!Array.isArray(value)) throw new SeedError(`${where}: ${key}: expected an array of objects`);
    value.forEach((item, i) => {
      if (!item || typeof item !== 'object' || Array.isArray(item))
        throw new SeedError(`${where}: ${key}[${i}]: expected an object`);
    });
    resources[key] = value as Record<string, unknown>[];
  }
  return { resources, ...(tokens ? { tokens } : {}) };
}

/** Read and check a seed file. */
export async function readSeedFile(path: string, resourceNames: readonly string[]): Promise<Seed> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new SeedError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SeedError(`${path}: not JSON (${(error as Error).message})`);
  }
  return parseSeed(parsed, resourceNames, path);
}
