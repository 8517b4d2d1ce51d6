/**
 * The zod schemas generated from openapi/sc.yaml: they keep what the real SC 1.1 server adds, name the offending
 * field when they reject, tell the four annotation shapes apart, and the coordinate convention their descriptions
 * document (0..1 up to SC 1.1, pixels from 1.2) is the one the recordings show.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { components } from '../src/generated/types.js';
import { operationSchemas, schemas } from '../src/generated/zod.js';
import { readCassette } from './helpers/cassettes.js';

type Image = components['schemas']['Image'];
type AnnotationScenePost = components['schemas']['AnnotationScenePost'];

const json = (body: string | Uint8Array | null) =>
  JSON.parse(typeof body === 'string' ? body : Buffer.from(body ?? []).toString('utf8')) as unknown;

const projectCalls = readCassette('TestProjectManager.test_create_and_delete_project.yaml');
const imageCalls = readCassette('TestImageManager.test_upload_and_delete_image.yaml');
const detection = readCassette(
  'TestSCRESTClient.test_create_single_task_project_from_dataset-detection.yaml',
);
const upload = json(imageCalls.find((c) => c.method === 'POST')?.responseBody ?? null) as Image;

describe('sc generated zod schemas', () => {
  it('accepts the recorded project list and keeps properties the spec does not list', () => {
    const list = json(projectCalls[0]?.responseBody ?? null) as { items: Record<string, unknown>[] };
    const parsed = operationSchemas.listProjects.response.parse(list);
    expect(parsed).toEqual(list);
    expect(parsed.items?.length).toBeGreaterThan(0);
    const withExtra = { ...list.items[0], performance_score: 0.5 };
    expect(schemas.Project.parse(withExtra)).toHaveProperty('performance_score', 0.5);
  });

  it('rejects a wrong field type and names the field path', () => {
    const bad = schemas.Image.safeParse({
      ...upload,
      media_information: { ...upload.media_information, height: '256' },
    });
    expect(bad.error?.issues.map((issue) => issue.path)).toEqual([['media_information', 'height']]);
    const badPage = operationSchemas.listImages.response.safeParse({
      media: [upload],
      media_count: { images: '1' },
    });
    expect(badPage.error?.issues[0]?.path).toEqual(['media_count', 'images']);
    const badId = operationSchemas.deleteImage.path.safeParse({
      workspace_id: '624c004b234370fcf24bf38c',
      project_id: '6255dd2a234370fcf24c1d03',
      dataset_id: '6255dd2a234370fcf24c1d02',
      image_id: 'WIN_20220406_21_24_24_Pro',
    });
    expect(badId.error?.issues[0]?.path).toEqual(['image_id']);
  });

  it('parses the real error body (409 project_locked) and refuses one without error_code', () => {
    const locked = readCassette(
      'TestSCRESTClient.test_create_single_task_project_from_dataset-segmentation.yaml',
    ).find((c) => c.status === 409);
    const body = json(locked?.responseBody ?? null) as Record<string, unknown>;
    expect(schemas.Error.parse(body)).toMatchObject({ error_code: 'project_locked', http_status: 409 });
    const { error_code: _dropped, ...withoutCode } = body;
    expect(schemas.Error.safeParse(withoutCode).error?.issues[0]?.path).toEqual(['error_code']);
  });

  it('tells the four shapes apart by type and requires their own fields', () => {
    const rectangle = { type: 'RECTANGLE', x: 0.1, y: 0.2, width: 0.3, height: 0.4 };
    const shapes = [
      rectangle,
      { ...rectangle, type: 'ELLIPSE' },
      {
        type: 'POLYGON',
        points: [
          { x: 1, y: 2 },
          { x: 3, y: 4 },
          { x: 5, y: 0 },
        ],
      },
      { ...rectangle, type: 'ROTATED_RECTANGLE', angle: 12.5 },
    ];
    for (const shape of shapes) expect(schemas.Shape.parse(shape)).toEqual(shape);
    expect(schemas.Shape.safeParse({ ...rectangle, type: 'ROTATED_RECTANGLE' }).success).toBe(false);
    expect(schemas.Shape.safeParse({ ...rectangle, width: undefined }).success).toBe(false);
    expect(schemas.Shape.safeParse({ ...rectangle, type: 'CIRCLE' }).success).toBe(false);
    expect(schemas.Shape.safeParse({ type: 'POLYGON', points: [{ x: 1 }] }).success).toBe(false);
    const frame = { type: 'video_frame', video_id: '6255dd2a234370fcf24c1d11', frame_index: 30 };
    expect(schemas.MediaIdentifier.parse(frame)).toEqual(frame);
    expect(schemas.MediaIdentifier.safeParse({ ...frame, frame_index: undefined }).success).toBe(false);
  });

  it('documents the coordinates the SC 1.1 recording shows: COCO pixels divided by the image size', () => {
    // COCO image 1 of coco-blocks: WIN_20220406_21_25_44_Pro.jpg, 455x256, two cylinder boxes (sc-api.md §8 ex. 7).
    const coco = JSON.parse(
      readFileSync(
        resolve(
          dirname(fileURLToPath(import.meta.url)),
          'fixtures/coco-blocks/annotations/instances_NONE.json',
        ),
        'utf8',
      ),
    ) as {
      images: { id: number; file_name: string; width: number; height: number }[];
      annotations: { image_id: number; bbox: [number, number, number, number] }[];
    };
    const image = coco.images.find((i) => i.file_name === 'WIN_20220406_21_25_44_Pro.jpg');
    if (!image) throw new Error('COCO image 1 missing');
    const uploaded = detection
      .filter((c) => c.method === 'POST' && c.url.pathname.endsWith('/media/images'))
      .map((c) => json(c.responseBody) as Image)
      .find((i) => i.name === 'WIN_20220406_21_25_44_Pro');
    const posted = detection
      .filter((c) => c.url.pathname.endsWith('/annotations'))
      .map(
        (c) => operationSchemas.createImageAnnotation.body.parse(json(c.requestBody)) as AnnotationScenePost,
      )
      .find(
        (scene) => 'image_id' in scene.media_identifier && scene.media_identifier.image_id === uploaded?.id,
      );
    const { width: w, height: h } = image;
    const expected = coco.annotations
      .filter((a) => a.image_id === image.id)
      .map((a) => a.bbox)
      .map(([x, y, bw, bh]) => ({
        x: x / w,
        y: y / h,
        width: (x + bw) / w - x / w,
        height: (y + bh) / h - y / h,
      }))
      .map((box) => ({ ...box, type: 'RECTANGLE' }));
    expect(posted?.annotations.map((a) => a.shape)).toEqual(expected);
    // The same boxes in pixels (SC >= 1.2, Geti) are the same schema.
    for (const a of coco.annotations.filter((x) => x.image_id === image.id)) {
      const [x, y, width, height] = a.bbox;
      expect(schemas.Rectangle.safeParse({ type: 'RECTANGLE', x, y, width, height }).success).toBe(true);
    }
  });
});
