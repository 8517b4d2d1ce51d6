/**
 * The zod schemas generated from openapi/nucleus.yaml accept the shapes the fact sheet
 * (shared/reference/nucleus-api.md) describes, keep unknown properties, and name the offending field when they reject.
 */
import { describe, expect, it } from 'vitest';
import { operationSchemas, schemas } from '../src/generated/index.js';

describe('nucleus generated zod schemas', () => {
  it('accepts sheet-shaped datasets and keeps unknown properties', () => {
    const dataset = {
      id: 'ds_bw6de8s84pe0vbn6p5zg',
      name: 'Example',
      is_public: false,
      created_at: '2022-01-01',
    };
    expect(schemas.Dataset.parse(dataset)).toEqual(dataset);
    expect(operationSchemas.listDatasets.response.parse([dataset])).toEqual([dataset]);
  });

  it('rejects a wrong field type and names the field', () => {
    const result = schemas.Dataset.safeParse({ id: 'ds_1', name: 'Example', is_public: 'no' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([['is_public']]);
  });

  it('validates an items page with the nested path of a bad field', () => {
    const item = {
      id: 'di_1',
      reference_id: 'img-1',
      image_url: 's3://bucket/img-1.jpg',
      metadata: { camera: 'front' },
      width: 640,
      height: 480,
    };
    const page = { items: [item], nextPageToken: 'token-2' };
    expect(operationSchemas.listDatasetItems.response.parse(page)).toEqual(page);
    expect(
      operationSchemas.listDatasetItems.response.parse({ items: [], nextPageToken: null }).items,
    ).toEqual([]);

    const bad = operationSchemas.listDatasetItems.response.safeParse({ items: [{ ...item, width: '640' }] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['items', 0, 'width']);
  });

  it('checks the first page request and the job shapes', () => {
    expect(operationSchemas.listDatasetItems.body.parse({ pageToken: null, pageSize: 100_000 })).toEqual({
      pageToken: null,
      pageSize: 100_000,
    });
    expect(operationSchemas.listDatasetItems.body.safeParse({ pageSize: 10 }).success).toBe(false);

    const job = {
      job_id: 'job_c8jwr0ewxpb004apjpkg',
      job_last_known_status: 'Running',
      job_type: 'uploadDatasetItems',
      job_creation_time: '2022-04-12T20:12:26.775Z',
    };
    expect(operationSchemas.getJob.response.parse(job)).toEqual(job);
    const status = { job_id: job.job_id, status: 'Completed', message: { result: [] }, job_progress: '0.80' };
    expect(
      operationSchemas.getJobStatus.response.parse({ ...status, completed_steps: 4, total_steps: 5 }),
    ).toMatchObject(status);
    const badJob = operationSchemas.listJobs.response.safeParse([{ ...job, job_creation_time: 1649794346 }]);
    expect(badJob.error?.issues[0]?.path).toEqual([0, 'job_creation_time']);
    expect(operationSchemas.listJobs.body.safeParse({ show_completed: false, limit: 50_001 }).success).toBe(
      false,
    );
  });
});
