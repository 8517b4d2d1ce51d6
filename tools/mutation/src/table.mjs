#!/usr/bin/env node
/**
 * node tools/mutation/src/table.mjs [area...]: the per-file table (mutants, killed, survived, no coverage, score)
 * from each area's reports/<area>/mutation.json, as Markdown, followed by every surviving or uncovered mutant
 * (file:line, mutator, replacement) so each can be judged equivalent or a gap.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { areas } from './areas.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const names = Object.keys(areas).filter(
  (k) => wanted.length === 0 || wanted.some((w) => k === w || k.startsWith(`${w}/`)),
);
const rows = [
  '| file | mutants | killed | timeout | survived | no coverage | score |',
  '| --- | --: | --: | --: | --: | --: | --: |',
];
const left = [];
for (const name of names) {
  const file = path.join(here, '..', 'reports', name, 'mutation.json');
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const ranges = lineRanges(areas[name].mutate);
  for (const [source, { mutants: all }] of Object.entries(report.files)) {
    // An area that mutates part of a file (`file:from-to`): Stryker lists the rest as uncovered; leave it out.
    const within = ranges.get(source);
    const mutants = within
      ? all.filter((m) =>
          within.some(([from, to]) => m.location.start.line >= from && m.location.start.line <= to),
        )
      : all;
    const label = within ? `${source}:${within.map((r) => r.join('-')).join(',')}` : source;
    const count = (s) => mutants.filter((m) => m.status === s).length;
    const valid = mutants.filter((m) => !['CompileError', 'RuntimeError', 'Ignored'].includes(m.status));
    const killed = count('Killed');
    const timeout = count('Timeout');
    const survived = count('Survived');
    const noCoverage = count('NoCoverage');
    const score = valid.length ? ((100 * (killed + timeout)) / valid.length).toFixed(1) : 'n/a';
    rows.push(
      `| ${label} | ${valid.length} | ${killed} | ${timeout} | ${survived} | ${noCoverage} | ${score}% |`,
    );
    for (const m of mutants.filter((x) => x.status === 'Survived' || x.status === 'NoCoverage')) {
      const replacement = (m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 80);
      left.push(`- ${source}:${m.location.start.line} ${m.status} ${m.mutatorName}: \`${replacement}\``);
    }
  }
}
console.log(rows.join('\n'));

/** `path:from-to` entries of an area's `mutate` -> path -> [[from, to], ...]. */
function lineRanges(globs) {
  const out = new Map();
  for (const glob of globs) {
    const match = /^(.*):(\d+)-(\d+)$/.exec(glob);
    if (!match) continue;
    const [, source, from, to] = match;
    out.set(source, [...(out.get(source) ?? []), [Number(from), Number(to)]]);
  }
  return out;
}
if (left.length) console.log(`\nSurvivors and uncovered mutants:\n${left.join('\n')}`);
