/**
 * Every recorded cassette is replayed through the client by some test of this folder (named there by its file
 * name): a cassette added to test/fixtures without a replay test fails here. Prints the count.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { cassetteNames } from '../helpers/cassettes.js';

const here = dirname(fileURLToPath(import.meta.url));

it('every SC cassette is replayed through ScClient', () => {
  const sources = readdirSync(here)
    .filter((f) => f.endsWith('.replay.test.ts'))
    .map((f) => readFileSync(`${here}/${f}`, 'utf8'));
  const names = cassetteNames();
  const replayed = names.filter((name) => sources.some((source) => source.includes(`'${name}'`)));
  console.log(`sc cassettes replayed through the client: ${replayed.length} of ${names.length}`);
  expect(names.filter((n) => !replayed.includes(n))).toEqual([]);
  expect(names).toHaveLength(19);
});
