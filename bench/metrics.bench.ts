/**
 * Benchmark of `@mlclients/nucleus-client/metrics` (issue 13): `PolygonMAP` over 10,000 items x 20 ground-truth
 * boxes and 20 predicted boxes each, streamed through `evaluate()`, in items/s, against a plain greedy-matching
 * mAP loop (sort by confidence, each prediction takes its best free annotation, VOC all-point AP) on the same
 * items in the same run as the baseline; and the peak heap while streaming. Items are generated on the fly
 * from a seeded PRNG so neither contender holds the dataset. Rounds alternate; the median is reported.
 */
import {
  type BoxPayload,
  evaluate,
  type ItemPair,
  PolygonMAP,
} from '../packages/nucleus-client/src/metrics/index.js';
import { median } from './median.js';

const ITEMS = 10_000;
const BOXES = 20;
const ROUNDS = 3;
const LABELS = ['car', 'bus', 'person', 'bike'];

/** mulberry32: small deterministic PRNG. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function* items(seed = 13): Generator<[BoxPayload[], BoxPayload[]]> {
  const rand = prng(seed);
  for (let i = 0; i < ITEMS; i++) {
    const ref = `item-${i}`;
    const anns: BoxPayload[] = [];
    const preds: BoxPayload[] = [];
    for (let k = 0; k < BOXES; k++) {
      const label = LABELS[Math.floor(rand() * LABELS.length)]!;
      const g = { x: rand() * 600, y: rand() * 400, width: 20 + rand() * 80, height: 20 + rand() * 80 };
      anns.push({ type: 'box', label, reference_id: ref, geometry: g });
      const jitter = () => (rand() - 0.5) * 12;
      preds.push({
        type: 'box',
        label: rand() < 0.9 ? label : LABELS[Math.floor(rand() * LABELS.length)]!,
        reference_id: ref,
        geometry: {
          x: g.x + jitter(),
          y: g.y + jitter(),
          width: g.width + jitter(),
          height: g.height + jitter(),
        },
        confidence: Math.round(rand() * 100) / 100,
      });
    }
    yield [anns, preds];
  }
}

function boxIou(a: BoxPayload['geometry'], b: BoxPayload['geometry']): number {
  const w = Math.min(a.x + a.width / 2, b.x + b.width / 2) - Math.max(a.x - a.width / 2, b.x - b.width / 2);
  const h =
    Math.min(a.y + a.height / 2, b.y + b.height / 2) - Math.max(a.y - a.height / 2, b.y - b.height / 2);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

/** The baseline: per item and label, greedy matching by descending confidence, VOC all-point AP, mean over labels. */
function greedyMap(anns: BoxPayload[], preds: BoxPayload[]): number {
  const labels = new Set([...anns.map((a) => a.label), ...preds.map((p) => p.label)]);
  let sum = 0;
  for (const label of labels) {
    const gt = anns.filter((a) => a.label === label);
    const dt = preds
      .filter((p) => p.label === label)
      .sort((a, b) => (b.confidence ?? 0) - (a.confidence ?? 0));
    const used = new Uint8Array(gt.length);
    const precision: number[] = [];
    const recall: number[] = [];
    let tp = 0;
    dt.forEach((p, k) => {
      let best = -1;
      let bestIou = 0.5;
      gt.forEach((g, j) => {
        if (used[j]) return;
        const v = boxIou(g.geometry, p.geometry);
        if (v >= bestIou) {
          bestIou = v;
          best = j;
        }
      });
      if (best >= 0) {
        used[best] = 1;
        tp++;
      }
      precision.push(tp / (k + 1));
      recall.push(gt.length ? tp / gt.length : 0);
    });
    const mrec = [0, ...recall, 1];
    const mpre = [0, ...precision, 0];
    for (let i = mpre.length - 1; i > 0; i--) mpre[i - 1] = Math.max(mpre[i - 1]!, mpre[i]!);
    for (let i = 0; i < mrec.length - 1; i++)
      if (mrec[i + 1] !== mrec[i]) sum += (mrec[i + 1]! - mrec[i]!) * mpre[i + 1]!;
  }
  return labels.size ? sum / labels.size : 0;
}

async function runPolygonMap(): Promise<{ seconds: number; value: number; peakHeapMB: number }> {
  let peak = process.memoryUsage().heapUsed;
  const metric = new PolygonMAP({ onWarning: () => {} });
  const start = performance.now();
  const r = await evaluate(metric, items() as Iterable<ItemPair>, {
    onItem: (_r, i) => {
      if (i % 250 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    },
  });
  const seconds = (performance.now() - start) / 1000;
  return { seconds, value: r.value, peakHeapMB: peak / 2 ** 20 };
}

function runGreedy(): { seconds: number; value: number } {
  const start = performance.now();
  let sum = 0;
  let n = 0;
  for (const [anns, preds] of items()) {
    sum += greedyMap(anns, preds);
    n++;
  }
  return { seconds: (performance.now() - start) / 1000, value: sum / n };
}

export default async function main(): Promise<void> {
  const heapBefore = process.memoryUsage().heapUsed / 2 ** 20;
  const ours: number[] = [];
  const greedy: number[] = [];
  let peakHeapMB = 0;
  let values: [number, number] = [0, 0];
  for (let round = 0; round < ROUNDS; round++) {
    const a = await runPolygonMap();
    const b = runGreedy();
    ours.push(ITEMS / a.seconds);
    greedy.push(ITEMS / b.seconds);
    peakHeapMB = Math.max(peakHeapMB, a.peakHeapMB);
    values = [a.value, b.value];
  }
  const o = median(ours);
  const g = median(greedy);
  console.log(
    `PolygonMAP via evaluate(), ${ITEMS} items x ${BOXES}+${BOXES} boxes, median of ${ROUNDS} rounds`,
  );
  console.log(
    `  PolygonMAP (Hungarian, scipy tie-breaking):  ${o.toFixed(0).padStart(8)} items/s   mAP ${values[0].toFixed(4)}`,
  );
  console.log(
    `  plain greedy-matching loop (baseline):       ${g.toFixed(0).padStart(8)} items/s   mAP ${values[1].toFixed(4)}`,
  );
  console.log(`  ratio PolygonMAP / greedy: ${(o / g).toFixed(2)}x`);
  console.log(`  heap before ${heapBefore.toFixed(1)} MB, peak while streaming ${peakHeapMB.toFixed(1)} MB`);
}
