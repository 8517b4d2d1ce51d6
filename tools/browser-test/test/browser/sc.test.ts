/**
 * The SC client bundled for the browser, against its fake in MSW's service worker. A page signs in with a personal
 * access token (the password login follows redirects and reads Set-Cookie, which a page cannot); the workflows on
 * local folders are Node's (`#platform`), so the bundle carries no node:fs, undici or data-package code and they
 * fail at once with a ClientError saying why.
 */
import { ClientError, NotFoundError } from '@mlclients/package-core';
import {
  listMedia,
  listProjects,
  readCocoDataset,
  ScAuthenticationError,
  ScClient,
  uploadProject,
} from '@mlclients/sc-client';
import { createScFake } from '@mlclients/sc-client/mocks';
import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import { failure, useWorker } from './worker.js';

const ORIGIN = 'https://sc.test';
const TOKEN = 'browser-personal-access-token';
// Geti 2.6: the token goes as `x-api-key`, writes carry the CSRF header, media pages are POSTed queries.
const fake = createScFake({ version: '2.6.0', tokens: [TOKEN], pageSize: 5, conformance: 'error' });
useWorker([ORIGIN], () => [http.all(`${ORIGIN}/*`, ({ request }) => fake.handle(request))]);

const sc = (token = TOKEN) => new ScClient({ host: ORIGIN, token, maxRetries: 0 });

/** A real PNG of `width` x `height`, drawn by the browser (the fake reads its size, as Geti does). */
async function png(width: number, height: number): Promise<Blob> {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2d context');
  context.fillRect(0, 0, width / 2, height / 2);
  return canvas.convertToBlob({ type: 'image/png' });
}

describe('SC client in Chromium (MSW browser worker)', () => {
  it('creates a project, lists it, uploads images and iterates the media pages', async () => {
    const client = sc();
    const ws = await client.workspaceId();
    expect(await client.serverInfo()).toMatchObject({ geti: true, auth: 'api-key', workspaceId: ws });

    await client.projects.create(ws, {
      name: 'blocks',
      pipeline: {
        connections: [{ from: 'Dataset', to: 'Detection task' }],
        tasks: [
          { title: 'Dataset', task_type: 'dataset' },
          { title: 'Detection task', task_type: 'detection', labels: [{ name: 'cube', group: 'shapes' }] },
        ],
      },
    });
    const projects = await listProjects(client);
    expect(projects.map((p) => p.name)).toEqual(['blocks']);
    const [project] = projects;
    const datasetId = project?.datasets[0]?.id;
    if (!project || !datasetId) throw new Error('the created project has no dataset');

    // Multipart uploads go through the session's fetch (the core sends JSON only), as lib/api.ts does on Node.
    const uploads = `${client.options.baseUrl}/workspaces/${ws}/projects/${project.id}/datasets/${datasetId}/media/images`;
    for (let i = 0; i < 12; i++) {
      const form = new FormData();
      form.append('file', await png(8 + i, 6), `img-${i}.png`);
      const res = await client.session.fetch(uploads, { method: 'POST', body: form });
      expect(res.status).toBe(200);
    }

    const media = await listMedia(client, { workspaceId: ws, project, datasetId }, 'images');
    expect(media.map((m) => m.name)).toEqual(Array.from({ length: 12 }, (_, i) => `img-${i}`));
    expect(media.map((m) => m.media_information.width)).toEqual(Array.from({ length: 12 }, (_, i) => 8 + i));
    // The media query POSTed once per page of at most 5 (the fake's page size): 5 + 5 + 2.
    expect(fake.journal.filter((e) => e.operationId === 'queryMedia')).toHaveLength(3);
  });

  it('error paths: a refused token, a missing project, and the Node-only workflows', async () => {
    const refused = await failure(sc('not-a-token').workspaceId());
    expect(refused).toBeInstanceOf(ScAuthenticationError);
    expect(refused.message).not.toContain('not-a-token');

    const client = sc();
    const ws = await client.workspaceId();
    const missing = await failure(client.projects.get('0123456789abcdef01234567', { workspace_id: ws }));
    expect(missing).toBeInstanceOf(NotFoundError);

    const coco = await failure(readCocoDataset('annotations.json', 'images/'));
    expect(coco).toBeInstanceOf(ClientError);
    expect(coco.message).toBe(
      'readCocoDataset() reads a COCO dataset and its images from local files: it needs Node.js and is not available in a browser',
    );
    await expect(uploadProject(client, 'backup/blocks')).rejects.toThrow(
      /uploadProject\(\) .* needs Node\.js/,
    );
    expect(() => new ScClient({ host: ORIGIN, token: TOKEN, verifyTls: false })).toThrow(
      /not possible in a browser/,
    );
  });
});
