/**
 * `npm run bench`: imports every `bench/*.bench.ts` module and awaits its default export, one after another (never
 * in parallel: they measure time). Pass name fragments to run a subset: `npm run bench -- runtime`.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { default?: () => unknown };
  if (typeof mod.default !== 'function') {
    console.log(`(${file} has no default export; skipped)`);
    continue;
  }
  await mod.default();
}
