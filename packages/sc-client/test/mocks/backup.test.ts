/** Backup and restore against the SC fake: the round trip, the abort-and-resume, the manifest check before upload. */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Package } from '@mlclients/datapackage';
import { afterEach, describe, expect, it } from 'vitest';
import { BackupError } from '../../src/index.js';
import { downloadProject, uploadAllProjects, uploadProject } from '../../src/lib/backup.js';
import { createProjectSingleTaskFromDataset } from '../../src/lib/create-from-dataset.js';
import { fakeClient } from '../helpers/fake-client.js';

const FIXTURES = resolve(fileURLToPath(import.meta.url), '../../fixtures/coco-blocks');
const imagesPath = resolve(FIXTURES, 'images/NONE');
const annotationsPath = resolve(FIXTURES, 'annotations/instances_NONE.json');
const dirs: string[] = [];
async function tmp() {
  const d = await mkdtemp(join(tmpdir(), 'sc-backup-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function tree(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile() && !e.parentPath.includes('.datapkg'))
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

async function verifies(dir: string) {
  const pkg = await Package.fromInstalled(dir);
  return (await pkg?.verify(dir))?.matches;
}

describe('backup and restore (SC fake, SC 1.1 normalized coordinates)', () => {
  it('COCO -> download -> upload under a new name -> download: identical folders, both manifests verify', async () => {
    const { sc } = fakeClient();
    await createProjectSingleTaskFromDataset(sc, {
      projectName: 'blocks',
      projectType: 'segmentation',
      imagesPath,
      annotationsPath,
    });
    const a = await tmp();
    const first = await downloadProject(sc, 'blocks', a);
    expect(first).toMatchObject({ downloaded: 16, annotations: 16 });
    const up = await uploadProject(sc, a, { projectName: 'blocks copy' });
    expect(up).toMatchObject({ uploaded: 16, annotations: 16 });
    const b = await tmp();
    await downloadProject(sc, 'blocks copy', b);
    const files = await tree(a);
    expect(files).toEqual(await tree(b));
    expect(files.filter((f) => f.startsWith('images/'))).toHaveLength(16);
    for (const f of files) {
      const [x, y] = [await readFile(join(a, f)), await readFile(join(b, f))];
      if (f.endsWith('.json')) {
        const [jx, jy] = [JSON.parse(x.toString()), JSON.parse(y.toString())];
        if (f === 'project.json') {
          // The only intended difference: the new name (also the dataset's name, which SC sets from it).
          expect({ ...jx, name: 'n', datasets: [] }).toEqual({ ...jy, name: 'n', datasets: [] });
          expect(jy.name).toBe('blocks copy');
        } else expect(jy, f).toEqual(jx);
      } else expect(Buffer.compare(x, y), f).toBe(0); // media byte for byte (the fake does not re-encode)
    }
    expect(await verifies(a)).toBe(true);
    expect(await verifies(b)).toBe(true);
    const scene = JSON.parse(await readFile(join(a, 'annotations/WIN_20220406_21_25_44_Pro.json'), 'utf8'));
    expect(scene.annotations[0].shape.points[0]).toEqual({ x: 159, y: 113 }); // pixels on disk
  });

  it('an aborted download resumes and transfers only the missing files', async () => {
    const { sc, fake } = fakeClient();
    await createProjectSingleTaskFromDataset(sc, {
      projectName: 'blocks',
      projectType: 'detection',
      imagesPath,
      annotationsPath,
    });
    const dir = await tmp();
    const controller = new AbortController();
    fake.counts.downloads = 0;
    const aborted = await downloadProject(sc, 'blocks', dir, {
      concurrency: 2,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done === 5) controller.abort(new Error('stop'));
      },
    }).catch((e: unknown) => e);
    expect(aborted).toBeInstanceOf(Error);
    const present = (await readdir(join(dir, 'images'))).filter((f) => f.endsWith('.jpg')).length;
    expect(present).toBeGreaterThanOrEqual(5);
    expect(present).toBeLessThan(16);
    fake.counts.downloads = 0;
    const resumed = await downloadProject(sc, 'blocks', dir, { concurrency: 2 });
    expect(resumed.downloaded).toBe(16 - present);
    expect(fake.counts.downloads).toBe(16 - present);
    expect(await verifies(dir)).toBe(true);
    fake.counts.downloads = 0;
    expect((await downloadProject(sc, 'blocks', dir)).downloaded).toBe(0);
    expect(fake.counts.downloads).toBe(0);
  });

  it('upload refuses a folder that does not match its manifest, before any request', async () => {
    const { sc, fake } = fakeClient();
    await createProjectSingleTaskFromDataset(sc, {
      projectName: 'blocks',
      projectType: 'detection',
      imagesPath,
      annotationsPath,
      numberOfImagesToUpload: 3,
    });
    const dir = await tmp();
    await downloadProject(sc, 'blocks', dir);
    await writeFile(join(dir, 'annotations', 'WIN_20220406_21_25_44_Pro.json'), '{"annotations":[]}');
    await rm(join(dir, 'images', 'WIN_20220406_21_24_46_Pro.jpg'));
    fake.journal.length = 0;
    const err = (await uploadProject(sc, dir, { projectName: 'x' }).catch((e: unknown) => e)) as BackupError;
    expect(err).toBeInstanceOf(BackupError);
    expect(err.message).toContain('missing: images/WIN_20220406_21_24_46_Pro.jpg');
    expect(err.message).toContain('changed: annotations/WIN_20220406_21_25_44_Pro.json');
    expect(fake.journal).toEqual([]);
  });

  it('uploadAllProjects restores every subfolder with a project.json, resumably', async () => {
    const { sc, fake } = fakeClient();
    await createProjectSingleTaskFromDataset(sc, {
      projectName: 'blocks',
      projectType: 'classification',
      imagesPath,
      annotationsPath,
      numberOfImagesToUpload: 4,
    });
    const root = await tmp();
    await downloadProject(sc, 'blocks', join(root, 'blocks'));
    await sc.call('deleteProject', {
      workspace_id: await sc.workspaceId(),
      project_id: [...fake.state.projects.keys()][0],
    });
    const [r] = await uploadAllProjects(sc, root);
    expect(r).toMatchObject({ uploaded: 4, annotations: 4 });
    const [again] = await uploadAllProjects(sc, root);
    expect(again).toMatchObject({ uploaded: 0, skipped: 4 });
  });
});
