/**
 * spacer (CoralNet's vision backend): store an image, submit an `extract_features` job to an AWS Batch queue and
 * read its result. Here the queue is spacer-client's fake Batch API (`@mlclients/spacer-client/mocks`) over HTTP,
 * whose fake worker runs the job the way pyspacer's DummyExtractor does and writes a real feature file (npz); in
 * production the same code talks to AWS Batch and S3, and the worker is pyspacer's own container.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BatchClient } from '@aws-sdk/client-batch';
import {
  BatchQueue,
  collectAll,
  dataLocation,
  EXTRACTOR_CLASS_PATHS,
  encodeJobMsg,
  type JobMsg,
  readImageFeatures,
} from '@mlclients/spacer-client';
import { COCO_BLOCKS } from './sc-coco-backup.js';
import { runAsProgram } from './support/run.js';
import type { Services } from './support/services.js';

export async function spacerJob({ spacer }: Services): Promise<string> {
  const batch = new BatchClient({
    region: 'us-west-2',
    endpoint: spacer.url, // omit it for AWS
    credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'example' },
  });
  try {
    const { storage, bucket } = spacer; // production: new SpacerStorage({ config: SpacerConfig.load() })
    const s3 = (key: string) => dataLocation('s3', key, bucket);
    const queue = new BatchQueue({ batch, jobQueue: 'spacer-queue', storage, bucket });

    const image = await readFile(path.join(COCO_BLOCKS, 'images/NONE/WIN_20220406_21_24_24_Pro.jpg'));
    await storage.store(s3('images/blocks-1.jpg'), image);
    const job: JobMsg = {
      task_name: 'extract_features',
      tasks: [
        {
          job_token: 'blocks-1',
          extractor: {
            class_path: EXTRACTOR_CLASS_PATHS.dummy,
            data_locations: {},
            data_hashes: {},
            feature_dim: 32,
          },
          rowcols: [
            [40, 60],
            [128, 227],
            [200, 400],
          ], // (row, col) points to describe, 0-based
          image_loc: s3('images/blocks-1.jpg'),
          feature_loc: s3('features/blocks-1.featurevector'),
        },
      ],
    };
    // The message is validated (every field named on error) and written as pyspacer writes it.
    const bytes = encodeJobMsg(job).length;
    await queue.submit(job, { id: 'extract-blocks-1' });

    for await (const finished of collectAll(queue, { intervalMs: 10 })) {
      if (finished.status !== 'SUCCEEDED' || !finished.result?.ok)
        throw new Error(
          `${finished.id}: ${finished.status} ${finished.error ?? finished.result?.error_message}`,
        );
      const features = readImageFeatures(await storage.load(s3('features/blocks-1.featurevector')));
      return `spacer: job ${finished.id} (${bytes}-byte JobMsg) ${finished.status} through the fake Batch queue; feature file has ${features.npoints} points x ${features.featureDim} values`;
    }
    throw new Error('the queue finished without reporting the job');
  } finally {
    batch.destroy();
  }
}

await runAsProgram(import.meta.url, spacerJob);
