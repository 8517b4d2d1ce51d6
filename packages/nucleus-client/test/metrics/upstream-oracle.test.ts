import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Metric, ScalarResult, WirePayload } from '../../src/metrics/index.js';
import * as metrics from '../../src/metrics/index.js';

interface Case {
  name: string;
  metric: string;
  options: Record<string, unknown>;
  annotations: WirePayload[];
  predictions: WirePayload[];
  value?: number | null;
  weight?: number;
  error?: string;
  message?: string;
}
const oracle = JSON.parse(
  readFileSync(fileURLToPath(new URL('./vectors/upstream-oracle.json', import.meta.url)), 'utf8'),
) as { upstream: string; cases: Case[] };

const camel = (s: string) =>
  s === 'iou_2d' ? 'iou2d' : s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function build(c: Case): Metric<ScalarResult> {
  const options = Object.fromEntries(Object.entries(c.options).map(([k, v]) => [camel(k), v]));
  const Ctor = (metrics as unknown as Record<string, new (o: unknown) => Metric<ScalarResult>>)[c.metric]!;
  return new Ctor({ ...options, onWarning: () => {} });
}

describe(`the upstream Python metrics (${oracle.upstream}) run on the same inputs`, () => {
  for (const c of oracle.cases) {
    it(`${c.name}: ${c.metric}(${JSON.stringify(c.options)}) -> ${c.error ?? `${c.value}, weight ${c.weight}`}`, () => {
      const metric = build(c);
      if (c.error) {
        expect(() => metric.call(c.annotations, c.predictions)).toThrow(
          expect.objectContaining({ pythonName: c.error }),
        );
        return;
      }
      const r = metric.call(c.annotations, c.predictions) as ScalarResult;
      // pytest.approx default: relative 1e-6 (absolute 1e-12)
      const close = (a: number, b: number) => Math.abs(a - b) <= Math.max(1e-6 * Math.abs(b), 1e-12);
      expect(close(r.value, c.value ?? Number.NaN), `value ${r.value} vs ${c.value}`).toBe(true);
      expect(close(r.weight, c.weight!), `weight ${r.weight} vs ${c.weight}`).toBe(true);
    });
  }
});
