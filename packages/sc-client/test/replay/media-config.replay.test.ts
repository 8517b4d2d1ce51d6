/** Image upload, paging, download and delete, and configuration get/set, replayed against the SC 1.1 recordings. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ScClient } from '../../src/index.js';
import { getBytes, listMedia, mediaBasePath, type ProjectRef, uploadMedia } from '../../src/lib/api.js';
import type { Project } from '../../src/lib/types.js';
import { readCassette } from '../helpers/cassettes.js';
import { replayFetch } from '../helpers/replay.js';

const IMAGES = resolve(fileURLToPath(import.meta.url), '../../fixtures/coco-blocks/images/NONE');
const WS = '624c004b234370fcf24bf38c';
const REF: ProjectRef = {
  workspaceId: WS,
  datasetId: '6255dd2a234370fcf24c1d02',
  project: {
    id: '6255dd2a234370fcf24c1d03',
    name: 'sdk_test_image_manager',
    datasets: [{ id: '6255dd2a234370fcf24c1d02', name: 'x' }],
    pipeline: { tasks: [], connections: [] },
  } as Project,
};

function client(...cassettes: string[]) {
  const replay = replayFetch('session.yaml', 'client.yaml', ...cassettes);
  const sc = new ScClient({
    host: 'dummy_host',
    username: 'dummy_user',
    password: 'dummy_password',
    fetch: replay.fetch,
    maxRetries: 0,
    validate: 'error',
  });
  return { replay, sc };
}

function fileNameOf(body: string | Uint8Array | null): string | undefined {
  const head =
    typeof body === 'string' ? body : body ? new TextDecoder('latin1').decode(body.slice(0, 400)) : '';
  return /filename="([^"]+)"/.exec(head)?.[1];
}

describe('media, replayed', () => {
  it('upload (multipart `file`), download display/full (display_url with its trailing space), page, delete', async () => {
    const cassette = 'TestImageManager.test_upload_and_delete_image.yaml';
    const { sc, replay } = client(cassette);
    const name = 'WIN_20220406_21_24_24_Pro.jpg';
    const bytes = new Uint8Array(await readFile(resolve(IMAGES, name)));
    const item = await uploadMedia(sc, REF, 'images', bytes, name);
    expect(item).toMatchObject({ id: '6255dd2a234370fcf24c1d11', name: 'WIN_20220406_21_24_24_Pro' });
    expect(item.media_information.display_url.endsWith(' ')).toBe(true);
    const sent = replay.seen.find((r) => r.method === 'POST' && r.url.endsWith('/media/images'));
    const part = Buffer.from(sent?.body as Uint8Array).toString('latin1');
    expect(part).toMatch(
      /Content-Disposition: form-data; name="file"; filename="WIN_20220406_21_24_24_Pro\.jpg"/,
    );
    const downloaded = await getBytes(sc, `${mediaBasePath(item)}/display/full`);
    const recorded = readCassette(cassette)[1]?.responseBody as Uint8Array;
    expect(Buffer.compare(Buffer.from(downloaded), Buffer.from(recorded))).toBe(0);
    const listed = await listMedia(sc, REF, 'images');
    expect(listed.map((m) => m.id)).toEqual(['6255dd2a234370fcf24c1d11']);
    // The extra, empty page the Python client asks for is asked for here too.
    expect(
      replay.seen.filter((r) => r.url.includes('/media/images?top=100000')).map((r) => new URL(r.url).search),
    ).toEqual(['?top=100000', '?top=100000&skiptoken=6255dd2a234370fcf24c1d11']);
    await expect(
      sc.call('deleteImage', {
        workspace_id: WS,
        project_id: REF.project.id,
        dataset_id: REF.datasetId,
        image_id: item.id,
      }),
    ).resolves.toEqual({ result: 'success' });
    expect(await listMedia(sc, REF, 'images')).toEqual([]);
  });

  it('a folder of 16 images: uploads get the recorded ids, downloads the recorded bytes', async () => {
    const cassette = 'TestImageManager.test_upload_image_folder_and_download.yaml';
    const { sc } = client(cassette);
    const recorded = readCassette(cassette);
    // The Python test lists twice before uploading (its own check, then upload_folder's), as recorded.
    expect(await listMedia(sc, REF, 'images')).toEqual([]);
    expect(await listMedia(sc, REF, 'images')).toEqual([]);
    const files = recorded.filter((e) => e.method === 'POST').map((e) => fileNameOf(e.requestBody) as string);
    expect(files).toHaveLength(16);
    const items = await Promise.all(
      files.map(async (f) =>
        uploadMedia(sc, REF, 'images', new Uint8Array(await readFile(resolve(IMAGES, f))), f),
      ),
    );
    const listed = await listMedia(sc, REF, 'images');
    expect(listed.map((m) => m.id).sort()).toEqual(items.map((m) => m.id).sort());
    expect((await listMedia(sc, REF, 'images')).length).toBe(16);
    for (const m of listed) {
      const bytes = await getBytes(sc, `${mediaBasePath(m)}/display/full`);
      const exchange = recorded.find((e) => e.url.pathname.endsWith(`/images/${m.id}/display/full`));
      expect(exchange, m.name).toBeDefined();
      expect(
        Buffer.compare(Buffer.from(bytes as Uint8Array), Buffer.from(exchange?.responseBody as Uint8Array)),
        m.name,
      ).toBe(0);
    }
  });
});

describe('configuration, replayed', () => {
  it('task and full configuration GETs parse against the spec; the full POST is answered success', async () => {
    const cassette = 'TestConfigurationManager.test_get_and_set_configuration.yaml';
    const { sc } = client(cassette);
    const recorded = readCassette(cassette);
    const params = { workspace_id: WS, project_id: '6255dd25234370fcf24c1ced' };
    const task = (await sc.call('getTaskConfiguration', {
      ...params,
      task_id: '6255dd25234370fcf24c1cf1',
    })) as { task_title: string; components: unknown[] };
    expect(task.task_title).toBe('Detection task');
    const full = (await sc.call('getConfiguration', params)) as { task_chain: unknown[]; global: unknown[] };
    expect(full.task_chain).toHaveLength(1);
    const body = JSON.parse(recorded[3]?.requestBody as string) as Record<string, unknown>;
    await expect(sc.call('setConfiguration', { ...params, ...body })).resolves.toEqual({ result: 'success' });
  });
});
