/**
 * COCO instances JSON -> what a project needs (sc-api.md §7), validated as a whole before anything is sent: every
 * problem (an annotation whose `image_id` does not exist, an unknown `category_id`, a bbox outside its image, a
 * missing image file, a malformed field) becomes one line of ONE {@link DatasetValidationError}.
 *
 * Supported: COCO instances JSON (bbox, polygon and RLE segmentations). Other Datumaro formats (VOC, ImageNet,
 * Datumaro JSON) are not: no maintained JavaScript reader exists for them.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { DatasetValidationError } from '../errors.js';
import { decodeRle, maskToPolygons, type Rle } from './rle.js';

const CocoImage = z.object({
  id: z.number(),
  file_name: z.string().min(1),
  width: z.number().positive(),
  height: z.number().positive(),
});
const CocoCategory = z.object({ id: z.number(), name: z.string().min(1) });
const CocoAnnotation = z.object({
  id: z.number().optional(),
  image_id: z.number(),
  category_id: z.number(),
  bbox: z.array(z.number()).length(4).optional(),
  segmentation: z
    .union([
      z.array(z.array(z.number())),
      z.object({
        size: z.tuple([z.number(), z.number()]),
        counts: z.union([z.array(z.number()), z.string()]),
      }),
    ])
    .optional(),
  iscrowd: z.number().optional(),
});
const CocoFile = z.object({
  images: z.array(z.unknown()),
  categories: z.array(z.unknown()),
  annotations: z.array(z.unknown()),
});

/** One annotated object of a COCO image, in pixels. */
export interface DatasetObject {
  label: string;
  /** Pixel bbox `[x, y, w, h]`. */
  bbox: [number, number, number, number];
  /** Pixel polygons (from polygon or RLE segmentations); empty when the annotation has none. */
  polygons: { x: number; y: number }[][];
}

/** One image of a COCO dataset with its objects. */
export interface DatasetItem {
  /** File name (as in COCO `file_name`). */
  fileName: string;
  path: string;
  width: number;
  height: number;
  objects: DatasetObject[];
}

/** A validated COCO instances dataset: its labels and images. */
export interface Dataset {
  /** Category names in COCO order. */
  labels: string[];
  /** Images in COCO order (the upload order of the Python tool). */
  items: DatasetItem[];
}

/** Read and validate a COCO instances file against the images folder. Throws one error listing every problem. */
export async function readCocoDataset(annotationsPath: string, imagesPath: string): Promise<Dataset> {
  const problems: string[] = [];
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(annotationsPath, 'utf8'));
  } catch (err) {
    throw new DatasetValidationError(annotationsPath, [
      `cannot read the COCO file: ${(err as Error).message}`,
    ]);
  }
  const top = CocoFile.safeParse(raw);
  if (!top.success) {
    throw new DatasetValidationError(
      annotationsPath,
      top.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    );
  }
  const issue = (where: string, error: z.ZodError) =>
    error.issues.map((i) => `${where}${i.path.length ? `.${i.path.join('.')}` : ''}: ${i.message}`);

  const categories = new Map<number, string>();
  top.data.categories.forEach((c, i) => {
    const r = CocoCategory.safeParse(c);
    if (r.success) categories.set(r.data.id, r.data.name);
    else problems.push(...issue(`categories[${i}]`, r.error));
  });
  const images = new Map<number, DatasetItem>();
  const order: DatasetItem[] = [];
  await Promise.all(
    top.data.images.map(async (img, i) => {
      const r = CocoImage.safeParse(img);
      if (!r.success) {
        problems.push(...issue(`images[${i}]`, r.error));
        return;
      }
      const path = join(imagesPath, r.data.file_name);
      const exists = await stat(path).then(
        (s) => s.isFile(),
        () => false,
      );
      if (!exists) problems.push(`images[${i}] (id ${r.data.id}): file not found: ${path}`);
      const item: DatasetItem = {
        fileName: r.data.file_name,
        path,
        width: r.data.width,
        height: r.data.height,
        objects: [],
      };
      images.set(r.data.id, item);
      order[i] = item;
    }),
  );
  top.data.annotations.forEach((a, i) => {
    const r = CocoAnnotation.safeParse(a);
    if (!r.success) {
      problems.push(...issue(`annotations[${i}]`, r.error));
      return;
    }
    const ann = r.data;
    const where = `annotations[${i}]${ann.id !== undefined ? ` (id ${ann.id})` : ''}`;
    const image = images.get(ann.image_id);
    const label = categories.get(ann.category_id);
    if (!image) problems.push(`${where}: image_id ${ann.image_id} does not exist`);
    if (label === undefined) problems.push(`${where}: unknown category_id ${ann.category_id}`);
    if (!image || label === undefined) return;
    let polygons: { x: number; y: number }[][] = [];
    if (Array.isArray(ann.segmentation)) {
      polygons = ann.segmentation
        .filter((s) => s.length >= 6)
        .map((flat) => {
          const pts: { x: number; y: number }[] = [];
          for (let k = 0; k + 1 < flat.length; k += 2)
            pts.push({ x: flat[k] as number, y: flat[k + 1] as number });
          return pts;
        });
    } else if (ann.segmentation) {
      const rle = ann.segmentation as Rle;
      if (rle.size[0] !== image.height || rle.size[1] !== image.width) {
        problems.push(
          `${where}: RLE size ${rle.size[1]}x${rle.size[0]} differs from the image's ${image.width}x${image.height}`,
        );
        return;
      }
      polygons = maskToPolygons(decodeRle(rle), image.width, image.height);
    }
    let bbox = ann.bbox as [number, number, number, number] | undefined;
    if (!bbox && polygons.length) {
      const xs = polygons.flat().map((p) => p.x);
      const ys = polygons.flat().map((p) => p.y);
      bbox = [
        Math.min(...xs),
        Math.min(...ys),
        Math.max(...xs) - Math.min(...xs),
        Math.max(...ys) - Math.min(...ys),
      ];
    }
    if (!bbox) {
      problems.push(`${where}: neither bbox nor segmentation`);
      return;
    }
    const [x, y, w, h] = bbox;
    if (w <= 0 || h <= 0 || x < 0 || y < 0 || x + w > image.width || y + h > image.height) {
      problems.push(
        `${where}: bbox [${bbox.join(', ')}] is outside its image ${image.fileName} (${image.width}x${image.height})`,
      );
      return;
    }
    image.objects.push({ label, bbox, polygons });
  });
  if (problems.length) throw new DatasetValidationError(annotationsPath, problems);
  return { labels: [...new Set(categories.values())], items: order.filter(Boolean) };
}
