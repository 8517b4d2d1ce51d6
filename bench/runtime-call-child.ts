/**
 * One contender of runtime.bench.ts's per-call measurement, in a process of its own:
 * `node child.mjs <contender> <warm-up ms> <ms>` runs `client.widgets.get('w1')` (or the bare openapi-fetch / raw
 * fetch equivalent) on a stubbed fetch for `warm-up ms` of CPU, then for `ms` of CPU, and prints
 * `{"calls":N,"cpuMs":T}` of the second part. The warm-up must last until V8 has compiled the hot code (about 2 s of
 * CPU here): `process.cpuUsage()` counts the compiler's threads too, so a short warm-up measures compilation.
 *
 * Why a process per contender: in one process the contenders share openapi-fetch's `coreFetch` (each makes it see
 * other argument shapes, so V8 optimises it for none of them) and each collects the garbage the previous one left. A
 * user runs one client, not five, so each is measured alone. runtime.bench.ts bundles this file with esbuild, the way
 * `npm run build` compiles the packages, so the child runs no TypeScript loader.
 */
import createFetchClient from 'openapi-fetch';
import type { paths } from '../packages/package-core/test/generated/index.js';
import { GeneratedPackageCoreTestClient } from '../packages/package-core/test/generated/index.js';

const BASE = 'http://bench.local/v1';
/** What every contender must return (runtime.bench.ts checks it before measuring). */
const WIDGET = { id: 'w1', name: 'widget', score: 1.5, tags: ['a', 'b'], owner: null };

/** The stub: a fresh JSON response, resolved on the next tick. */
const stubFetch = (async () => {
  await Promise.resolve();
  return Response.json(WIDGET);
}) as unknown as typeof fetch;

function contender(name: string): () => Promise<unknown> {
  switch (name) {
    case 'raw fetch':
      return async () => (await stubFetch(`${BASE}/widgets/w1`)).json();
    case 'bare openapi-fetch': {
      const bare = createFetchClient<paths>({ baseUrl: BASE, fetch: stubFetch });
      return async () =>
        (await bare.GET('/widgets/{widget_id}', { params: { path: { widget_id: 'w1' } } })).data;
    }
    default: {
      const validate = (
        { 'validate off': 'off', "validate 'warn'": 'warn', "validate 'error'": 'error' } as const
      )[name.replace(/^runtime, /, '')];
      if (!validate) throw new Error(`unknown contender ${name}`);
      const client = new GeneratedPackageCoreTestClient({ baseUrl: BASE, fetch: stubFetch, validate });
      return () => client.widgets.get('w1');
    }
  }
}

/** Calls made in `ms` milliseconds of this process's CPU time (user + system). */
async function callsIn(fn: () => Promise<unknown>, ms: number): Promise<{ calls: number; cpuMs: number }> {
  // Batches, so the clock is read rarely.
  const BATCH = 64;
  let calls = 0;
  const start = process.cpuUsage();
  let cpuMs = 0;
  while (cpuMs < ms) {
    for (let i = 0; i < BATCH; i++) await fn();
    calls += BATCH;
    const used = process.cpuUsage(start);
    cpuMs = (used.user + used.system) / 1000;
  }
  return { calls, cpuMs };
}

const [name = '', warmUpMs = '0', ms = '0'] = process.argv.slice(2);
const fn = contender(name);
if (ms === '0') {
  process.stdout.write(JSON.stringify(await fn()));
} else {
  await callsIn(fn, Number(warmUpMs));
  process.stdout.write(JSON.stringify(await callsIn(fn, Number(ms))));
}
