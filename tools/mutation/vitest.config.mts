/**
 * The vitest config Stryker's vitest runner loads for every area: the area's package as root and only the area's
 * test files (src/mutate.mjs passes both through the environment, which Stryker's workers inherit). No type tests.
 * The area's setup files (the package's own: datapackage gives each test file its own state folder) run too.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = process.env.MUTATE_VITEST_ROOT;
const include = JSON.parse(process.env.MUTATE_VITEST_INCLUDE ?? '[]') as string[];
if (!root || include.length === 0) throw new Error('run this through `npm run mutate -- <area>`');

const setupFiles = JSON.parse(process.env.MUTATE_VITEST_SETUP ?? '[]') as string[];

export default defineConfig({
  root: fileURLToPath(new URL(`../../${root}`, import.meta.url)),
  resolve: { conditions: ['@mlclients/source'] },
  ssr: { resolve: { conditions: ['@mlclients/source'] } },
  test: { include, exclude: ['**/node_modules/**'], testTimeout: 30_000, setupFiles },
});
