#!/usr/bin/env node
/**
 * prepack/postpack of every published package: `@mlclients/source` is a condition for this repository only (tsc,
 * vitest and tsx resolve it to src/*.ts), so it must not reach a published package.json, where it would point a
 * consumer that happens to set it at TypeScript files that are not shipped.
 *
 *   prepack:  node ../../tools/packaging/src/strip-source-condition.mjs           (keeps package.json as .pack-backup)
 *   postpack: node ../../tools/packaging/src/strip-source-condition.mjs --restore
 *
 * npm has no publishConfig override for `exports` (pnpm does), hence the rewrite. A backup left by an interrupted
 * pack is restored first, so running it twice never loses the condition.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

const MANIFEST = 'package.json';
const BACKUP = 'package.json.pack-backup';
const CONDITION = '@mlclients/source';

function withoutCondition(value) {
  if (Array.isArray(value)) return value.map(withoutCondition);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== CONDITION)
      .map(([key, inner]) => [key, withoutCondition(inner)]),
  );
}

if (existsSync(BACKUP)) renameSync(BACKUP, MANIFEST);
if (!process.argv.includes('--restore')) {
  const text = readFileSync(MANIFEST, 'utf8');
  const manifest = JSON.parse(text);
  writeFileSync(BACKUP, text);
  for (const field of ['exports', 'imports']) {
    if (manifest[field] !== undefined) manifest[field] = withoutCondition(manifest[field]);
  }
  writeFileSync(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
}
