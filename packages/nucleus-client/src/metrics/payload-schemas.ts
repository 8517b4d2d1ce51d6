import * as z from 'zod/mini';
import { MetricValueError } from './errors.js';

/**
 * Shape checks for the payloads a metric reads, so bad input fails with the field named
 * (`predictions[3].geometry.width: expected number`) instead of a TypeError deep inside the geometry.
 * Extra fields pass through untouched.
 */
const num = z.number();
const vertex = z.looseObject({ x: num, y: num });
const point3 = z.looseObject({ x: num, y: num, z: num });
const common = {
  reference_id: z.string(),
  confidence: z.optional(z.nullable(num)),
};

const schemas: Record<string, z.ZodMiniType> = {
  box: z.looseObject({
    ...common,
    label: z.string(),
    geometry: z.looseObject({ x: num, y: num, width: num, height: num }),
  }),
  polygon: z.looseObject({
    ...common,
    label: z.string(),
    geometry: z.looseObject({ vertices: z.array(vertex) }),
  }),
  cuboid: z.looseObject({
    ...common,
    label: z.string(),
    geometry: z.looseObject({ position: point3, dimensions: point3, yaw: num }),
  }),
  category: z.looseObject({
    ...common,
    label: z.string(),
    taxonomy_name: z.optional(z.nullable(z.string())),
  }),
  segmentation: z.looseObject({
    ...common,
    mask_url: z.string(),
    annotations: z.array(
      z.looseObject({ label: z.string(), index: z.number().check(z.int(), z.nonnegative()) }),
    ),
  }),
};

const isNum = (v: unknown) => typeof v === 'number';
const isConfidence = (v: unknown) => v === undefined || v === null || typeof v === 'number';

/**
 * Allocation-free acceptance of a well-formed box (the bulk of detection data); anything it does not accept goes
 * to the zod schema, which decides and words the error.
 */
function plainBox(p: Record<string, unknown>): boolean {
  const g = p.geometry as Record<string, unknown> | null | undefined;
  return (
    typeof p.label === 'string' &&
    typeof p.reference_id === 'string' &&
    isConfidence(p.confidence) &&
    typeof g === 'object' &&
    g !== null &&
    isNum(g.x) &&
    isNum(g.y) &&
    isNum(g.width) &&
    isNum(g.height)
  );
}

/** Throw a MetricValueError naming the first bad field of `payload` (if its type is one the metrics read). */
export function checkPayload(kind: string, payload: unknown, where: string): void {
  if (kind === 'box' && plainBox(payload as Record<string, unknown>)) return;
  const schema = schemas[kind];
  if (!schema) return;
  const result = z.safeParse(schema, payload);
  if (result.success) return;
  const issue = result.error.issues[0]!;
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  let got: unknown = payload;
  for (const key of issue.path) got = (got as Record<PropertyKey, unknown> | undefined)?.[key];
  const shown =
    got === undefined ? 'nothing' : got === null ? 'null' : Array.isArray(got) ? 'an array' : typeof got;
  const message =
    issue.code === 'invalid_type'
      ? `expected ${issue.expected}, got ${shown}`
      : issue.code === 'too_small'
        ? `expected a value >= ${String((issue as { minimum?: unknown }).minimum)}, got ${String(got)}`
        : `invalid value ${JSON.stringify(got)} (${issue.code})`;
  throw new MetricValueError(`${where}${path}: ${message}`);
}
