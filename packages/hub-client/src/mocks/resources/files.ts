/**
 * Project files and their S3 URLs. URLs have the shape the recordings show: the organization's bucket on
 * `https://<bucket>.s3.us-west-1.amazonaws.com`, keys under `workspace/projects/<project>/files/`, a pre-signed POST
 * for uploads (project_file_urls/create_valid) and a pre-signed GET for downloads (project_file_urls/show).
 */
import { invalid, missing, notFound, ok } from '../answers.js';
import type { HubContext, HubHandler } from '../context.js';
import { mainBucket, S3_REGION } from '../defaults.js';
import type { HubObject } from '../store.js';
import { create } from './crud.js';

function fileKey(project: HubObject, filePath: string): string {
  return filePath.startsWith('workspace/')
    ? filePath
    : `workspace/projects/${String(project.name)}/files/${filePath}`;
}

function bucketOf(project: HubObject, ctx: HubContext): string {
  const org =
    project.organization_id == null
      ? undefined
      : ctx.store.get('organizations', project.organization_id as number);
  return typeof org?.main_bucket === 'string'
    ? org.main_bucket
    : mainBucket('org', (project.organization_id as number) ?? 0);
}

const amzDate = () =>
  new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
/** Signatures and credentials are not real; the recordings show them only as REDACTED. */
const SIGNATURE = '0'.repeat(64);
const CREDENTIAL = 'ASIAFAKEHUBFAKEKEY00';

function projectOf(call: { body: Record<string, unknown> }, ctx: HubContext) {
  const absent = missing(call.body, ['project_id', 'file_path']);
  if (absent) return { answer: absent };
  const project = ctx.store.get('projects', call.body.project_id as number);
  return project ? { project } : { answer: notFound('Project') };
}

const createFile = create('project_files');

export const fileHandlers: Record<string, HubHandler> = {
  createProjectFile(call, ctx) {
    // a2ml matches this message text to detect a file it already registered.
    const duplicate = ctx.store
      .list('project_files', { project_id: call.body.project_id, url: call.body.url })
      .some(() => call.body.url !== undefined);
    if (duplicate) return invalid(['url', 'en.errors.project_file.url_not_uniq']);
    return createFile(call, ctx);
  },

  createProjectFileUrl(call, ctx) {
    const found = projectOf(call, ctx);
    if (!found.project) return found.answer!;
    const { project } = found;
    const key = fileKey(project, String(call.body.file_path));
    const date = amzDate();
    const upload = {
      url: `https://${bucketOf(project, ctx)}.s3.${S3_REGION}.amazonaws.com`,
      fields: {
        key,
        success_action_status: '201',
        policy: btoa(
          JSON.stringify({
            expiration: new Date(Date.now() + 3_600_000).toISOString(),
            conditions: [{ key }],
          }),
        ),
        'x-amz-credential': `${CREDENTIAL}/${date.slice(0, 8)}/${S3_REGION}/s3/aws4_request`,
        'x-amz-algorithm': 'AWS4-HMAC-SHA256',
        'x-amz-date': date,
        'x-amz-security-token': 'FAKE-SESSION-TOKEN',
        'x-amz-signature': SIGNATURE,
      },
    };
    if (call.body.async) {
      // a2ml's async upload: a cluster task whose result holds the same `{url, fields}` (plus the bucket).
      const task = ctx.clusterTask(
        'a2ml.tasks_queue.tasks_hub_api.project_file_url_task',
        [{ key }],
        project.id,
        {
          ...upload,
          bucket: bucketOf(project, ctx),
        },
      );
      return ok({ id: task.id, url: upload.url });
    }
    return ok(upload);
  },

  getProjectFileUrl(call, ctx) {
    const found = projectOf(call, ctx);
    if (!found.project) return found.answer!;
    const { project } = found;
    const key = fileKey(project, String(call.body.file_path));
    const date = amzDate();
    const query = new URLSearchParams({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': `${CREDENTIAL}/${date.slice(0, 8)}/${S3_REGION}/s3/aws4_request`,
      'X-Amz-Date': date,
      'X-Amz-Expires': '3600',
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Signature': SIGNATURE,
    });
    return ok({ url: `https://${bucketOf(project, ctx)}.s3.${S3_REGION}.amazonaws.com/${key}?${query}` });
  },
};
