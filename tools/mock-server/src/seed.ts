/**
 * `--seed FILE`: JSON `{ "<resource wire name>": [objects as the API returns them], "_tokens": ["..."] }`; a token
 * may also be `{ "token": "...", "project_id": 1 }`, the project a project token belongs to.
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
  const tokenProjects: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    if (key === '_tokens') {
      if (!Array.isArray(value)) throw new SeedError(`${where}: _tokens: expected an array`);
      tokens = value.map((t, i) => {
        if (typeof t === 'string' && t !== '') return t;
        const entry = t as { token?: unknown; project_id?: unknown } | null;
        const project = entry?.project_id;
        if (
          entry &&
          typeof entry === 'object' &&
          typeof entry.token === 'string' &&
          entry.token !== '' &&
          (typeof project === 'number' || typeof project === 'string')
        ) {
          tokenProjects[entry.token] = project;
          return entry.token;
        }
        throw new SeedError(
          `${where}: _tokens[${i}]: expected a non-empty string or { "token", "project_id" }`,
        );
      });
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
  return {
    resources,
    ...(tokens ? { tokens } : {}),
    ...(Object.keys(tokenProjects).length ? { tokenProjects } : {}),
  };
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
