/**
 * Smoke test and capability probe for the local S3 server (tools/s3-local/start.sh), with the AWS SDK v3.
 *
 *   set -a; . /tmp/mlc-s3-local/env; set +a; npx tsx tools/s3-local/smoke.ts
 *
 * Prints one line per probe: `ok` (works like AWS S3), `LIMIT` (an s3api limitation, documented in README.md) or
 * `FAIL` (something that must work for the S3 blob store). Exits 1 on any FAIL.
 */
import {
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';

const endpoint = process.env.MLC_S3_ENDPOINT;
const bucket = process.env.MLC_S3_BUCKET;
if (!endpoint || !bucket) {
  console.error('MLC_S3_ENDPOINT / MLC_S3_BUCKET not set: source the env file start.sh wrote');
  process.exit(2);
}

const base: S3ClientConfig = {
  endpoint,
  forcePathStyle: true,
  region: process.env.AWS_REGION ?? 'us-east-1',
};
/** What the S3 blob store uses: checksums only where an operation requires them. */
const s3 = new S3Client({
  ...base,
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
});
/** The SDK's defaults (CRC32 on every upload, aws-chunked trailers, response validation). */
const s3Defaults = new S3Client(base);

const prefix = `smoke-${Date.now()}/`;
let failures = 0;

async function probe(
  name: string,
  kind: 'must' | 'may',
  fn: () => Promise<string | undefined>,
): Promise<void> {
  try {
    const note = await fn();
    console.log(`ok    ${name}${note ? ` (${note})` : ''}`);
  } catch (err) {
    const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const why =
      `${e.name ?? 'Error'} ${e.$metadata?.httpStatusCode ?? ''}: ${e.message ?? String(err)}`.slice(0, 200);
    if (kind === 'must') failures++;
    console.log(`${kind === 'must' ? 'FAIL ' : 'LIMIT'} ${name}: ${why}`);
  }
}

function check(cond: boolean, what: string): void {
  if (!cond) throw new Error(`check failed: ${what}`);
}

const body = 'hello s3api\n';
const key = `${prefix}dir/hello world ü.txt`;

await probe('PutObject', 'must', async () => {
  const r = await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'text/plain' }),
  );
  return `ETag ${r.ETag}`;
});
await probe('GetObject', 'must', async () => {
  const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const text = await r.Body!.transformToString();
  check(text === body, 'body round-trips');
  check(r.ContentType === 'text/plain', `content type ${r.ContentType}`);
  return undefined;
});
await probe('GetObject Range', 'must', async () => {
  const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: 'bytes=0-4' }));
  check((await r.Body!.transformToString()) === 'hello', 'range body');
  return undefined;
});
await probe('HeadObject', 'must', async () => {
  const r = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  check(r.ContentLength === Buffer.byteLength(body), `size ${r.ContentLength}`);
  check(r.LastModified instanceof Date, 'LastModified');
  return undefined;
});
await probe('HeadObject missing -> 404 NotFound', 'must', async () => {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: `${prefix}missing` }));
  } catch (err) {
    const e = err as { name: string; $metadata: { httpStatusCode?: number } };
    check(e.$metadata.httpStatusCode === 404, `status ${e.$metadata.httpStatusCode}`);
    return `name ${e.name}`;
  }
  throw new Error('no error');
});
await probe('GetObject missing -> NoSuchKey', 'must', async () => {
  try {
    await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${prefix}missing` }));
  } catch (err) {
    const e = err as { name: string; $metadata: { httpStatusCode?: number } };
    check(
      e.name === 'NoSuchKey' && e.$metadata.httpStatusCode === 404,
      `${e.name} ${e.$metadata.httpStatusCode}`,
    );
    return undefined;
  }
  throw new Error('no error');
});
await probe('CopyObject', 'must', async () => {
  await s3.send(
    new CopyObjectCommand({
      Bucket: bucket,
      Key: `${prefix}copy.txt`,
      CopySource: `${bucket}/${encodeURIComponent(key).replace(/%2F/g, '/')}`,
    }),
  );
  const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${prefix}copy.txt` }));
  check((await r.Body!.transformToString()) === body, 'copy body');
  return undefined;
});
await probe('ListObjectsV2 paginated (MaxKeys 2, 5 keys)', 'must', async () => {
  for (let i = 0; i < 3; i++) {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}list/${i}`, Body: String(i) }));
  }
  const keys: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const r = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 2, ContinuationToken: token }),
    );
    pages++;
    for (const o of r.Contents ?? []) keys.push(o.Key!);
    token = r.IsTruncated ? r.NextContinuationToken : undefined;
  } while (token);
  check(keys.length === 5, `${keys.length} keys`);
  check(keys.includes(key), 'unicode key listed');
  return `${pages} pages`;
});
await probe('ListObjectsV2 Delimiter', 'must', async () => {
  const r = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/' }));
  const prefixes = (r.CommonPrefixes ?? []).map((p) => p.Prefix).sort();
  check(prefixes.join(',') === `${prefix}dir/,${prefix}list/`, prefixes.join(','));
  return undefined;
});
await probe('DeleteObject (and again, missing)', 'must', async () => {
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: `${prefix}copy.txt` }));
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: `${prefix}copy.txt` }));
  return undefined;
});
await probe('PutObject ContentMD5', 'must', async () => {
  const { createHash } = await import('node:crypto');
  const md5 = createHash('md5').update(body).digest('base64');
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}md5`, Body: body, ContentMD5: md5 }));
  return undefined;
});
await probe('PutObject with wrong ContentMD5 is rejected', 'must', async () => {
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: `${prefix}md5bad`,
        Body: body,
        ContentMD5: '1B2M2Y8AsgTpgAmY7PhCfg==',
      }),
    );
  } catch (err) {
    return (err as Error).name;
  }
  throw new Error('accepted');
});
await probe('SDK defaults: PutObject with CRC32 (aws-chunked trailer)', 'may', async () => {
  await s3Defaults.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}crc32`, Body: body }));
  const r = await s3Defaults.send(new GetObjectCommand({ Bucket: bucket, Key: `${prefix}crc32` }));
  check((await r.Body!.transformToString()) === body, 'body');
  return undefined;
});
await probe('SDK defaults: GetObject', 'may', async () => {
  const r = await s3Defaults.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  check((await r.Body!.transformToString()) === body, 'body');
  return undefined;
});
await probe(
  'SDK defaults: PutObject stream of known length (CRC32 trailer, aws-chunked)',
  'may',
  async () => {
    const { Readable } = await import('node:stream');
    await s3Defaults.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: `${prefix}crc32-stream`,
        Body: Readable.from([Buffer.from(body)]),
        ContentLength: Buffer.byteLength(body),
      }),
    );
    const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${prefix}crc32-stream` }));
    const got = await r.Body!.transformToString();
    check(got === body, `stored body ${JSON.stringify(got.slice(0, 60))}`);
    return undefined;
  },
);
await probe('PutObject with a wrong x-amz-checksum-sha256 is rejected', 'may', async () => {
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: `${prefix}sha-bad`,
        Body: body,
        ChecksumSHA256: '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=',
      }),
    );
  } catch (err) {
    return (err as Error).name;
  }
  throw new Error('accepted (checksum header ignored)');
});
await probe('PutObject ChecksumAlgorithm SHA256 (stored + returned?)', 'may', async () => {
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: `${prefix}sha`, Body: body, ChecksumAlgorithm: 'SHA256' }),
  );
  const h = await s3.send(
    new HeadObjectCommand({ Bucket: bucket, Key: `${prefix}sha`, ChecksumMode: 'ENABLED' }),
  );
  check(h.ChecksumSHA256 !== undefined, `HeadObject ChecksumSHA256 ${h.ChecksumSHA256}`);
  return undefined;
});
await probe('PutObject If-None-Match: * (conditional create) on existing key', 'may', async () => {
  try {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x', IfNoneMatch: '*' }));
  } catch (err) {
    const e = err as { $metadata: { httpStatusCode?: number } };
    check(e.$metadata.httpStatusCode === 412, `status ${e.$metadata.httpStatusCode}`);
    return '412';
  }
  const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  throw new Error(`accepted, object now '${await r.Body!.transformToString()}'`);
});
await probe('Multipart upload (CreateMultipartUpload)', 'may', async () => {
  const r = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: `${prefix}mpu` }));
  check(!!r.UploadId, 'upload id');
  return undefined;
});
await probe('DeleteObjects (multi-delete)', 'may', async () => {
  const r = await s3.send(
    new DeleteObjectsCommand({
      Bucket: bucket,
      Delete: { Objects: [{ Key: `${prefix}list/0` }, { Key: `${prefix}list/1` }] },
    }),
  );
  check((r.Deleted ?? []).length === 2, `deleted ${(r.Deleted ?? []).length}`);
  return undefined;
});
await probe('Bucket versioning (PutBucketVersioning Enabled + versioned reads)', 'may', async () => {
  const vb = `${bucket}-versioned`;
  const { CreateBucketCommand } = await import('@aws-sdk/client-s3');
  await s3.send(new CreateBucketCommand({ Bucket: vb })).catch(() => undefined);
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: vb, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  const st = await s3.send(new GetBucketVersioningCommand({ Bucket: vb }));
  check(st.Status === 'Enabled', `status ${st.Status}`);
  const v1 = await s3.send(new PutObjectCommand({ Bucket: vb, Key: 'k', Body: 'one' }));
  await s3.send(new PutObjectCommand({ Bucket: vb, Key: 'k', Body: 'two' }));
  check(!!v1.VersionId, 'PutObject returns VersionId');
  const old = await s3.send(new GetObjectCommand({ Bucket: vb, Key: 'k', VersionId: v1.VersionId }));
  check((await old.Body!.transformToString()) === 'one', 'old version readable');
  const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: vb, Prefix: 'k' }));
  return `${(versions.Versions ?? []).length} versions listed`;
});

console.log(
  failures === 0 ? 'smoke: all required probes passed' : `smoke: ${failures} required probe(s) failed`,
);
process.exit(failures === 0 ? 0 : 1);
