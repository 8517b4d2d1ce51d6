import { describe, expect, it } from 'vitest';
import {
  CuboidIOU,
  MetricValueError,
  PolygonAnnotationTypeError,
  PolygonIOU,
  SegmentationIOU,
  toShape,
} from '../../src/metrics/index.js';
import { box } from './helpers/fixtures.js';

describe('bad payloads fail before any computation, naming the field', () => {
  const good = [box('a', 0, 0, 10, 10)];
  it.each([
    [
      { ...good[0]!, geometry: { x: 0, y: 0, width: '10', height: 10 } },
      /annotations\[0\]\.geometry\.width: expected number, got string/,
    ],
    [
      { type: 'box', label: 'a', reference_id: 'r' },
      /annotations\[0\]\.geometry: expected object, got nothing/,
    ],
    [
      { type: 'polygon', label: 'a', reference_id: 'r', geometry: { vertices: [{ x: 0, y: 0 }, { x: 1 }] } },
      /vertices\[1\]\.y: expected number/,
    ],
    [{ ...good[0]!, label: 3 }, /annotations\[0\]\.label: expected string, got number/],
  ])('%#', (payload, message) => {
    expect(() => new PolygonIOU().call([payload as never], good)).toThrow(message);
  });

  it('names the prediction side and the position', () => {
    expect(() =>
      new PolygonIOU().call(good, [...good, { ...good[0]!, confidence: 'high' } as never]),
    ).toThrow(/predictions\[1\]\.confidence: expected number, got string/);
  });

  it('checks cuboids and mask segments', async () => {
    expect(() =>
      new CuboidIOU().call(
        [
          {
            type: 'cuboid',
            label: 'car',
            reference_id: 'p',
            geometry: { position: { x: 0, y: 0 }, dimensions: { x: 1, y: 1, z: 1 }, yaw: 0 },
          } as never,
        ],
        [],
      ),
    ).toThrow(/annotations\[0\]\.geometry\.position\.z: expected number/);
    await expect(
      new SegmentationIOU().call(
        [{ mask_url: 'm', reference_id: 'r', annotations: [{ label: 'a', index: -1 }] }],
        [],
      ),
    ).rejects.toThrow(MetricValueError);
  });

  it('a mask of the wrong size and a missing loader are named', async () => {
    const seg = [{ label: 'a', index: 0 }];
    const loader = { fetch: () => ({ width: 2, height: 2, data: [0, 0, 0] }) };
    await expect(
      new SegmentationIOU({ loader }).call(
        [{ mask_url: 'gt', reference_id: 'r', annotations: seg }],
        [{ mask_url: 'pr', reference_id: 'r', annotations: seg }],
      ),
    ).rejects.toThrow(/mask gt: expected 4 values for 2x2x1, got 3/);
    await expect(
      new SegmentationIOU().call(
        [{ mask_url: 'gt', reference_id: 'r', annotations: seg }],
        [{ mask_url: 'pr', reference_id: 'r', annotations: seg }],
      ),
    ).rejects.toThrow(/loader: a mask loader is needed to read gt/);
  });

  it('a shape that is neither box nor polygon raises PolygonAnnotationTypeError, as upstream', () => {
    const line = { type: 'line', label: 'a', reference_id: 'r', geometry: { vertices: [] } };
    expect(() => toShape(line as never, 'faithful')).toThrow(PolygonAnnotationTypeError);
    expect(() => toShape(line as never, 'faithful')).toThrow(
      "Annotation was expected to be of type 'BoxAnnotation' or 'PolygonAnnotation'.",
    );
  });
});
