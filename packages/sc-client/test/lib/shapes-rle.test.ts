/** Coordinates (normalized <-> pixels) and COCO RLE masks -> polygons. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCounts, decodeRle, maskToPolygons } from '../../src/lib/rle.js';
import { toPixels, toServer } from '../../src/lib/shapes.js';

describe('coordinates', () => {
  it('the recorded unit fixture: rect 0.05,0.1,0.9,0.8 on 1000x2000 <-> 50,200,900,1600; polygon likewise', () => {
    expect(
      toPixels({ type: 'RECTANGLE', x: 0.05, y: 0.1, width: 0.9, height: 0.8 }, 1000, 2000, 'normalized'),
    ).toEqual({ type: 'RECTANGLE', x: 50, y: 200, width: 900, height: 1600 });
    const poly = {
      type: 'POLYGON' as const,
      points: [
        { x: 100, y: 400 },
        { x: 100, y: 800 },
        { x: 500, y: 800 },
        { x: 500, y: 400 },
      ],
    };
    expect(toServer(poly, 1000, 2000, 'normalized')).toEqual({
      type: 'POLYGON',
      points: [
        { x: 0.1, y: 0.2 },
        { x: 0.1, y: 0.4 },
        { x: 0.5, y: 0.4 },
        { x: 0.5, y: 0.2 },
      ],
    });
    expect(toServer(poly, 1000, 2000, 'pixels')).toBe(poly);
  });

  it('whole-pixel rectangles survive pixels -> normalized -> pixels on any image (a backup round trip is stable)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        (w, h, a, b, c, d) => {
          const x = a % w;
          const y = b % h;
          const rect = {
            type: 'RECTANGLE' as const,
            x,
            y,
            width: 1 + (c % (w - x)),
            height: 1 + (d % (h - y)),
          };
          if (rect.x + rect.width > w || rect.y + rect.height > h) return;
          expect(toPixels(toServer(rect, w, h, 'normalized'), w, h, 'normalized')).toEqual(rect);
        },
      ),
    );
  });
});

describe('RLE', () => {
  it('decodes column-major counts and traces the region outline', () => {
    // 4x6 (h x w) mask with a 2x3 block at rows 1-2, cols 2-4; column-major runs.
    const h = 4;
    const w = 6;
    const mask = new Uint8Array(h * w);
    for (let r = 1; r <= 2; r++) for (let c = 2; c <= 4; c++) mask[r * w + c] = 1;
    const counts: number[] = [];
    let run = 0;
    let value = 0;
    for (let c = 0; c < w; c++) {
      for (let r = 0; r < h; r++) {
        const v = mask[r * w + c] as number;
        if (v !== value) {
          counts.push(run);
          run = 0;
          value = v;
        }
        run++;
      }
    }
    counts.push(run);
    expect(decodeRle({ size: [h, w], counts })).toEqual(mask);
    const [polygon] = maskToPolygons(mask, w, h);
    const xs = (polygon ?? []).map((p) => p.x);
    const ys = (polygon ?? []).map((p) => p.y);
    // The traced outline encloses the block (marching squares at 0.5 passes half a pixel outside the centres).
    expect([Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)]).toEqual([2, 5, 1, 3]);
  });

  it('decodes pycocotools compressed counts (rleToString form)', () => {
    // encode [3, 5, 2, 40] the way pycocotools does (differences from counts[i-2] for i > 2, 5-bit groups + 48)
    const encode = (cnts: number[]) => {
      let s = '';
      cnts.forEach((c, i) => {
        let x = i > 2 ? c - (cnts[i - 2] as number) : c;
        let more = 1;
        while (more) {
          let ch = x & 0x1f;
          x >>= 5;
          more = ch & 0x10 ? Number(x !== -1) : Number(x !== 0);
          if (more) ch |= 0x20;
          s += String.fromCharCode(ch + 48);
        }
      });
      return s;
    };
    for (const counts of [
      [3, 5, 2, 40],
      [0, 17, 1, 1, 100, 2],
      [1000, 3, 999, 4],
    ])
      expect(decodeCounts(encode(counts))).toEqual(counts);
  });
});
