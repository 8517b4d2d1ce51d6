/**
 * Nucleus metrics, computed locally: the same numbers as Nucleus's Validate eval functions (and the Python client's
 * `nucleus.metrics`), on the same wire payloads. Here: PolygonMAP of a detector's boxes against ground truth, over
 * 100 items streamed through `evaluate` (running sums only, so memory does not grow with the number of items).
 */
import { type BoxPayload, evaluate, type ItemPair, PolygonMAP } from '@mlclients/nucleus-client/metrics';
import { runAsProgram } from './support/run.js';

const box = (item: string, label: string, x: number, y: number, confidence?: number): BoxPayload => ({
  type: 'box',
  label,
  reference_id: item,
  geometry: { x, y, width: 40, height: 30 },
  ...(confidence === undefined ? {} : { confidence }),
});

/** Ground truth: a car and a person per item. The "detector" finds the car slightly off, and the person only on even items. */
function* pairs(): Generator<ItemPair> {
  for (let i = 0; i < 100; i++) {
    const item = `car-${i}`;
    yield {
      annotations: [box(item, 'car', 10, 10), box(item, 'person', 200, 120)],
      predictions: [
        box(item, 'car', 10 + (i % 7), 12, 0.9),
        ...(i % 2 === 0 ? [box(item, 'person', 203, 118, 0.7)] : [box(item, 'person', 400, 300, 0.4)]),
      ],
    };
  }
}

export async function nucleusMetrics(): Promise<string> {
  const map = await evaluate(new PolygonMAP(), pairs());
  return `nucleus metrics: PolygonMAP over ${map.items} items = ${map.value.toFixed(4)} (computed locally, no server call)`;
}

await runAsProgram(import.meta.url, nucleusMetrics);
